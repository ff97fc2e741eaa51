"""Rule packs: `model` (a plan's rules, parameters, roles and examples as validated models) and `loading` (a YAML
file checked against the ledger contract, the check kinds and the plan's own text). May import contract, ingest,
language and checks (the registry that validates each rule's parameters)."""

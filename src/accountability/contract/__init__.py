"""The ledger contract: every ledger, its columns, headers, types and values (ledgers.yaml, docs/ledgers.md), as
typed models, and YAML read with the line of every value. Imports nothing of the package but errors."""

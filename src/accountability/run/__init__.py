"""Running the packs over a ledger set: `engine` (every rule, then `assemble`: findings labelled, sorted, worded,
with the people who answer for them), `roles` (who answers: a unit's role or a person a record names) and `dask`
(the same run county by county on a Dask cluster). May import everything below: contract … packs."""

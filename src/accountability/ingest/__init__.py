"""Files → typed ledgers: `files` (folders, workbooks, CSV, Parquet, header rows), `values` (cell parsers and the
Arrow helpers every later stage uses), `references` (unit and person names → ids), `units` (the unit tree) and
`ledgerset` (every ledger typed, bad rows kept as errors). May import contract, never a later stage."""

"""Forms for the people who keep the ledgers: blank ledger templates from the contract, and the city's spot-check
sample. May import contract, ingest, checks (the ratio a sample must reach) and report.outfiles."""

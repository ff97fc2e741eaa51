"""What rules are written in: the condition language (`where:`), the audit window and the periods judged in it,
and mainland China's working days. May import contract and ingest (cell parsers, Arrow helpers)."""

"""Check kinds: importing this package registers every kind in CHECK_KINDS.

Holds `columns` (the findings' columns, a leaf), `registry` (kind name → parameter model and function), `common`
(pieces several kinds share), `data` (every DATA-* source) and one module per kind. May import contract, ingest and
language; never packs, run or anything later in the flow (packs import the registry to validate a rule)."""

from accountability.checks import (
    attendance,
    count_per_period,
    coverage,
    data,
    earlier_record,
    expected_value,
    manual,
    max_gap,
    overdue,
    ratio,
    record_check,
    reference,
    report_deadline,
    required_fields,
    same_day_clash,
    shared_value,
    spatial_conflict,
    target,
    visits_per_period,
)
from accountability.checks.registry import CHECK_KINDS, CheckContext, CheckResult, KindParams, LedgerParams

__all__ = [
    "CHECK_KINDS",
    "CheckContext",
    "CheckResult",
    "KindParams",
    "LedgerParams",
    "attendance",
    "count_per_period",
    "coverage",
    "data",
    "earlier_record",
    "expected_value",
    "manual",
    "max_gap",
    "overdue",
    "ratio",
    "record_check",
    "reference",
    "report_deadline",
    "required_fields",
    "same_day_clash",
    "shared_value",
    "spatial_conflict",
    "target",
    "visits_per_period",
]

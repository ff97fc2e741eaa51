"""Check kinds: importing this package registers every kind in CHECK_KINDS."""

from accountability.checks import (
    attendance,
    count_per_period,
    coverage,
    expected_value,
    manual,
    record_check,
    reference,
    required_fields,
    same_day_clash,
    shared_value,
    target,
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
    "expected_value",
    "manual",
    "record_check",
    "reference",
    "required_fields",
    "same_day_clash",
    "shared_value",
    "target",
]

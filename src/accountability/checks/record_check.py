"""`record_check`: every record that meets the conditions is a finding (e.g. a theft problem, a tip left unverified)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from accountability.checks.common import RecordParams, record_findings, record_judged, records
from accountability.checks.favour import select
from accountability.checks.registry import CheckContext, CheckResult, check_kind, condition_items, condition_refs
from accountability.language.conditions import Condition


class RecordCheckParams(RecordParams):
    COLUMN_FIELDS = ("unit", "date", "expected", "actual")

    any_of: list[list[Condition]] = []
    expected: str | None = None
    actual: str | None = None

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        groups = [condition_refs(("any_of", i), self.ledger, group) for i, group in enumerate(self.any_of)]
        return super().references() + [ref for group in groups for ref in group]

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        groups = [condition_items(("any_of", i), self.ledger, group) for i, group in enumerate(self.any_of)]
        return super().conditions() + [item for group in groups for item in group]


@check_kind("record_check", RecordCheckParams, "{record}：{title}")
def record_check(ctx: CheckContext, params: RecordCheckParams) -> CheckResult:
    """Records meeting `where` (and one of the `any_of` groups, when given) are findings, one each. With
    `any_of`, `where` is the scope and every record in it is judged; without, the rule lists occurrences."""
    frame = records(ctx, params, params.date)
    judged = None
    if params.any_of:
        judged = record_judged(ctx, params, frame)
        hit = pd.Series(False, index=frame.index)
        for group in params.any_of:
            hit |= select(ctx, frame, group, params.ledger, helps=False)
        frame = frame[hit]
    shown = {
        name: frame[f"{column}_text" if f"{column}_text" in frame else column].astype("string").fillna("（空）")
        for name, column in (("expected", params.expected), ("actual", params.actual))
        if column
    }
    return CheckResult(record_findings(ctx, params, frame, **shown), judged=judged)

"""`expected_value`: a column must hold the value the first matching case gives (a reward by its tier)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from accountability.checks.common import RecordParams, record_findings, record_judged, records
from accountability.checks.favour import lean_on, select
from accountability.checks.registry import CheckContext, CheckResult, check_kind, condition_items, condition_refs
from accountability.language.conditions import Condition


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    when: list[Condition]
    value: float


class ExpectedValueParams(RecordParams):
    COLUMN_FIELDS = ("unit", "date", "column")

    column: str
    empty_as: float | None = 0
    cases: list[Case]

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        groups = [condition_refs(("cases", i, "when"), self.ledger, case.when) for i, case in enumerate(self.cases)]
        return super().references() + [ref for group in groups for ref in group]

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        groups = [condition_items(("cases", i, "when"), self.ledger, case.when) for i, case in enumerate(self.cases)]
        return super().conditions() + [item for group in groups for item in group]


def _number(values: pd.Series) -> pd.Series:
    return values.map(lambda v: f"{v:g}", na_action="ignore").fillna("（空）")


def _may_be_right(ctx: CheckContext, params: ExpectedValueParams, frame: pd.DataFrame, actual: pd.Series) -> pd.Series:
    """In the unit's favour: the value is unknown (blank or unreadable), or some case that may apply (one not
    ruled out by an earlier case that surely applies) gives it."""
    right = actual.isna()
    lean_on(ctx, params.ledger, frame.index[right.to_numpy()], params.column)
    settled = pd.Series(False, index=frame.index)
    for case in params.cases:
        maybe = select(ctx, frame, case.when, params.ledger, helps=True) & ~settled
        right |= maybe & actual.astype(float).sub(case.value).abs().le(1e-6).fillna(False)
        settled |= select(ctx, frame, case.when, params.ledger, helps=False)
    return right.astype(bool)


@check_kind("expected_value", ExpectedValueParams, "{record}：应为 {expected}，实为 {actual}")
def expected_value(ctx: CheckContext, params: ExpectedValueParams) -> CheckResult:
    """Records whose value differs (more or less) from the first matching case's value; unmatched are not judged.
    A blank value is `empty_as` when read plainly; in the unit's favour it is unknown."""
    frame = records(ctx, params, params.date)
    expected = pd.Series(np.nan, index=frame.index)
    for case in reversed(params.cases):
        expected[select(ctx, frame, case.when, params.ledger, helps=False)] = case.value
    actual = frame[params.column].astype("Float64")
    compared = actual.fillna(params.empty_as) if params.empty_as is not None else actual
    differs = expected.notna() & (compared.astype(float).sub(expected).abs().gt(1e-6) | compared.isna())
    differs = differs.fillna(False).astype(bool)
    if ctx.favour:
        differs &= ~_may_be_right(ctx, params, frame, actual)
    failing = frame[differs]
    return CheckResult(
        record_findings(
            ctx, params, failing, expected=_number(expected[failing.index]), actual=_number(actual[failing.index])
        ),
        judged=record_judged(ctx, params, frame[expected.notna()]),
    )

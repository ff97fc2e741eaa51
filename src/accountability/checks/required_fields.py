"""`required_fields`: every record fills the named columns (and answers yes where a yes is required); with
`subjects`, every subject unit also has a record at all."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.common import RecordParams, record_findings, record_judged, records
from accountability.checks.favour import select, with_possible
from accountability.checks.registry import CheckContext, CheckResult, check_kind
from accountability.contract.schema import ledger_specs
from accountability.ingest.units import Subjects
from accountability.language.conditions import Condition


class RequiredFieldsParams(RecordParams):
    COLUMN_FIELDS = ("unit", "date", "columns", "true_columns")

    columns: list[str] = []
    true_columns: list[str] = []
    labels: dict[str, str] = {}
    subjects: Subjects | None = None
    absent: str = "台账中没有该单位的记录"
    by: dt.date | None = None


def _absent(ctx: CheckContext, params: RequiredFieldsParams, frame: pd.DataFrame) -> pd.DataFrame:
    """With `subjects`: one finding per subject unit that has no record at all."""
    if params.subjects is None:
        return findings_frame(pd.DataFrame())
    subjects = pd.Index(ctx.ledgers.units.select(params.subjects))
    present = with_possible(ctx, frame, params.ledger, None)[params.unit]  # a rejected row may be the unit's record
    lacking = subjects.difference(pd.Index(present.dropna().astype(str).unique()), sort=False)
    out = pd.DataFrame({"unit": lacking, "detail": params.absent, "expected": "有记录", "actual": "无记录"})
    return findings_frame(out)


@check_kind("required_fields", RequiredFieldsParams, "{unit_name} {record} 未填写或不符合：{detail}")
def required_fields(ctx: CheckContext, params: RequiredFieldsParams) -> CheckResult:
    """One finding per record with an empty required column or a required yes not given; names them.
    With `by` (a due date), nothing is judged before that day, and the findings carry it as their period."""
    if params.by is not None and params.by > ctx.as_of:
        return CheckResult()
    frame = records(ctx, params, params.date)
    spec = ledger_specs()[params.ledger]
    tests = [(c, Condition(column=c, empty=True), "") for c in params.columns]
    tests += [(c, Condition(column=c, is_not=True), "（未达到）") for c in params.true_columns]
    missing = pd.Series("", index=frame.index, dtype=object)
    for column, condition, suffix in tests:
        hit = select(ctx, frame, [condition], params.ledger, helps=False)
        label = params.labels.get(column) or spec.column(column).label
        missing[hit] = missing[hit] + "、" + label + suffix
    failing = frame[missing != ""]
    detail = missing[failing.index].str.lstrip("、")
    found = record_findings(ctx, params, failing, detail=detail, expected="齐全", actual="缺 " + detail)
    found = pd.concat([found, _absent(ctx, params, frame)], ignore_index=True)
    judged = record_judged(ctx, params, frame)
    if params.subjects is not None:
        judged = pd.concat([judged, judged_items(ctx.ledgers.units.select(params.subjects), "")], ignore_index=True)
    if params.by is not None:
        found["period"] = judged["period"] = params.by.isoformat()
    return CheckResult(found, judged=judged)

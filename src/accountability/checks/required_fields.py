"""`required_fields`: every record fills the named columns (and answers yes where a yes is required)."""

from __future__ import annotations

import pandas as pd

from accountability.checks.common import RecordParams, record_findings, records
from accountability.checks.registry import CheckContext, CheckResult, check_kind
from accountability.conditions import Condition, evaluate
from accountability.schema import ledger_specs


class RequiredFieldsParams(RecordParams):
    COLUMN_FIELDS = ("unit", "date", "columns", "true_columns")

    columns: list[str] = []
    true_columns: list[str] = []


@check_kind("required_fields", RequiredFieldsParams, "{record} 未填写或不符合：{detail}")
def required_fields(ctx: CheckContext, params: RequiredFieldsParams) -> CheckResult:
    """One finding per record with an empty required column or a required yes not given; names them."""
    frame = records(ctx, params, params.date)
    spec = ledger_specs()[params.ledger]
    tests = [(c, Condition(column=c, empty=True), "") for c in params.columns]
    tests += [(c, Condition(column=c, is_not=True), "（未达到）") for c in params.true_columns]
    missing = pd.Series("", index=frame.index, dtype=object)
    for column, condition, suffix in tests:
        hit = evaluate(condition, frame, ctx.as_of, ctx.ledgers.people)
        missing[hit] = missing[hit] + "、" + spec.column(column).label + suffix
    failing = frame[missing != ""]
    detail = missing[failing.index].str.lstrip("、")
    return CheckResult(record_findings(ctx, params, failing, detail=detail, expected="齐全", actual="缺 " + detail))

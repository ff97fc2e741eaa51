"""`target`: by a deadline, each subject unit has at least N records dated from a start day; progress before it."""

from __future__ import annotations

import pandas as pd

from accountability.checks.common import Deadline, Match, attach, between, deadline_result, records
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams, check_kind
from accountability.ingest.units import Subjects


class TargetParams(LedgerParams):
    COLUMN_FIELDS = ("date",)

    subjects: Subjects
    date: str
    deadline: Deadline
    min: int
    match: Match = "unit"


def _counts(
    ctx: CheckContext, params: TargetParams, frame: pd.DataFrame, subjects: list[str], start, end
) -> pd.DataFrame:
    """Per subject: the count of records dated in [start, end] (distinct ids: a duplicated row counts once)."""
    dated = frame[between(frame[params.date], start, end)]
    pairs = attach(ctx, dated, params.match, "areas", subjects)
    grouped = pairs.groupby("subject")["row"].agg(list).reindex(subjects)
    out = pd.DataFrame({"unit": subjects})
    out["rows"] = [[(params.ledger, r) for r in rows] if isinstance(rows, list) else [] for rows in grouped.to_numpy()]
    ids = pairs.assign(id=dated["id"].reindex(pairs["row"]).to_numpy()) if "id" in dated else pairs
    out["count"] = (
        ids.groupby("subject")["id" if "id" in ids else "row"].nunique().reindex(subjects, fill_value=0).to_numpy()
    )
    return out


@check_kind("target", TargetParams, "{unit_name} 截至 {period}：{actual}，要求{expected}")
def target(ctx: CheckContext, params: TargetParams) -> CheckResult:
    """At each deadline inside the window: units below min are findings; before the next deadline: progress."""
    subjects = ctx.ledgers.units.select(params.subjects)
    if not subjects:
        return CheckResult()
    spans = (params.date, [(params.deadline.start(day), day) for day in params.deadline.judged(ctx)])
    frame = records(ctx, params, helps=True, spread=spans)

    def short(start, end) -> pd.DataFrame:
        counts = _counts(ctx, params, frame, subjects, start, end)
        short = counts[counts["count"] < params.min]
        return short.assign(actual=short["count"].astype(str), expected=f"≥{params.min}")

    def progress(start, end) -> pd.DataFrame:
        counts = _counts(ctx, params, frame, subjects, start, end)
        return pd.DataFrame({"unit": counts["unit"], "target": params.min, "actual": counts["count"]})

    return deadline_result(ctx, params.deadline, subjects, short, progress)

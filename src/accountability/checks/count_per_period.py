"""`count_per_period`: each subject unit has at least N (distinct dates or records) in every whole period."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pandas as pd

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.common import Match, attach, group_rows, records
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams, check_kind
from accountability.ingest.units import Subjects
from accountability.language.periods import PeriodKind, period_labels, whole_periods


class CountPerPeriodParams(LedgerParams):
    COLUMN_FIELDS = ("date",)

    subjects: Subjects
    period: PeriodKind
    anchor: dt.date | None = None
    date: str = "date"
    match: Match = "unit"
    areas: str = "areas"
    count: Literal["distinct_dates", "records"] = "distinct_dates"
    min: int

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        refs = super().references()
        return [*refs, (("areas",), self.ledger, self.areas)] if self.match == "unit_or_areas" else refs


@check_kind(
    "count_per_period",
    CountPerPeriodParams,
    "{unit_name} {period}：{detail}{actual}，要求{expected}",
)
def count_per_period(ctx: CheckContext, params: CountPerPeriodParams) -> CheckResult:
    """Counts records (or distinct dates) per unit and whole period; one finding per unit and period short of min."""
    subjects = ctx.ledgers.units.select(params.subjects)
    periods = whole_periods(params.period, ctx.window, params.anchor)
    if not subjects or not periods:
        return CheckResult()
    spans = (params.date, [(p.start, p.end) for p in periods])
    frame = records(ctx, params, columns=["unit", params.date, params.areas], helps=True, spread=spans)
    frame = frame[frame[params.date].between(pd.Timestamp(periods[0].start), pd.Timestamp(periods[-1].end))]
    pairs = attach(ctx, frame, params.match, params.areas, subjects)
    pairs["period"] = period_labels(
        params.period, frame.loc[pairs["row"], params.date], params.anchor, ctx.window
    ).array
    pairs["day"] = frame.loc[pairs["row"], params.date].to_numpy()
    grouped = pairs.groupby(["subject", "period"])
    counted = grouped["day"].nunique() if params.count == "distinct_dates" else grouped.size()
    grid = pd.MultiIndex.from_product([subjects, [p.label for p in periods]], names=["subject", "period"])
    counts = counted.reindex(grid, fill_value=0)
    short = counts[counts < params.min]
    judged = judged_items(grid.get_level_values("subject"), grid.get_level_values("period"))
    if short.empty:
        return CheckResult(judged=judged)
    out = short.rename("actual").reset_index()
    out["rows"] = group_rows(pairs, out, params.ledger)
    out = out.rename(columns={"subject": "unit"})
    out["actual"] = out["actual"].astype(str)
    out["expected"] = f"≥{params.min}"
    out["detail"] = "不同日期数 " if params.count == "distinct_dates" else "记录数 "
    return CheckResult(findings_frame(out), judged=judged)

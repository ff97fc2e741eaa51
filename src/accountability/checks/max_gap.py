"""`max_gap`: something done "every N months" (每两个月开展一次) is judged by its longest gap, not by fixed blocks:
fixed blocks let an action in June and the next in September pass, four months apart."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.common import Match, attach, records
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams, check_kind
from accountability.ingest.units import Subjects


class MaxGapParams(LedgerParams):
    COLUMN_FIELDS = ("date",)

    subjects: Subjects
    date: str = "date"
    match: Match = "unit"
    areas: str = "areas"
    months: int
    start: dt.date | None = None


@check_kind("max_gap", MaxGapParams, "{unit_name}：{detail}，要求{expected}")
def max_gap(ctx: CheckContext, params: MaxGapParams) -> CheckResult:
    """From `start` (default: the window's first day) and from each record on, the next must come within `months`
    calendar months. Each gap whose due day falls in the window and passes without a record is a finding, its
    period the due day; a gap still open at as_of is judged once its due day has passed."""
    subjects = ctx.ledgers.units.select(params.subjects)
    start = pd.Timestamp(params.start or ctx.window.start)
    as_of = pd.Timestamp(ctx.as_of)
    if not subjects or start > as_of:
        return CheckResult()
    # a row of unknown date might be on any day: one copy at each month's start fills every gap of over a month
    spans = [(day, day) for day in pd.date_range(start, as_of, freq="MS").union([start])]
    frame = records(ctx, params, columns=["unit", params.date, params.areas], helps=True, spread=(params.date, spans))
    frame = frame[frame[params.date].between(start, as_of)]
    pairs = attach(ctx, frame, params.match, params.areas, subjects)
    pairs["day"] = frame.loc[pairs["row"], params.date].to_numpy()
    starts = pd.DataFrame({"row": pd.NA, "subject": subjects, "day": start})
    events = pd.concat([starts, pairs], ignore_index=True).sort_values(["subject", "day"], kind="stable")
    events = events.drop_duplicates(["subject", "day"])
    following = events.groupby("subject")[["day", "row"]].shift(-1)
    events["next"], events["next_row"] = following["day"], following["row"]
    events["due"] = events["day"] + pd.DateOffset(months=params.months)
    first = pd.Timestamp(ctx.window.floor or ctx.window.start)
    judged = events[events["due"].between(first, as_of)]
    late = judged[judged["next"].isna() | (judged["next"] > judged["due"])]
    items = judged_items(judged["subject"].to_numpy(), judged["due"].dt.date.astype(str).to_numpy())
    if late.empty:
        return CheckResult(judged=items)
    since = ("上次 " + late["day"].dt.strftime("%Y-%m-%d")).where(late["row"].notna(), f"起算日 {start:%Y-%m-%d}")
    then = ("下一次 " + late["next"].dt.strftime("%Y-%m-%d")).fillna(f"至{ctx.as_of.isoformat()}未再开展")
    gap = ((late["next"].fillna(as_of) - late["day"]).dt.days).astype(int)
    out = pd.DataFrame(
        {
            "unit": late["subject"].to_numpy(),
            "period": late["due"].dt.date.astype(str).to_numpy(),
            "actual": (gap.astype(str) + "天").to_numpy(),
            "expected": f"≤{params.months}个月",
            "detail": (since + "，" + then + "，间隔" + gap.astype(str) + "天").to_numpy(),
            "rows": [
                [(params.ledger, r) for r in (a, b) if pd.notna(r)]
                for a, b in zip(late["row"], late["next_row"], strict=True)
            ],
        }
    )
    return CheckResult(findings_frame(out), judged=items)

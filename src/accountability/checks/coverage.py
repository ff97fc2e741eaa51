"""`coverage`: each subject unit's areas (e.g. its villages) all appear in its records, per period or by a date."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.common import attach, between, group_rows, records
from accountability.checks.favour import doubtful_rows, lean_on
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams, check_kind
from accountability.ingest.units import Subjects
from accountability.ingest.values import isin, list_items
from accountability.language.periods import Period, PeriodKind, period_labels, whole_periods


class Span(BaseModel):
    """One fixed span (a campaign phase), judged on its last day."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: dt.date = Field(alias="from")
    to: dt.date


class CoverageParams(LedgerParams):
    COLUMN_FIELDS = ("date", "areas")

    subjects: Subjects
    area_level: str = "village"
    areas: list[str] = ["areas"]
    date: str = "date"
    period: PeriodKind | None = None
    span: Span | None = None
    match: Literal["unit", "any"] = "unit"


def _periods(ctx: CheckContext, params: CoverageParams) -> list[Period]:
    if params.span is not None:
        end = params.span.to
        return [Period(end.isoformat(), params.span.from_, end)] if ctx.window.contains(end) else []
    return whole_periods(params.period or "month", ctx.window)


def _anywhere(
    ctx: CheckContext, params: CoverageParams, frame: pd.DataFrame, pairs: pd.DataFrame, areas: pd.DataFrame
) -> pd.DataFrame:
    """In the unit's favour, a record that names no area it can be read for (blank, or a name not in the units
    ledger) may have covered any area of its subject."""
    unknown = pd.Series(True, index=frame.index)
    for column in params.areas:
        named = frame.index.isin(list_items(frame[column]).index)
        unknown &= ~named | frame.index.isin(ctx.ledgers.invalid_cells(params.ledger, column))
    lean_on(ctx, params.ledger, frame.index[unknown & ~doubtful_rows(frame)], params.areas[0])
    open_rows = pairs[pairs["row"].isin(frame.index[unknown])]
    return open_rows.merge(areas[["subject", "unit"]], on="subject")


@check_kind("coverage", CoverageParams, "{unit_name} {period}：未覆盖 {detail}（已覆盖 {actual}）")
def coverage(ctx: CheckContext, params: CoverageParams) -> CheckResult:
    """Each subject's areas of `area_level` appear in its records in each period; one finding listing the missed."""
    subjects = ctx.ledgers.units.select(params.subjects)
    periods = _periods(ctx, params)
    if not subjects or not periods:
        return CheckResult()
    areas = ctx.ledgers.units.children(params.area_level)
    areas = areas[isin(areas["parent"], subjects)].rename(columns={"parent": "subject"})
    spans = (params.date, [(p.start, p.end) for p in periods])
    frame = records(ctx, params, columns=["unit", params.date, *params.areas], helps=True, spread=spans)
    frame = frame[between(frame[params.date], periods[0].start, periods[-1].end)]
    pairs = attach(ctx, frame, params.match, params.areas[0], subjects)
    if params.span is not None:
        pairs["period"] = periods[0].label
    else:
        pairs["period"] = period_labels(
            params.period or "month", frame.loc[pairs["row"], params.date], window=ctx.window
        ).array
    named = pd.concat([list_items(frame[column]) for column in params.areas])
    covered = pairs.merge(pd.DataFrame({"row": named.index, "unit": named.array}), on="row")
    if ctx.favour:
        covered = pd.concat([covered, _anywhere(ctx, params, frame, pairs, areas)], ignore_index=True)
    grid = areas.merge(pd.DataFrame({"period": [p.label for p in periods]}), how="cross")
    seen = grid.merge(covered[["subject", "period", "unit"]].drop_duplicates(), how="left", indicator=True)
    seen["missed"] = seen["_merge"] == "left_only"
    seen["name"] = ctx.ledgers.units.names(seen["unit"])
    totals = seen.groupby(["subject", "period"]).agg(total=("unit", "size"), missed=("missed", "sum"))
    names = seen[seen["missed"]].groupby(["subject", "period"])["name"].agg("、".join)
    out = totals[totals["missed"] > 0].join(names).reset_index()
    judged = judged_items(totals.index.get_level_values("subject"), totals.index.get_level_values("period"))
    if out.empty:
        return CheckResult(judged=judged)
    out["rows"] = group_rows(pairs, out, params.ledger)
    out["expected"] = out["total"].astype(str) + "/" + out["total"].astype(str)
    out["actual"] = (out["total"] - out["missed"]).astype(str) + "/" + out["total"].astype(str)
    out = out.rename(columns={"subject": "unit", "name": "detail"})
    return CheckResult(findings_frame(out), judged=judged)

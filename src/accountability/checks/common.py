"""Pieces several check kinds share: records in scope, subjects, deadlines, per-record findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.favour import Spread, select, with_possible
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams
from accountability.ingest.values import isin, list_items
from accountability.language.periods import PeriodKind, on_month_day, period_labels, yearly_deadlines


def records(
    ctx: CheckContext,
    params: LedgerParams,
    date_column: str | None = None,
    columns: Iterable[str] | None = None,
    helps: bool = False,
    spread: Spread | None = None,
) -> pd.DataFrame:
    """The ledger's records that pass `where`, leaving out records dated after as_of; with `columns`, only those of
    them the ledger has. A province's patrols are 1.2 million rows of 22 columns: taking every column for a check
    that reads three or four cost 0.2 to 0.3 s a rule. `helps`: the records count for their unit (patrols toward a
    minimum), so in the unit's favour the rejected rows come in too, spread over `spread` where undated."""
    frame = ctx.ledgers.frame(params.ledger)
    if helps:
        frame = with_possible(ctx, frame, params.ledger, spread)
    mask = select(ctx, frame, params.where, params.ledger, helps)
    if date_column:
        mask &= ~(frame[date_column] > pd.Timestamp(ctx.as_of)).fillna(False).astype(bool)
    if columns is None:
        return frame[mask]
    wanted = [*columns, "_doubt", "_source"]
    return frame.loc[mask, [c for c in dict.fromkeys(wanted) if c in frame.columns]]


def row_refs(frame: pd.DataFrame, ledger: str) -> pd.Series:
    """Each record's evidence as a one-item list [(ledger, row index)]."""
    return pd.Series([[(ledger, index)] for index in frame.index], index=frame.index, dtype=object)


class RecordParams(LedgerParams):
    """A kind judging single records: one finding per failing record, its unit and optional period."""

    COLUMN_FIELDS = ("unit", "date")

    unit: str = "unit"
    date: str | None = None
    period: PeriodKind | None = None

    @model_validator(mode="after")
    def _period_needs_date(self) -> RecordParams:
        if self.period and not self.date:
            raise ValueError("按期归属（period）需要同时写日期列 date")
        return self


def record_judged(ctx: CheckContext, params: RecordParams, frame: pd.DataFrame) -> pd.DataFrame:
    """The records a rule judged, each by its unit (the top unit when empty) and period, as its finding has them."""
    unit = frame[params.unit].astype("string").fillna(ctx.ledgers.units.top)
    period = period_labels(params.period, frame[params.date], window=ctx.window).fillna("") if params.period else ""
    return judged_items(unit, period)


def record_findings(ctx: CheckContext, params: RecordParams, frame: pd.DataFrame, **values: Any) -> pd.DataFrame:
    """One finding per record of `frame`; `values` are columns or constants for expected/actual/detail."""
    out = record_judged(ctx, params, frame)
    by_row = "第" + frame["_row"].astype("string") + "行"
    out["record"] = frame["id"].astype("string").fillna("") if "id" in frame else by_row
    for name, value in values.items():
        out[name] = value
    out["rows"] = row_refs(frame, params.ledger)
    return findings_frame(out)


class Deadline(BaseModel):
    """`by: 2025-12-31` once, or `every_year: "12-31"`; counting from a date or from the deadline's year start."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    by: dt.date | None = None
    every_year: str | None = Field(None, pattern=r"^\d{2}-\d{2}$")
    count_from: dt.date | Literal["year_start"] = "year_start"

    @model_validator(mode="after")
    def _one(self) -> Deadline:
        if (self.by is None) == (self.every_year is None):
            raise ValueError('截止日期写 by: 日期 或 every_year: "MM-DD" 其中一个')
        return self

    def judged(self, ctx: CheckContext) -> list[dt.date]:
        """Deadlines inside the window: judged on the records up to them."""
        if self.by is not None:
            return [self.by] if ctx.window.contains(self.by) else []
        return yearly_deadlines(self.every_year or "", ctx.window)

    def upcoming(self, ctx: CheckContext) -> dt.date | None:
        """The next deadline after as_of, for which the report shows progress."""
        if self.by is not None:
            return self.by if self.by > ctx.as_of else None
        this_year = on_month_day(self.every_year or "", ctx.as_of.year)
        return this_year if this_year > ctx.as_of else None

    def start(self, deadline: dt.date) -> dt.date:
        return dt.date(deadline.year, 1, 1) if self.count_from == "year_start" else self.count_from


def deadline_result(
    ctx: CheckContext,
    deadline: Deadline,
    subjects: list[str],
    short: Callable[[dt.date, dt.date], pd.DataFrame],
    progress: Callable[[dt.date, dt.date], pd.DataFrame],
) -> CheckResult:
    """A deadline rule's result: at each judged deadline the findings `short(start, deadline)` (period = the
    deadline), every subject judged there; before the next deadline, `progress(start, as_of)` (unit, target,
    actual) toward it."""
    days = deadline.judged(ctx)
    found = [short(deadline.start(day), day).assign(period=day.isoformat()) for day in days]
    result = CheckResult(findings_frame(pd.concat(found)) if found else findings_frame(pd.DataFrame()))
    result.judged = judged_items(subjects * len(days), [day.isoformat() for day in days for _ in subjects])
    upcoming = deadline.upcoming(ctx)
    if upcoming is not None:
        result.progress = progress(deadline.start(upcoming), ctx.as_of).assign(deadline=upcoming.isoformat())
    return result


def between(series: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """start <= value <= end, False for empty cells."""
    return ((series >= pd.Timestamp(start)) & (series <= pd.Timestamp(end))).fillna(False).astype(bool)


Match = Literal["unit", "unit_or_villages", "unit_or_areas", "unit_or_served", "any"]


def attach(ctx: CheckContext, frame: pd.DataFrame, match: Match, areas: str, subjects: list[str]) -> pd.DataFrame:
    """(row, subject) pairs: a record counts for its own unit; with `unit_or_villages` a record filed under a
    village also for the village's township (its patrol written down by the village); with `unit_or_areas` for
    a unit (or its parent) named in its areas; with `unit_or_served` for every unit its unit serves (a 自然资源所's
    patrol for the townships it serves); with `any` for every subject (rules on a whole jurisdiction)."""
    if match == "any":
        pairs = pd.DataFrame({"row": frame.index.repeat(len(subjects)), "subject": subjects * len(frame)})
        return pairs
    own = frame["unit"].astype("string")
    pairs = [pd.DataFrame({"row": frame.index, "subject": own.array})]
    if match == "unit_or_villages":
        units = ctx.ledgers.units
        village = isin(own, units.frame.index[units.level.eq("village")]).fillna(False).astype(bool)
        pairs.append(pd.DataFrame({"row": frame.index[village], "subject": own[village].map(units.parent).array}))
    if match == "unit_or_served":
        served = pd.DataFrame({"row": frame.index, "server": own.array}).merge(ctx.ledgers.units.serves, on="server")
        pairs.append(served.rename(columns={"unit": "subject"})[["row", "subject"]])
    if match == "unit_or_areas":
        named = list_items(frame[areas])
        named = pd.DataFrame({"row": named.index, "subject": named.array})
        parents = named.assign(subject=named["subject"].map(ctx.ledgers.units.parent).astype("string"))
        pairs += [named, parents.dropna()]
    out = pd.concat(pairs, ignore_index=True).drop_duplicates()
    return out[isin(out["subject"], subjects)]


def group_rows(pairs: pd.DataFrame, groups: pd.DataFrame, ledger: str) -> list[list[tuple[str, Any]]]:
    """For each row of `groups` (subject, period), the evidence rows of `pairs` in that group."""
    keys = ["subject", "period"]
    hit = pairs.merge(groups[keys], on=keys)
    lists = hit.groupby(keys)["row"].agg(list)
    found = lists.reindex(pd.MultiIndex.from_frame(groups[keys]))
    return [[(ledger, r) for r in rows] if isinstance(rows, list) else [] for rows in found.to_numpy()]

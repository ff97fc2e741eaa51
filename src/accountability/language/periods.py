"""The audit window and the periods rules are judged in: only whole periods, labelled as docs/obligations.md says
(a day 2024-01-10; the campaign, the plan's whole effective span, 2024-01-01~2024-06-30)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import pandas as pd

from accountability.ingest.values import Distinct

PeriodKind = Literal["day", "week", "month", "quarter", "year", "two_months", "campaign"]


@dataclass(frozen=True)
class Window:
    """[start, as_of], both days included. With a `floor` (the monthly check), a period is judged when it ends
    inside the window and starts on or after the floor: the week across the 1st and the quarter ending with the
    month are judged in the month they end, so consecutive monthly checks judge every period exactly once."""

    start: date
    as_of: date
    floor: date | None = None
    plan: tuple[date, date | None] | None = None  # the plan's first and last day: the `campaign` period

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.as_of


@dataclass(frozen=True)
class AuditWindow:
    """What an audit is asked to judge: from `date_from` (None: each plan's first day) to `as_of`; with `by_end`,
    the monthly check, every period that ends in the window (see Window.floor)."""

    date_from: date | None
    as_of: date
    by_end: bool = False

    def for_plan(self, first: date, last: date | None) -> Window:
        """The window cut to a plan's effective days [first, last]: periods after a campaign ends are not judged;
        the monthly check reaches back to the plan's first day for periods ending in it."""
        start = self.date_from or first
        end = min(self.as_of, last) if last else self.as_of
        return Window(start, end, floor=first if self.by_end else None, plan=(first, last))


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _label(kind: PeriodKind, start: date, end: date) -> str:
    if kind == "day":
        return start.isoformat()
    if kind == "campaign":
        return f"{start.isoformat()}~{end.isoformat()}"
    if kind == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "month":
        return f"{start:%Y-%m}"
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == "year":
        return f"{start.year}"
    return f"{start:%Y-%m}~{end:%Y-%m}"


def _first_start(kind: PeriodKind, day: date, anchor: date | None) -> date:
    """The start of the period containing `day` (for blocks: counted from `anchor`)."""
    if kind == "day":
        return day
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return _month_start(day)
    if kind == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if kind == "year":
        return date(day.year, 1, 1)
    origin = _month_start(anchor or day)
    months = (day.year - origin.year) * 12 + day.month - origin.month
    return _add_months(origin, months // 2 * 2)


def _next_start(kind: PeriodKind, start: date) -> date:
    if kind == "day":
        return start + timedelta(days=1)
    if kind == "week":
        return start + timedelta(days=7)
    step = {"month": 1, "quarter": 3, "year": 12, "two_months": 2}[kind]
    return _add_months(start, step)


def whole_periods(kind: PeriodKind, window: Window, anchor: date | None = None) -> list[Period]:
    """Every period lying wholly inside the window (with a floor: ending inside it and starting on or after the
    floor); a two-month block counts from `anchor` (its first month). The campaign is judged once, when the window
    holds it whole: a plan without an end day has none (rules check refuses such a rule)."""
    if kind == "campaign":
        first, last = window.plan or (window.start, None)
        if last is None or not ((window.floor or window.start) <= first and window.start <= last <= window.as_of):
            return []
        return [Period(_label(kind, first, last), first, last)]
    start = _first_start(kind, window.start, anchor)
    if start < (window.floor or window.start):
        start = _next_start(kind, start)
    periods = []
    while True:
        end = _next_start(kind, start) - timedelta(days=1)
        if end > window.as_of:
            return periods
        if anchor is None or start >= _month_start(anchor):
            periods.append(Period(_label(kind, start, end), start, end))
        start = end + timedelta(days=1)


def period_labels(
    kind: PeriodKind, dates: pd.Series, anchor: date | None = None, window: Window | None = None
) -> pd.Series:
    """The label of the period each date falls in, vectorised, once per distinct date; NaT gives NA, and so does a
    date outside the campaign (its span is the `window`'s plan)."""
    distinct = Distinct(pd.to_datetime(dates))
    return distinct.expand(_labels(kind, distinct.uniques, anchor, window))


def _labels(kind: PeriodKind, stamps: pd.Series, anchor: date | None, window: Window | None) -> pd.Series:
    if kind == "day":
        labels = stamps.dt.strftime("%Y-%m-%d")
    elif kind == "campaign":
        first, last = window.plan if window and window.plan else (None, None)
        inside = between_days(stamps, first, last) if first and last else pd.Series(False, index=stamps.index)
        labels = pd.Series(f"{first}~{last}", index=stamps.index, dtype="string").where(inside)
    elif kind == "week":
        iso = stamps.dt.isocalendar()
        labels = iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
    elif kind == "month":
        labels = stamps.dt.strftime("%Y-%m")
    elif kind == "quarter":
        labels = (
            stamps.dt.year.astype("Int64").astype("string") + "-Q" + stamps.dt.quarter.astype("Int64").astype("string")
        )
    elif kind == "year":
        labels = stamps.dt.year.astype("Int64").astype("string")
    else:
        origin = _month_start(anchor) if anchor else None
        month_index = stamps.dt.year * 12 + stamps.dt.month - 1
        origin_index = origin.year * 12 + origin.month - 1 if origin else 0
        block_index = origin_index + (month_index - origin_index) // 2 * 2
        first = pd.to_datetime({"year": block_index // 12, "month": block_index % 12 + 1, "day": 1}, errors="coerce")
        last = first + pd.DateOffset(months=1)
        labels = first.dt.strftime("%Y-%m") + "~" + last.dt.strftime("%Y-%m")
    return labels.astype("string").where(stamps.notna())


def between_days(stamps: pd.Series, first: date, last: date) -> pd.Series:
    """first <= stamp <= last, False for NaT."""
    return ((stamps >= pd.Timestamp(first)) & (stamps <= pd.Timestamp(last))).fillna(False).astype(bool)


def on_month_day(month_day: str, year: int) -> date:
    """`"12-31"` in `year`."""
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, day)


def yearly_deadlines(month_day: str, window: Window) -> list[date]:
    """Each year's `MM-DD` deadline that falls inside the window."""
    years = range(window.start.year, window.as_of.year + 1)
    return [d for d in (on_month_day(month_day, y) for y in years) if window.contains(d)]


_LABEL = (
    r"^(?P<year>\d{4})"
    r"(?:-W(?P<week>\d{2})|-Q(?P<quarter>\d)|-(?P<month>\d{2})(?:(?P<pair>~\d{4}-\d{2})|-(?P<day>\d{2})"
    r"(?:~(?P<until>\d{4}-\d{2}-\d{2}))?)?)?$"
)
_SPAN_MONTHS = {"month": 1, "two_months": 2, "quarter": 3, "year": 12}


def label_spans(labels: pd.Series) -> pd.DataFrame:
    """From period labels back to what they mean, vectorised: `kind`, `ordinal` (consecutive periods of one kind
    differ by 1), `start` and `end`. A deadline's day (2025-12-31) is kind `day` with no ordinal: deadlines do
    not recur, nor do a day period or the campaign (`campaign`, 2024-01-01~2024-06-30). A label that is not a period
    (empty, a record id) gives NA."""
    parts = labels.astype("string").fillna("").str.extract(_LABEL)
    year, week, quarter, month = (pd.to_numeric(parts[c]).astype(float) for c in ("year", "week", "quarter", "month"))
    kind = pd.Series(pd.NA, index=labels.index, dtype="string").mask(year.notna(), "year")
    kind = kind.mask(week.notna(), "week").mask(quarter.notna(), "quarter").mask(month.notna(), "month")
    kind = kind.mask(parts["pair"].notna(), "two_months")
    day = pd.to_datetime(parts["year"] + "-" + parts["month"] + "-" + parts["day"], errors="coerce")
    first_month = (
        (year * 12).where(quarter.isna(), year * 12 + (quarter - 1) * 3).where(month.isna(), year * 12 + month - 1)
    )
    months = kind.map(_SPAN_MONTHS).astype(float)
    monday = pd.to_datetime(parts["year"] + "-W" + parts["week"] + "-1", format="%G-W%V-%u", errors="coerce")
    is_week = kind == "week"
    start = _month_stamp(first_month).where(~is_week, monday)
    end = (_month_stamp(first_month + months) - pd.Timedelta(days=1)).where(~is_week, monday + pd.Timedelta(days=6))
    weeks = ((monday - pd.Timestamp("1970-01-05")).dt.days // 7).astype(float)
    ordinal = (first_month // months).where(~is_week, weeks)
    has_day = parts["day"].notna()
    kind = kind.mask(has_day, "day").mask(has_day & day.isna(), pd.NA)
    start, end, ordinal = start.mask(has_day, day), end.mask(has_day, day), ordinal.mask(has_day)
    until = pd.to_datetime(parts["until"], errors="coerce")
    spans = parts["until"].notna()
    kind = kind.mask(spans, "campaign").mask(spans & (day.isna() | until.isna()), pd.NA)
    end = end.mask(spans, until)
    return pd.DataFrame({"kind": kind, "ordinal": ordinal.astype("Int64"), "start": start, "end": end})


def _month_stamp(month_index: pd.Series) -> pd.Series:
    """The first day of a month given as year*12 + month - 1 (NaN gives NaT)."""
    return pd.to_datetime({"year": month_index // 12, "month": month_index % 12 + 1, "day": 1}, errors="coerce")

"""`report_deadline`: each subject unit submits each report kind by its due date, once or every month or year,
the due date moved to the next working day where the plan says "逢节假日顺延"."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.common import records
from accountability.checks.favour import lean_on
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams, check_kind
from accountability.contract.schema import fold
from accountability.ingest.units import Subjects
from accountability.ingest.values import parse_month
from accountability.language.periods import on_month_day


class Due(BaseModel):
    """One report kind and when it is due: `by` a date once, `every_year: "12-20"`, or `every_month: 24`
    (in the `months` listed); `shift: true` moves a due date on a weekend or holiday to the next working day."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    names: list[str] = []
    by: dt.date | None = None
    every_year: str | None = Field(None, pattern=r"^\d{2}-\d{2}$")
    every_month: int | None = Field(None, ge=1, le=28)
    months: list[int] = list(range(1, 13))
    shift: bool = False

    @model_validator(mode="after")
    def _one(self) -> Due:
        if sum(v is not None for v in (self.by, self.every_year, self.every_month)) != 1:
            raise ValueError('每项报送写 by: 日期、every_year: "MM-DD" 或 every_month: 日 其中一个')
        return self

    @property
    def recurring(self) -> str:
        return "month" if self.every_month else "year" if self.every_year else ""

    def nominal(self, window_start: dt.date, window_end: dt.date) -> list[tuple[str, dt.date]]:
        """(period covered, nominal due date) for every due date from the window's start year to its end year."""
        if self.by is not None:
            return [(self.by.isoformat(), self.by)]
        years = range(window_start.year, window_end.year + 1)
        if self.every_year:
            return [(str(y), on_month_day(self.every_year, y)) for y in years]
        return [(f"{y}-{m:02d}", dt.date(y, m, self.every_month or 1)) for y in years for m in self.months]


class ReportDeadlineParams(LedgerParams):
    COLUMN_FIELDS = ("unit", "kind", "period", "date")

    ledger: str = "reports"
    subjects: Subjects
    reports: list[Due]
    unit: str = "unit"
    kind: str = "kind"
    period: str = "period"
    date: str = "submitted_date"


def _deadlines(ctx: CheckContext, params: ReportDeadlineParams) -> pd.DataFrame:
    """Every due date inside the window: report kind, period covered, nominal and actual due date, and
    whether the working-day shift had to guess a year the calendar does not know."""
    rows = []
    for due in params.reports:
        for period, nominal in due.nominal(ctx.window.start, ctx.window.as_of):
            actual, guessed = ctx.calendar.next_workday(nominal) if due.shift else (nominal, False)
            if ctx.window.contains(actual):
                rows.append((due.kind, period, nominal, actual, guessed, due.recurring))
    return pd.DataFrame(rows, columns=["code", "period", "nominal", "due", "provisional", "recurring"])


def _submissions(ctx: CheckContext, params: ReportDeadlineParams) -> pd.DataFrame:
    """Reports with their kind as a code and the period they cover (a month or year label; where the cell is
    empty, the month or year they were submitted in)."""
    frame = records(ctx, params, params.date, helps=True)
    names = {fold(name): due.kind for due in params.reports for name in (due.kind, *due.names)}
    code = frame[params.kind].astype("string").map(fold, na_action="ignore").map(names)
    submitted = pd.to_datetime(frame[params.date])
    month = parse_month(frame[params.period].astype(object)).values.astype("string")
    year = frame[params.period].astype("string").str.extract(r"((?:19|20)\d{2})", expand=False)
    return pd.DataFrame(
        {
            "row": frame.index,
            "source": frame.get("_source", frame.index),
            "unit": frame[params.unit].astype("string"),
            "code": code,
            "month": month.fillna(submitted.dt.strftime("%Y-%m")).astype("string"),
            "year": year.fillna(submitted.dt.year.astype("Int64").astype("string")).astype("string"),
            "submitted": submitted,
        }
    )


def _in_favour(ctx: CheckContext, params: ReportDeadlineParams, sent: pd.DataFrame, due: pd.DataFrame) -> pd.DataFrame:
    """Reports read in the unit's favour: an unknown kind may be any kind due, an unknown period any period due,
    an unknown submission date in time."""
    open_kind = sent["code"].isna()
    lean_on(ctx, params.ledger, pd.Index(sent.loc[open_kind, "source"]), params.kind)
    sent = pd.concat([sent[~open_kind], *(sent[open_kind].assign(code=code) for code in due["code"].unique())])
    for column in ("month", "year"):
        open_period = sent[column].isna()
        periods = due.loc[due["recurring"] == column, "period"].unique()
        sent = pd.concat([sent[~open_period], *(sent[open_period].assign(**{column: p}) for p in periods)])
    late_unknown = sent["submitted"].isna()
    lean_on(ctx, params.ledger, pd.Index(sent.loc[late_unknown, "source"].unique()), params.date)
    return sent.assign(submitted=sent["submitted"].fillna(pd.Timestamp.min))


@check_kind("report_deadline", ReportDeadlineParams, "{unit_name} {period}：{detail}")
def report_deadline(ctx: CheckContext, params: ReportDeadlineParams) -> CheckResult:
    """One finding per subject unit, report kind and period with no report by the due date (missing or late)."""
    subjects = ctx.ledgers.units.select(params.subjects)
    deadlines = _deadlines(ctx, params)
    if not subjects or deadlines.empty:
        return CheckResult()
    grid = pd.DataFrame({"unit": subjects}).merge(deadlines, how="cross")
    sent = _submissions(ctx, params)
    if ctx.favour:
        sent = _in_favour(ctx, params, sent, deadlines)
    sent = sent.dropna(subset=["code", "unit"])
    matched = pd.concat(
        [
            grid[grid["recurring"] == "month"].merge(
                sent, left_on=["unit", "code", "period"], right_on=["unit", "code", "month"]
            ),
            grid[grid["recurring"] == "year"].merge(
                sent, left_on=["unit", "code", "period"], right_on=["unit", "code", "year"]
            ),
            grid[grid["recurring"] == ""].merge(sent, on=["unit", "code"]),
        ]
    )
    keys = ["unit", "code", "period"]
    on_time = matched[matched["submitted"] <= pd.to_datetime(matched["due"])].drop_duplicates(keys)
    first = matched.sort_values("submitted").groupby(keys).agg(first=("submitted", "first"), rows=("row", list))
    out = grid.merge(on_time[keys].assign(ok=True), on=keys, how="left")
    out = out[out["ok"].isna()].join(first, on=keys)
    judged = judged_items(grid["unit"], grid["period"])
    if out.empty:
        return CheckResult(judged=judged)
    names = {due.kind: (due.names or [due.kind])[0] for due in params.reports}
    label = out["code"].map(names)
    shifted = out["due"] != out["nominal"]
    out["expected"] = [
        f"{due:%Y-%m-%d}前报送" + (f"（{nominal:%m月%d日}逢休息日顺延）" if moved else "")
        for due, nominal, moved in zip(out["due"], out["nominal"], shifted, strict=True)
    ]
    out["actual"] = ["未报送" if pd.isna(d) else f"{d:%Y-%m-%d}报送，逾期" for d in out["first"]]
    out["detail"] = label + " " + out["actual"] + "（要求" + out["expected"] + "）"
    out["record"] = out["code"]
    out["rows"] = [[(params.ledger, r) for r in rows] if isinstance(rows, list) else [] for rows in out["rows"]]
    return CheckResult(findings_frame(out), judged=judged)

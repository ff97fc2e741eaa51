"""`overdue`: a record whose task (sealing an adit, closing a problem) was not done by its due date, the due
date fixed or counted from one of the record's own dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from accountability.checks.common import RecordParams, record_findings, record_judged, records
from accountability.checks.favour import select
from accountability.checks.registry import CheckContext, CheckResult, check_kind, condition_items, condition_refs
from accountability.language.conditions import Condition


class DueCase(BaseModel):
    """The due date of the records that meet `when`: a fixed day (`by`), or `days` after the date in `after`."""

    model_config = ConfigDict(extra="forbid")

    when: list[Condition] = []
    by: dt.date | None = None
    after: str | None = None
    days: int = 0

    @model_validator(mode="after")
    def _one(self) -> DueCase:
        if (self.by is None) == (self.after is None):
            raise ValueError("期限写 by: 日期，或 after: 日期列 加 days: 天数，其中一种")
        return self


class OverdueParams(RecordParams):
    COLUMN_FIELDS = ("unit", "date", "done_date")

    due: list[DueCase]
    done: list[Condition]
    done_date: str | None = None

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        refs = super().references() + condition_refs(("done",), self.ledger, self.done)
        refs += [(("due", i, "after"), self.ledger, case.after) for i, case in enumerate(self.due) if case.after]
        groups = [condition_refs(("due", i, "when"), self.ledger, case.when) for i, case in enumerate(self.due)]
        return refs + [ref for group in groups for ref in group]

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        groups = [condition_items(("due", i, "when"), self.ledger, case.when) for i, case in enumerate(self.due)]
        return (
            super().conditions() + condition_items(("done",), self.ledger, self.done) + [g for x in groups for g in x]
        )


def due_dates(ctx: CheckContext, params: OverdueParams, frame: pd.DataFrame) -> pd.Series:
    """Each record's due date by the first case whose conditions it meets; NaT where none applies."""
    due = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for case in reversed(params.due):
        hit = select(ctx, frame, case.when, params.ledger, helps=False)
        if case.by is not None:
            due[hit] = pd.Timestamp(case.by)
        else:
            due[hit] = frame.loc[hit, case.after] + pd.Timedelta(days=case.days)
    return due


@check_kind("overdue", OverdueParams, "{record}：{detail}")
def overdue(ctx: CheckContext, params: OverdueParams) -> CheckResult:
    """Records whose due date is on or before as_of and that are not done, or were done after the due date.
    A record marked done with no completion date is taken as done in time: the ledger gives nothing to judge."""
    frame = records(ctx, params, params.date)
    due = due_dates(ctx, params, frame)
    judged = (due <= pd.Timestamp(ctx.as_of)).fillna(False).astype(bool)
    done = select(ctx, frame, params.done, params.ledger, helps=True)
    finished = frame[params.done_date] if params.done_date else pd.Series(pd.NaT, index=frame.index)
    late = done & (finished > due).fillna(False).astype(bool)
    failing = judged & (~done | late)
    items = record_judged(ctx, params, frame[judged])
    frame, due, finished, late = frame[failing], due[failing], finished[failing], late[failing]
    actual = pd.Series(
        np.where(late, "逾期完成（" + finished.dt.strftime("%Y-%m-%d") + "）", "未完成"), index=frame.index
    )
    expected = due.dt.strftime("%Y-%m-%d") + "前完成"
    detail = actual + "，应于 " + expected
    return CheckResult(
        record_findings(ctx, params, frame, expected=expected, actual=actual, detail=detail), judged=items
    )

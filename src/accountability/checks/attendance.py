"""`attendance`: by a deadline a meeting of a kind was held and everyone required attended one."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.common import Deadline, between, records
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams, check_kind
from accountability.ingest.values import isin, list_items
from accountability.language.conditions import member


class Required(BaseModel):
    """Who must attend: every record of a ledger (matched by id or name), or every person holding a role."""

    model_config = ConfigDict(extra="forbid")

    ledger: str | None = None
    role: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Required:
        if (self.ledger is None) == (self.role is None):
            raise ValueError("required 每项写 ledger（如 key_persons）或 role（如 enterprise_head）其中一个")
        return self


class AttendanceParams(LedgerParams):
    COLUMN_FIELDS = ("date", "attendees")

    date: str = "date"
    attendees: str = "attendees"
    required: list[Required]
    deadline: Deadline

    def ledgers(self) -> list[str]:
        return [self.ledger, *(r.ledger for r in self.required if r.ledger)]


def _required(ctx: CheckContext, params: AttendanceParams) -> pd.DataFrame:
    """Everyone who must attend: id, name."""
    people = ctx.ledgers.people
    frames = [ctx.ledgers.frame(r.ledger)[["id", "name"]] for r in params.required if r.ledger]
    frames += [people.loc[member(people["roles"], [r.role]), ["id", "name"]] for r in params.required if r.role]
    return pd.concat(frames, ignore_index=True).astype("string").drop_duplicates("id")


def _attendance(ctx: CheckContext, params: AttendanceParams, meetings: pd.DataFrame, start, end) -> tuple:
    held = meetings[between(meetings[params.date], start, end)]
    present = set(list_items(held[params.attendees]))
    required = _required(ctx, params)
    absent = required[~(isin(required["id"], present) | isin(required["name"], present))]
    return held, required, absent


@check_kind("attendance", AttendanceParams, "截至 {period}：{detail}")
def attendance(ctx: CheckContext, params: AttendanceParams) -> CheckResult:
    """One finding per judged deadline with no such meeting or with people who attended none; progress before."""
    spans = (params.date, [(params.deadline.start(day), day) for day in params.deadline.judged(ctx)])
    meetings = records(ctx, params, helps=True, spread=spans)
    top = ctx.ledgers.units.top
    found = []
    for deadline in params.deadline.judged(ctx):
        held, required, absent = _attendance(ctx, params, meetings, params.deadline.start(deadline), deadline)
        if held.empty:
            detail = "未组织召开"
        elif not absent.empty:
            detail = "未参加：" + "、".join(absent["name"].fillna(absent["id"]))
        else:
            continue
        found.append(
            {
                "unit": top,
                "period": deadline.isoformat(),
                "detail": detail,
                "expected": f"{len(required)}/{len(required)}",
                "actual": f"{len(required) - len(absent)}/{len(required)}" if not held.empty else "0 次",
                "rows": [(params.ledger, r) for r in held.index],
            }
        )
    judged_days = [day.isoformat() for day in params.deadline.judged(ctx)]
    result = CheckResult(findings_frame(pd.DataFrame(found)), judged=judged_items(top, judged_days))
    upcoming = params.deadline.upcoming(ctx)
    if upcoming is not None:
        held, required, absent = _attendance(ctx, params, meetings, params.deadline.start(upcoming), ctx.as_of)
        attended = len(required) - len(absent) if not held.empty else 0
        result.progress = pd.DataFrame(
            [{"unit": top, "target": len(required), "actual": attended, "deadline": upcoming.isoformat()}]
        )
    return result

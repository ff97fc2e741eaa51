"""`earlier_record`: a record that an earlier record of another ledger should have caught ("应发现而未发现": a
problem found by a higher level in a village whose own check, days before, said all was well)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from accountability.checks.common import RecordParams, record_findings, record_judged, records
from accountability.checks.favour import select
from accountability.checks.registry import CheckContext, CheckResult, check_kind, condition_items, condition_refs
from accountability.language.conditions import Condition


class Earlier(BaseModel):
    """The records that should have caught it: their ledger and filter, their date, the columns that must
    match (`match`: this ledger's column → theirs), and the span they count in."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    ledger: str
    where: list[Condition] = []
    date: str = "date"
    match: dict[str, str]
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None


class EarlierRecordParams(RecordParams):
    date: str  # type: ignore[assignment]
    earlier: Earlier

    def ledgers(self) -> list[str]:
        return [self.ledger, self.earlier.ledger]

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        spec = self.earlier
        refs = [*super().references(), (("earlier", "date"), spec.ledger, spec.date)]
        refs += [(("earlier", "match"), self.ledger, mine) for mine in spec.match]
        refs += [(("earlier", "match"), spec.ledger, theirs) for theirs in spec.match.values()]
        return refs + condition_refs(("earlier", "where"), spec.ledger, spec.where)

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        return super().conditions() + condition_items(("earlier", "where"), self.earlier.ledger, self.earlier.where)


@check_kind("earlier_record", EarlierRecordParams, "{record}：{detail}")
def earlier_record(ctx: CheckContext, params: EarlierRecordParams) -> CheckResult:
    """One finding per record with at least one matching earlier record (dated before it, inside the span);
    the evidence is the record and those earlier records."""
    frame = records(ctx, params, params.date)
    spec = params.earlier
    other = ctx.ledgers.frame(spec.ledger)
    other = other[select(ctx, other, spec.where, spec.ledger, helps=False)]
    if spec.from_:
        other = other[(other[spec.date] >= pd.Timestamp(spec.from_)).fillna(False).astype(bool)]
    if spec.to:
        other = other[(other[spec.date] <= pd.Timestamp(spec.to)).fillna(False).astype(bool)]
    mine = frame[[*spec.match, params.date]].rename(columns={params.date: "_when"}).assign(_row=frame.index)
    theirs = other[[*spec.match.values(), spec.date]].rename(columns={spec.date: "_then"}).assign(_other=other.index)
    pairs = mine.dropna(subset=list(spec.match)).merge(
        theirs, left_on=list(spec.match), right_on=list(spec.match.values())
    )
    pairs = pairs[(pairs["_then"] < pairs["_when"]).fillna(False).astype(bool)]
    judged = record_judged(ctx, params, frame)
    if pairs.empty:
        return CheckResult(judged=judged)
    grouped = pairs.sort_values("_then").groupby("_row")
    earlier_ids = grouped["_other"].agg(list)
    failing = frame.loc[earlier_ids.index]
    out = record_findings(ctx, params, failing)
    ids = other["id"].astype("string") if "id" in other else other["_row"].astype("string")
    shown = [("、".join(ids.reindex(rows).fillna("")), rows) for rows in earlier_ids]
    out["detail"] = [f"此前的记录 {names} 填报未发现问题" for names, _ in shown]
    out["expected"] = "排查时发现并上报"
    out["actual"] = [f"{len(rows)} 条此前记录填报未发现问题" for _, rows in shown]
    out["rows"] = [own + [(spec.ledger, r) for r in rows] for own, (_, rows) in zip(out["rows"], shown, strict=True)]
    return CheckResult(out, judged=judged)

"""`ratio`: by a deadline, in each subject unit (a county), the records meeting `numerator` are at least a
share of its records dated in the counted span (the city spot-checks at least 30% of the problems)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from accountability.checks.common import Deadline, between, deadline_result, records
from accountability.checks.favour import doubtful_rows, select
from accountability.checks.registry import (
    CheckContext,
    CheckResult,
    LedgerParams,
    check_kind,
    condition_items,
    condition_refs,
)
from accountability.ingest.units import Subjects
from accountability.language.conditions import Condition


class RatioParams(LedgerParams):
    COLUMN_FIELDS = ("date", "group_column")

    subjects: Subjects
    date: str
    deadline: Deadline
    numerator: list[Condition]
    min_ratio: float
    group_column: str | None = None

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        return super().references() + condition_refs(("numerator",), self.ledger, self.numerator)

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        return super().conditions() + condition_items(("numerator",), self.ledger, self.numerator)


def _shares(
    ctx: CheckContext, params: RatioParams, frame: pd.DataFrame, subjects: list[str], start, end
) -> pd.DataFrame:
    """Per subject: records in [start, end], how many meet the numerator, how many are required (rounded up)."""
    dated = frame[between(frame[params.date], start, end)]
    hit = select(ctx, dated, params.numerator, params.ledger, helps=True)
    if ctx.favour:  # a record that may be out of scope counts only where it may also be a hit
        scoped = select(ctx, dated, params.where, params.ledger, helps=False) & ~doubtful_rows(dated)
        dated, hit = dated[scoped | hit], hit[scoped | hit]
    levels = tuple(ctx.ledgers.units.level.reindex(subjects).dropna().unique())
    group = ctx.ledgers.units.ancestor(dated["unit"], levels)
    if params.group_column:
        group = dated[params.group_column].astype("string").fillna(group)
    table = pd.DataFrame({"unit": group, "hit": hit, "row": dated.index})
    counted = table.groupby("unit").agg(total=("hit", "size"), hits=("hit", "sum"))
    counted = counted.reindex(subjects, fill_value=0)
    counted["required"] = [required(params.min_ratio, n) for n in counted["total"]]
    counted["rows"] = table[table["hit"]].groupby("unit")["row"].agg(list).reindex(counted.index)
    return counted.rename_axis("unit").reset_index()


def required(ratio: float, n: int) -> int:
    """How many of n must meet a ratio: rounded up (30% of 4 is 2); the 1e-9 keeps 30% of 10 at 3."""
    return math.ceil(ratio * n - 1e-9)


@check_kind("ratio", RatioParams, "{unit_name} 截至 {period}：{detail}")
def ratio(ctx: CheckContext, params: RatioParams) -> CheckResult:
    """At each deadline inside the window, subjects whose share falls short are findings (a subject with no
    records is not judged); before the next deadline, the count done and the count required are progress."""
    subjects = ctx.ledgers.units.select(params.subjects)
    if not subjects:
        return CheckResult()
    spans = (params.date, [(params.deadline.start(day), day) for day in params.deadline.judged(ctx)])
    frame = records(ctx, params, helps=True, spread=spans)

    def short(start, end) -> pd.DataFrame:
        shares = _shares(ctx, params, frame, subjects, start, end)
        short = shares[(shares["total"] > 0) & (shares["hits"] < shares["required"])].copy()
        short["expected"] = [f"≥{params.min_ratio:.0%}（至少 {r} 件）" for r in short["required"]]
        short["actual"] = [f"{h}/{t}（{h / t:.0%}）" for h, t in zip(short["hits"], short["total"], strict=True)]
        short["detail"] = [f"比例 {a}，要求{e}" for a, e in zip(short["actual"], short["expected"], strict=True)]
        short["rows"] = [[(params.ledger, r) for r in rows] if isinstance(rows, list) else [] for rows in short["rows"]]
        return short

    def progress(start, end) -> pd.DataFrame:
        shares = _shares(ctx, params, frame, subjects, start, end)
        return pd.DataFrame({"unit": shares["unit"], "target": shares["required"], "actual": shares["hits"]})

    return deadline_result(ctx, params.deadline, subjects, short, progress)

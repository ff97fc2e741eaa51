"""`shared_value`: one value (a photo, a notes text) on records that should each have their own."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from accountability.checks.columns import findings_frame
from accountability.checks.registry import CheckContext, CheckResult, KindParams, check_kind
from accountability.ingest.values import day_numbers, join_per_row, spread, text_codes


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ledger: str
    column: str
    date: str | None = None


class SharedValueParams(KindParams):
    sources: list[Source]
    distinct: Literal["record", "date"] = "record"
    min_length: int = 0
    record: Literal["value", "smallest_id"] = "value"

    def ledgers(self) -> list[str]:
        """The first source is needed; the others are read when present."""
        return [self.sources[0].ledger]

    def optional_ledgers(self) -> list[str]:
        return [s.ledger for s in self.sources[1:]]

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        refs = [(("sources", i, "column"), s.ledger, s.column) for i, s in enumerate(self.sources)]
        return refs + [(("sources", i, "date"), s.ledger, s.date) for i, s in enumerate(self.sources) if s.date]


def _values(ctx: CheckContext, params: SharedValueParams) -> pd.DataFrame:
    parts = []
    for source in params.sources:
        if not ctx.ledgers.has(source.ledger):
            continue
        frame = ctx.ledgers.frame(source.ledger)
        frame = (
            frame[~(frame[source.date] > pd.Timestamp(ctx.as_of)).fillna(False).astype(bool)] if source.date else frame
        )
        value = frame[source.column].astype("string").str.strip()
        parts.append(
            pd.DataFrame(
                {
                    "ledger": source.ledger,
                    "row": frame.index,
                    "id": frame["id"].astype("string").array,
                    "unit": frame["unit"].astype("string").array,
                    "value": value.array,
                    "day": frame[source.date].to_numpy() if source.date else pd.NaT,
                }
            )
        )
    values = pd.concat(parts, ignore_index=True)
    return values[values["value"].notna() & values["value"].str.len().ge(max(params.min_length, 1))]


@check_kind("shared_value", SharedValueParams, "{detail}")
def shared_value(ctx: CheckContext, params: SharedValueParams) -> CheckResult:
    """Groups records by value; a value on records with different ids (or dates) is one finding."""
    values = _values(ctx, params)
    value = text_codes(values["value"])
    several = np.bincount(value, minlength=1)[value] >= 2  # a value on one row is shared by nothing: most photos
    values, value = values[several], value[several]
    key = values["ledger"] + ":" + values["id"].fillna(values["row"].astype(str))
    items = text_codes(key) if params.distinct == "record" else day_numbers(values["day"])
    shared = values[spread(value, items)].sort_values(["value", "id"])
    if shared.empty:
        return CheckResult()
    shared = shared.assign(ref=list(zip(shared["ledger"], shared["row"], strict=True)))
    grouped = shared.groupby("value", sort=False)
    out = grouped.agg(unit=("unit", "first"), first_id=("id", "first"), rows=("ref", list))
    ids = shared.set_index("value")["id"].dropna()
    out["ids"] = join_per_row(ids, out.index, "、")
    out = out.reset_index()
    out["record"] = out["value"] if params.record == "value" else out["first_id"]
    counts = grouped.size().to_numpy()
    out["actual"] = [f"{n} 条记录" for n in counts]
    out["expected"] = "各不相同"
    label = "同一内容" if params.record == "smallest_id" else "「{}」"
    out["detail"] = [
        (label.format(v) if "{}" in label else label) + f"出现在 {n} 条记录：{ids}"
        for v, n, ids in zip(out["value"], counts, out["ids"], strict=True)
    ]
    return CheckResult(findings_frame(out))

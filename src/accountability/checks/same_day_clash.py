"""`same_day_clash`: one person on records of two different townships on the same day."""

from __future__ import annotations

import numpy as np
import pandas as pd

from accountability.checks.columns import findings_frame
from accountability.checks.common import records
from accountability.checks.registry import CheckContext, CheckResult, LedgerParams, check_kind
from accountability.ingest.values import combined, day_numbers, list_items, spread, text_codes


class SameDayClashParams(LedgerParams):
    COLUMN_FIELDS = ("date", "persons")

    date: str = "date"
    persons: list[str] = ["leader", "members"]


@check_kind("same_day_clash", SameDayClashParams, "{detail} 于 {period} 同时出现在 {actual} 的巡查中")
def same_day_clash(ctx: CheckContext, params: SameDayClashParams) -> CheckResult:
    """A person (by id, else name as written) on the same date in records of two or more townships."""
    frame = records(ctx, params, params.date, ["unit", params.date, *params.persons])
    named = pd.concat([list_items(frame[column]) for column in params.persons])
    units = ctx.ledgers.units
    township = units.township_of(frame["unit"])
    named = named[_clashing(named, frame.index.get_indexer(named.index), township, frame[params.date])]
    pairs = pd.DataFrame({"row": named.index, "person": named.array}).drop_duplicates()
    if pairs.empty:
        return CheckResult()
    pairs["township"] = township.loc[pairs["row"]].array
    pairs["day"] = frame.loc[pairs["row"], params.date].to_numpy()
    hit = pairs.sort_values(["person", "day", "township"])
    hit["township_name"] = units.names(hit["township"]).array
    grouped = hit.groupby(["person", "day"], sort=False)
    out = grouped.agg(first_unit=("township", "first"), detail=("township_name", lambda s: "、".join(dict.fromkeys(s))))
    out["rows"] = grouped["row"].agg(lambda rows: [(params.ledger, r) for r in rows])
    out = out.reset_index().rename(columns={"person": "record", "day": "period"})
    out["period"] = out["period"].dt.strftime("%Y-%m-%d")
    people = ctx.ledgers.people.set_index("id")
    out["unit"] = out["record"].map(people["unit"]).fillna(out["first_unit"])
    named = out["record"].map(people["name"])
    out["actual"] = out["detail"]
    out["detail"] = (named + "（" + out["record"] + "）").fillna(out["record"])
    out["expected"] = "同日只在一个乡镇"
    return CheckResult(findings_frame(out))


def _clashing(named: pd.Series, row: np.ndarray, township: pd.Series, day: pd.Series) -> np.ndarray:
    """Which named people (items of `named`, on the records at positions `row`) are on records of two or more
    townships the same day. Integers for people, townships and days: a province's patrols name millions."""
    days = day_numbers(day)[row]
    key = combined(text_codes(named), days, int(days.max(initial=0)) + 1)
    return spread(key, text_codes(township)[row])

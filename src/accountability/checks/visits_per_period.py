"""`visits_per_period`: each record of a ledger of places (an adit, a site) is visited by records of another
ledger (patrols naming its village) at least N times in every whole period."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from accountability.checks.columns import findings_frame, judged_items
from accountability.checks.common import records
from accountability.checks.favour import select
from accountability.checks.registry import (
    CheckContext,
    CheckResult,
    LedgerParams,
    check_kind,
    condition_items,
    condition_refs,
)
from accountability.ingest.values import combined, day_numbers, distinct_per_code, list_items, positions
from accountability.language.conditions import Condition
from accountability.language.periods import PeriodKind, Window, period_labels, whole_periods


class Places(BaseModel):
    """The records each judged on its own: their ledger, filter, where they are (the first of `place` that is
    filled, e.g. the village, else the township) and the date from which they are judged."""

    model_config = ConfigDict(extra="forbid")

    ledger: str
    where: list[Condition] = []
    place: list[str]
    since: str | None = None


class VisitsParams(LedgerParams):
    COLUMN_FIELDS = ("date", "areas")

    places: Places
    period: PeriodKind
    date: str = "date"
    areas: str = "areas"
    count: Literal["distinct_dates", "records"] = "distinct_dates"
    min: int = 1

    def ledgers(self) -> list[str]:
        return [self.ledger, self.places.ledger]

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        spec = self.places
        refs = super().references() + [(("places", "place", i), spec.ledger, c) for i, c in enumerate(spec.place)]
        if spec.since:
            refs.append((("places", "since"), spec.ledger, spec.since))
        return refs + condition_refs(("places", "where"), spec.ledger, spec.where)

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        return super().conditions() + condition_items(("places", "where"), self.places.ledger, self.places.where)


@check_kind("visits_per_period", VisitsParams, "{record}（{unit_name}）{period}：{detail}")
def visits_per_period(ctx: CheckContext, params: VisitsParams) -> CheckResult:
    """One finding per place record and whole period with fewer visits than min. A visit names the place in its
    areas or is made by the place's own unit; a record dated (`since`) after a period's end is not judged for it."""
    periods = whole_periods(params.period, ctx.window)
    if not periods:
        return CheckResult()
    spec = params.places
    sites = ctx.ledgers.frame(spec.ledger)
    sites = sites[select(ctx, sites, spec.where, spec.ledger, helps=False)]
    place = sites[spec.place[0]].astype("string")
    for column in spec.place[1:]:
        place = place.fillna(sites[column].astype("string"))
    labels = pd.Index([p.label for p in periods])
    grid = pd.DataFrame({"site": sites.index, "place": place.array}).merge(
        pd.DataFrame({"period": labels, "end": [pd.Timestamp(p.end) for p in periods]}), how="cross"
    )
    if spec.since:
        since = sites[spec.since].reindex(grid["site"])
        later = (since > grid["end"].to_numpy()).fillna(False).to_numpy(dtype=bool)
        if ctx.favour:  # a place with no date to judge it from may be newer than the period
            later = later | since.isna().to_numpy()
        grid = grid[~later]
    spans = (params.date, [(p.start, p.end) for p in periods])
    visits = records(ctx, params, columns=["unit", params.date, params.areas], helps=True, spread=spans)
    visits = visits[visits[params.date].between(pd.Timestamp(periods[0].start), pd.Timestamp(periods[-1].end))]
    places = place.dropna().unique()
    counted = _visit_counts(visits, params, places, labels, ctx.window)
    key = combined(positions(grid["place"], places), positions(grid["period"], labels), len(labels))
    out = grid.assign(n=counted.reindex(key, fill_value=0).to_numpy())
    judged = judged_items(sites["unit"].astype("string").reindex(grid["site"]).array, grid["period"].array)
    out = out[out["n"] < params.min]
    if out.empty:
        return CheckResult(judged=judged)
    ids = sites["id"].astype("string") if "id" in sites else pd.Series(sites.index.astype(str), index=sites.index)
    out = out.assign(
        record=ids.reindex(out["site"]).array,
        unit=sites["unit"].astype("string").reindex(out["site"]).array,
        rows=[[(spec.ledger, s)] for s in out["site"]],
        actual=out["n"].astype(str),
        expected=f"≥{params.min}",
    )
    out["detail"] = "所在地巡查 " + out["actual"] + " 次，要求" + out["expected"]
    return CheckResult(findings_frame(out), judged=judged)


def _visit_counts(
    visits: pd.DataFrame, params: VisitsParams, places: Any, labels: pd.Index, window: Window
) -> pd.Series:
    """Visits per place and period (keyed by `combined` positions), counting distinct days or records. Integer
    keys, not text: a province's patrols name millions of (record, place) pairs."""
    named = pd.concat([list_items(visits[params.areas]), list_items(visits["unit"])])
    row = visits.index.get_indexer(named.index)
    period = positions(period_labels(params.period, visits[params.date], window=window), labels)[row]
    key = combined(positions(named, places), period, len(labels))
    return distinct_per_code(key, day_numbers(visits[params.date])[row] if params.count == "distinct_dates" else row)

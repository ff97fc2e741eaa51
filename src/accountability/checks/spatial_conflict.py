"""`spatial_conflict`: records of one place (the same parcel, or within a distance of each other) that disagree
on a value they should share, such as satellite patches judged legal and illegal (相同区域合法性判定不一致)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from accountability.checks.columns import findings_frame
from accountability.checks.common import RecordParams, records
from accountability.checks.registry import CheckContext, CheckResult, check_kind
from accountability.contract.schema import ledger_specs

EARTH_RADIUS_M = 6_371_008.8  # mean radius, as haversine formulas use


class SpatialConflictParams(RecordParams):
    COLUMN_FIELDS = ("unit", "date", "parcel", "lon", "lat", "value")

    parcel: str | None = "parcel"
    lon: str = "lon"
    lat: str = "lat"
    distance_m: float = 50
    value: str


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def near_pairs(lon: np.ndarray, lat: np.ndarray, distance_m: float) -> np.ndarray:
    """Index pairs whose great-circle (haversine) distance is at most `distance_m`: on the unit sphere the
    chord 2·sin(d/2R) grows with the arc d, so a k-d tree search by chord finds exactly those pairs."""
    if len(lon) < 2:
        return np.empty((0, 2), dtype=int)
    chord = 2 * np.sin(distance_m / (2 * EARTH_RADIUS_M))
    return cKDTree(_unit_vectors(lon, lat)).query_pairs(chord * (1 + 1e-12), output_type="ndarray")


def place_groups(frame: pd.DataFrame, params: SpatialConflictParams) -> np.ndarray:
    """A group label per record: records linked by a shared parcel or by distance, transitively."""
    n = len(frame)
    edges = [np.empty((0, 2), dtype=int)]
    if params.parcel:
        parcel = frame[params.parcel].astype("string").str.strip().replace("", pd.NA)
        codes = pd.Series(pd.factorize(parcel, use_na_sentinel=True)[0])
        first = pd.Series(np.arange(n)).groupby(codes).transform("first").to_numpy()
        keep = codes.to_numpy() >= 0
        edges.append(np.column_stack([np.arange(n)[keep], first[keep]]))
    lon = pd.to_numeric(frame[params.lon], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame[params.lat], errors="coerce").to_numpy(dtype=float)
    placed = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    edges.append(placed[near_pairs(lon[placed], lat[placed], params.distance_m)])
    pairs = np.concatenate(edges)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


@check_kind("spatial_conflict", SpatialConflictParams, "{detail}")
def spatial_conflict(ctx: CheckContext, params: SpatialConflictParams) -> CheckResult:
    """One finding per group of records of one place holding different values; record = the group's smallest id."""
    frame = records(ctx, params, params.date)
    frame = frame[frame[params.value].notna()]
    if len(frame) < 2:
        return CheckResult()
    table = pd.DataFrame(
        {"group": place_groups(frame, params), "id": frame["id"].astype("string").to_numpy(), "row": frame.index},
        index=frame.index,
    )
    labels = ledger_specs()[params.ledger].column(params.value).value_labels
    value = frame[params.value].astype("string")
    table["value"] = value.map(labels).fillna(value).to_numpy()
    table["unit"] = frame[params.unit].astype("string").to_numpy()
    spread = table.groupby("group")["value"].nunique()
    table = table[table["group"].isin(spread.index[spread > 1])].sort_values(["group", "id"])
    if table.empty:
        return CheckResult()
    table["shown"] = table["id"] + "（" + table["value"] + "）"
    out = table.groupby("group", sort=False).agg(
        record=("id", "first"), unit=("unit", "first"), rows=("row", list), shown=("shown", "、".join), n=("id", "size")
    )
    out["rows"] = [[(params.ledger, r) for r in rows] for rows in out["rows"]]
    out["expected"] = "判定一致"
    out["actual"] = out["shown"]
    out["detail"] = (
        f"同一地块或相距{params.distance_m:g}米以内的 " + out["n"].astype(str) + " 个图斑判定不一致：" + out["shown"]
    )
    return CheckResult(findings_frame(out))

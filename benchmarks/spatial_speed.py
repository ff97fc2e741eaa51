"""Prints how long grouping satellite patches by parcel and distance takes (YH-SAT-INCONSISTENT), at sizes up
to a province's 100k patches: `python benchmarks/spatial_speed.py [--patches 100000]`."""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from accountability.checks.spatial_conflict import SpatialConflictParams, place_groups


def patches(n: int, seed: int) -> pd.DataFrame:
    """Patches scattered over a 4° × 3° province, one in ten placed 10–40 m from another, parcels shared in pairs."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(110.0, 114.0, n)
    lat = rng.uniform(34.0, 37.0, n)
    near = rng.random(n) < 0.1
    lat[near] = np.roll(lat, 1)[near] + rng.uniform(10, 40, near.sum()) / 111_000
    lon[near] = np.roll(lon, 1)[near]
    parcel = [f"DK{i // 2}" if i % 50 < 2 else None for i in range(n)]
    return pd.DataFrame({"lon": lon, "lat": lat, "parcel": parcel})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patches", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    params = SpatialConflictParams(ledger="patches", value="legality")
    for n in (args.patches // 10, args.patches // 3, args.patches):
        frame = patches(n, args.seed)
        start = time.perf_counter()
        groups = place_groups(frame, params)
        seconds = time.perf_counter() - start
        linked = n - len(np.unique(groups))
        print(f"{n:>8,} patches  {seconds:6.3f} s  {n / seconds:>12,.0f} patches/s  {linked:,} links")


if __name__ == "__main__":
    main()

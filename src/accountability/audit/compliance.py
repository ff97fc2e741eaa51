"""Compliance rates from what the rules judged and what they found: per rule, per unit and period (the matrix
the report opens with), and per period (the trend). A rate is 1 − failed / judged; rules that list occurrences
(a theft, a clash) judge nothing and are counted, not rated."""

from __future__ import annotations

from datetime import date

import pandas as pd

from accountability.ingest.units import UnitTree
from accountability.language.periods import label_spans
from accountability.tuning import Tuning

WEEKLY_UP_TO_DAYS = 92  # windows up to a quarter are shown week by week, longer ones month by month
OTHER = ""  # the column of items with no period, or one ending outside the window


def _cells(findings: pd.DataFrame, judged: pd.DataFrame) -> pd.DataFrame:
    """(rule, pack, unit, period) with judged and failed; a finding of a rated rule is one failed item."""
    keys = ["rule", "pack", "unit", "period"]
    rated = findings[findings["rule"].isin(judged["rule"].unique())]
    failed = rated.groupby(keys, sort=False).size().rename("failed").reset_index()
    cells = judged.merge(failed, on=keys, how="outer")
    cells["failed"] = cells["failed"].fillna(0).astype(int)
    cells["judged"] = cells["judged"].fillna(0).astype(int).clip(lower=cells["failed"])
    return cells


def _buckets(periods: pd.Series, start: date, as_of: date) -> tuple[pd.Series, str]:
    """Each period's matrix column: the week or month it ends in; OTHER when it has none in the window."""
    weekly = (as_of - start).days <= WEEKLY_UP_TO_DAYS
    distinct = pd.Series(periods.dropna().unique(), dtype="string")
    ends = label_spans(distinct)["end"]
    inside = ends.between(pd.Timestamp(start), pd.Timestamp(as_of))
    if weekly:
        iso = ends.dt.isocalendar()
        labels = iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
    else:
        labels = ends.dt.strftime("%Y-%m").astype("string")
    column = dict(zip(distinct, labels.where(inside, OTHER).fillna(OTHER), strict=True))
    return periods.map(column).fillna(OTHER).astype("string"), "week" if weekly else "month"


def _row_units(units: UnitTree, ids: pd.Series, max_rows: int) -> pd.Series:
    """Unit id → its matrix row: its township (villages roll up), or its county when there are more than
    `max_rows` townships."""
    ids = ids.dropna().astype("string").drop_duplicates()
    rows = units.township_of(ids)
    if rows.nunique() > max_rows:
        rows = units.ancestor(ids, ("county",)).fillna(rows)
    return pd.Series(rows.to_numpy(), index=ids.to_numpy())


def _rate(failed: int, judged: int) -> float | None:
    return None if judged == 0 else round(1 - failed / judged, 4)


def _rules(cells: pd.DataFrame, findings: pd.DataFrame, titles: dict[str, str]) -> list[dict]:
    """Per rule: items judged, failed, the rate; occurrence rules with their count and no rate."""
    rated = cells.groupby(["rule", "pack"], sort=True)[["judged", "failed"]].sum().reset_index()
    counted = findings[~findings["rule"].isin(cells["rule"].unique())].groupby(["rule", "pack"]).size()
    rows = [
        {
            "rule": r.rule,
            "pack": r.pack,
            "judged": int(r.judged),
            "failed": int(r.failed),
            "rate": _rate(r.failed, r.judged),
        }
        for r in rated.itertuples()
    ] + [
        {"rule": rule, "pack": pack, "judged": None, "failed": int(n), "rate": None}
        for (rule, pack), n in counted.items()
    ]
    for row in rows:
        row["title"] = titles.get(row["rule"], "")
    return sorted(rows, key=lambda r: (r["rate"] is None, r["rate"] if r["rate"] is not None else 0, r["rule"]))


def compliance(
    findings: pd.DataFrame,
    judged: pd.DataFrame,
    units: UnitTree,
    start: date,
    as_of: date,
    titles: dict[str, str],
    max_rows: int = Tuning.matrix_rows,
) -> dict:
    """The `compliance` section of findings.json: `granularity` (week or month), `columns` (period labels, "" for
    items with no period in the window), `rows` (unit, unit_name, judged, failed, cells {column: [judged,
    failed]}, rate, severities {severity: findings}), `trend` (per column, every unit) and `rules`."""
    cells = _cells(findings, judged)
    cells["column"], granularity = _buckets(cells["period"], start, as_of)
    row_of = _row_units(units, pd.concat([cells["unit"], findings["unit"]]), max_rows)
    cells["row"] = cells["unit"].map(row_of)
    grid = cells.groupby(["row", "column"])[["judged", "failed"]].sum().reset_index()
    per_row = grid.groupby("row")[["judged", "failed"]].sum()
    cells_of: dict[str, dict[str, list[int]]] = {}
    for unit, column, j, f in grid[["row", "column", "judged", "failed"]].itertuples(index=False):
        cells_of.setdefault(unit, {})[column] = [int(j), int(f)]
    severities = (
        findings.assign(row=findings["unit"].map(row_of)).groupby(["row", "severity"]).size().unstack(fill_value=0)
    )
    order = {unit: n for n, unit in enumerate(units.frame.index)}
    present = sorted(set(per_row.index) | set(severities.index), key=lambda u: order.get(u, len(order)))
    per_row = per_row.reindex(present, fill_value=0)
    counts = severities.reindex(present, fill_value=0)
    rows = [
        {
            "unit": str(unit),
            "unit_name": str(units.name.get(unit, unit)),
            "judged": int(judged_n),
            "failed": int(failed_n),
            "rate": _rate(int(failed_n), int(judged_n)),
            "cells": cells_of.get(unit, {}),
            "severities": {str(k): int(n) for k, n in zip(counts.columns, counts_row, strict=True) if n},
        }
        for unit, judged_n, failed_n, counts_row in zip(
            present, per_row["judged"], per_row["failed"], counts.to_numpy(), strict=True
        )
    ]
    by_column = cells.groupby("column")[["judged", "failed"]].sum()
    columns = sorted(c for c in by_column.index if c != OTHER) + ([OTHER] if OTHER in by_column.index else [])
    trend = [
        {"period": c, "judged": int(by_column.at[c, "judged"]), "failed": int(by_column.at[c, "failed"])}
        for c in columns
        if c != OTHER
    ]
    total = {"judged": int(cells["judged"].sum()), "failed": int(cells["failed"].sum())}
    return {
        "granularity": granularity,
        "total": total,
        "columns": columns,
        "rows": rows,
        "trend": trend,
        "rules": _rules(cells, findings, titles),
    }

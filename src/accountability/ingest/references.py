"""Unit and person references: a cell names an id or an exact name; names shared by two entries are ambiguous."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from accountability.ingest.values import isin, positions, regroup


@dataclass
class Resolved:
    """Resolved ids (NA where not), and the reason per unresolved non-empty cell."""

    ids: pd.Series
    reason: pd.Series


class Directory:
    """Ids and names of units or people, for resolving references by id or exact (trimmed) name.

    Looked up by Arrow's hash kernel (values.positions): a lookup through a pandas index of Arrow text cost 10 ms
    a column whatever its length, 40 columns on a province."""

    def __init__(self, ids: pd.Series, names: pd.Series, noun: str) -> None:
        ids = ids.astype("string").reset_index(drop=True)
        names = names.astype("string").str.strip().reset_index(drop=True)
        self.noun = noun
        self.ids = ids[ids.notna() & ~ids.duplicated()]
        self.id_values = self.ids.to_numpy(dtype=object)
        counts = names.value_counts()
        unique = isin(names, counts.index[counts == 1]).to_numpy()
        self.names = names[unique]
        self.named = ids[unique].to_numpy(dtype=object)
        self.ambiguous = set(counts.index[counts > 1])

    def resolve(self, values: pd.Series) -> Resolved:
        text = values.astype("string").str.strip()
        by_id = positions(text, self.ids)
        by_name = positions(text, self.names)
        found = np.where(by_id >= 0, _at(self.id_values, by_id), _at(self.named, by_name))
        ids = pd.Series(found, index=values.index, dtype="string")
        unresolved = ids.isna() & text.notna()
        reason = pd.Series(pd.NA, index=values.index, dtype="string")
        reason[unresolved] = f"未知{self.noun}"
        reason[unresolved & isin(text, self.ambiguous)] = f"{self.noun}名称重名（对应多个{self.noun}）"
        return Resolved(ids, reason)

    def resolve_lists(self, lists: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Lists of names or ids → (list of resolved ids, list of keys = id else name, reason per bad cell)."""
        items = lists.explode().dropna()
        resolved = self.resolve(items)
        keys = resolved.ids.fillna(items.astype("string"))
        unknown = items[resolved.reason.notna()].astype("string")
        reason = (resolved.reason[resolved.reason.notna()] + "：" + unknown).groupby(level=0).agg("；".join)
        return (
            regroup(resolved.ids.dropna(), lists.index),
            regroup(keys, lists.index),
            reason.reindex(lists.index).astype("string"),
        )


def _at(values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """`values` at positions `at`, None where a position is -1 (not found)."""
    out = np.full(len(at), None, dtype=object)
    found = at >= 0
    out[found] = values[at[found]]
    return out

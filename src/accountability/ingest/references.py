"""Unit and person references: a cell names an id or an exact name; names shared by two entries are ambiguous."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from accountability.values import isin, regroup


@dataclass
class Resolved:
    """Resolved ids (NA where not), and the reason per unresolved non-empty cell."""

    ids: pd.Series
    reason: pd.Series


class Directory:
    """Ids and names of units or people, for resolving references by id or exact (trimmed) name."""

    def __init__(self, ids: pd.Series, names: pd.Series, noun: str) -> None:
        ids = ids.astype("string")
        names = names.astype("string").str.strip()
        self.noun = noun
        self.ids = pd.Series(ids.to_numpy(), index=ids.to_numpy()).drop_duplicates()
        counts = names.value_counts()
        unique = isin(names, counts.index[counts == 1])
        self.by_name = pd.Series(ids[unique].to_numpy(), index=names[unique].to_numpy())
        self.ambiguous = set(counts.index[counts > 1])

    def resolve(self, values: pd.Series) -> Resolved:
        text = values.astype("string").str.strip()
        ids = text.map(self.ids).fillna(text.map(self.by_name)).astype("string")
        unresolved = ids.isna() & text.notna()
        reason = pd.Series(pd.NA, index=values.index, dtype="string")
        reason[unresolved] = f"未知{self.noun}"
        reason[unresolved & isin(text, self.ambiguous)] = f"{self.noun}名称重名（对应多个{self.noun}）"
        return Resolved(ids, reason)

    def resolve_lists(self, lists: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Lists of names or ids → (tuple of resolved ids, tuple of keys = id else name, reason per bad cell)."""
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

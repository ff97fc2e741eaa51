"""The unit tree (units ledger): the top unit, levels, mining townships, villages, ancestors."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from accountability.ingest.values import Distinct, list_items, positions

TOWNSHIP_LEVELS = ("township", "forest_farm")


class UnitFilter(BaseModel):
    """Which units: by level and mining flag."""

    model_config = ConfigDict(extra="forbid")

    levels: list[str] | None = None
    mining: bool | None = None


class Subjects(UnitFilter):
    """The units a rule judges: `top: true`, or a level/mining filter, optionally on the parent too; `serving:
    true` only units whose 服务乡镇 names some unit (a 自然资源所 with townships to answer for); `served_by` only
    units some unit of that filter serves (the townships a 自然资源所 answers for)."""

    top: bool = False
    parent: UnitFilter | None = None
    serving: bool | None = None
    served_by: UnitFilter | None = None


class UnitTree:
    """Lookups over the typed units frame (index = unit id)."""

    def __init__(self, units: pd.DataFrame) -> None:
        self.frame = units.drop_duplicates("id").set_index("id", drop=False)
        roots = self.frame.index[self.frame["parent"].isna()]
        self.top = str(roots[0]) if len(roots) else str(self.frame.index[0])
        self.parent = self.frame["parent"]
        self.level = self.frame["level"]
        self.name = self.frame["name"]

    def _matches(self, spec: UnitFilter, ids: pd.Index) -> pd.Series:
        mask = pd.Series(True, index=ids)
        if spec.levels is not None:
            mask &= self.level.reindex(ids).isin(spec.levels).to_numpy()
        if spec.mining is not None:
            mining = self.frame["mining"].reindex(ids).fillna(False).astype(bool)
            mask &= (mining == spec.mining).to_numpy()
        return mask

    def select(self, subjects: Subjects) -> list[str]:
        """Unit ids the subjects spec names, in ledger order."""
        if subjects.top:
            return [self.top]
        ids = self.frame.index
        mask = self._matches(subjects, ids)
        if subjects.parent is not None:
            parents = pd.Index(self.parent.reindex(ids).fillna("").to_numpy())
            mask &= self._matches(subjects.parent, parents).to_numpy()
        if subjects.serving is not None:
            mask &= ids.isin(self.serves["server"]) == subjects.serving
        if subjects.served_by is not None:
            servers = self.serves[self._matches(subjects.served_by, pd.Index(self.serves["server"])).to_numpy()]
            mask &= ids.isin(servers["unit"])
        return list(ids[mask.to_numpy()])

    @cached_property
    def serves(self) -> pd.DataFrame:
        """(server, unit): each unit the units ledger's 服务乡镇 of a server names."""
        if "serves" not in self.frame:
            return pd.DataFrame({"server": pd.Series(dtype="string"), "unit": pd.Series(dtype="string")})
        named = list_items(self.frame["serves"])
        return pd.DataFrame({"server": named.index.astype("string"), "unit": named.astype("string").to_numpy()})

    def servers(self, units: pd.Series) -> pd.DataFrame:
        """(position, server) for each unit of `units` (by position) and every unit that serves it or a unit above
        it: the 自然资源所 serving a township answers for its villages too."""
        chain = pd.DataFrame({"position": range(len(units)), "unit": units.astype("string").to_numpy()})
        steps = [chain, *(chain.assign(unit=above.to_numpy()).dropna() for above in self.above(chain["unit"]))]
        found = pd.concat(steps).merge(self.serves, on="unit")
        return found[["position", "server"]].drop_duplicates()

    def children(self, level: str) -> pd.DataFrame:
        """(parent, unit) pairs for every unit of `level`, e.g. the villages of each township."""
        kids = self.frame[self.level == level]
        return pd.DataFrame({"parent": kids["parent"].to_numpy(), "unit": kids.index.to_numpy()})

    def ancestor(self, units: pd.Series, levels: tuple[str, ...]) -> pd.Series:
        """The nearest unit of one of `levels` at or above each unit (the unit itself when it is one); NA if none.

        Walked once per distinct unit: a province's patrol rows name some twenty thousand units millions of times."""
        distinct = Distinct(units.astype("string"))
        return distinct.expand(self._ancestor(distinct.uniques.astype("string"), levels))

    @cached_property
    def _parent_at(self) -> np.ndarray:
        """Each unit's parent by its position in the tree, -1 for none (appended, so that -1 leads to -1)."""
        return np.append(positions(self.parent, self.frame.index), -1)

    @cached_property
    def _ids(self) -> pa.Array:
        """The ids by position in the tree, then a null: what position -1 (no unit) reads as."""
        return pa.array([*self.frame.index.astype(str), None], type=pa.large_string())

    def _lineage(self, units: pd.Series) -> list[np.ndarray]:
        """Each unit's position in the tree, then its parent's, … eight levels up; -1 past the top and for a unit
        not in the tree. Ids looked up once, then walked by position: looking ids up as text at every level cost a
        second a rule on the units of the cells a province's doubt reads."""
        steps = [positions(units, self.frame.index)]
        for _ in range(8):
            steps.append(self._parent_at[steps[-1]])
        return steps

    def above(self, units: pd.Series) -> list[pd.Series]:
        """Each unit's parent, its parent's parent, … eight levels up, NA past the top and for a unit not in the
        tree."""
        return [self._units_at(at, units.index) for at in self._lineage(units)[1:]]

    def _units_at(self, at: np.ndarray, index: pd.Index) -> pd.Series:
        """The ids at these positions in the tree, NA for -1 (no unit)."""
        taken = self._ids.take(np.where(at < 0, len(self.frame), at))
        return pd.Series(pd.arrays.ArrowStringArray(taken), index=index)

    def _ancestor(self, units: pd.Series, levels: tuple[str, ...]) -> pd.Series:
        """The unit itself, then up to seven levels above it, by positions in the tree (`_lineage`)."""
        wanted = np.append(self.level.isin(levels).to_numpy(dtype=bool), False)
        found = np.full(len(units), -1)
        for at in self._lineage(units)[:8]:
            hit = (found < 0) & wanted[at]
            found[hit] = at[hit]
        return self._units_at(found, units.index)

    def subtree(self, root: str) -> pd.Index:
        """`root` and every unit under it: what a township or county audits of itself."""
        current = pd.Series(self.frame.index, index=self.frame.index, dtype="string")
        inside = (current == root).to_numpy()
        for above in self.above(current):
            inside |= (above == root).fillna(False).to_numpy()
        return self.frame.index[inside]

    def within(self, ids: pd.Index) -> UnitTree:
        """The tree cut to these units, every unit above them and the top: a part of the province, its top the same."""
        keep = pd.Series([*ids, self.top], dtype="string")
        keep = pd.concat([keep, *(above.dropna() for above in self.above(keep))])
        return UnitTree(self.frame[self.frame.index.isin(keep)])

    def township_of(self, units: pd.Series) -> pd.Series:
        """The township (or forest farm) a unit is in, the unit itself when it is one; else the unit."""
        return self.ancestor(units, TOWNSHIP_LEVELS).fillna(units.astype("string"))

    def names(self, ids: pd.Series) -> pd.Series:
        distinct = Distinct(ids)
        return distinct.expand(distinct.uniques.map(self.name).fillna(distinct.uniques))

"""Who answers for each finding: roles of units resolved against the people roster, or persons named in records."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from accountability.ingest.ledgerset import LedgerSet
from accountability.ingest.values import isin, list_array
from accountability.packs.model import RoleSpec


@dataclass
class Responsible:
    """Per finding (same index): person ids, and names written in a ledger that match nobody in the roster."""

    persons: pd.Series
    unnamed: pd.Series
    unfilled: pd.DataFrame  # unit, role: a role nobody holds


def role_holders(ledgers: LedgerSet) -> pd.DataFrame:
    """(unit, role, person): holders of a role in their own unit, and in every unit their `covers` names."""
    people = ledgers.people
    roles = people[["id", "unit", "roles"]].explode("roles").dropna(subset=["roles"])
    own = pd.DataFrame({"unit": roles["unit"], "role": roles["roles"], "person": roles["id"]})
    covers = roles.join(people["covers"]).explode("covers").dropna(subset=["covers"])
    covered = pd.DataFrame({"unit": covers["covers"], "role": covers["roles"], "person": covers["id"]})
    return pd.concat([own, covered], ignore_index=True).astype("string").drop_duplicates()


def _record_values(ledgers: LedgerSet, refs: pd.DataFrame, column: str) -> pd.DataFrame:
    """For (finding, ledger, row) evidence refs: the `column` cell of each row, lists exploded."""
    parts = []
    for ledger, group in refs.groupby("ledger"):
        frame = ledgers.frame(str(ledger))
        if column not in frame:
            continue
        values = frame[column].reindex(group["row"].to_numpy())
        parts.append(pd.DataFrame({"finding": group["finding"].to_numpy(), "value": values.to_numpy()}))
    if not parts:
        return pd.DataFrame({"finding": pd.Series(dtype=int), "value": pd.Series(dtype="string")})
    return pd.concat(parts, ignore_index=True).explode("value").dropna(subset=["value"])


def _evidence(findings: pd.DataFrame) -> pd.DataFrame:
    refs = findings["rows"].explode().dropna()
    return pd.DataFrame({"finding": refs.index, "ledger": [r[0] for r in refs], "row": [r[1] for r in refs]})


def _holders(targets: pd.DataFrame, holders: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(finding, person) for each (finding, unit, role, otherwise) target. A role nobody holds falls to the
    `otherwise` role of the same unit where the pack names one (the plan names that fallback); else it is unfilled,
    for the unit to put right, and nobody answers in its place: the plans name no duty of the unit above."""
    hit = targets.merge(holders, on=["unit", "role"], how="left")
    missing = hit[hit["person"].isna()][["finding", "unit", "role", "otherwise"]]
    fallback = missing["otherwise"].notna()
    second = missing[fallback].assign(role=lambda f: f["otherwise"]).merge(holders, on=["unit", "role"], how="left")
    found = pd.concat([hit, second]).dropna(subset=["person"])[["finding", "person"]]
    unfilled = pd.concat(
        [missing.loc[~fallback, ["unit", "role"]], second.loc[second["person"].isna(), ["unit", "role"]]]
    )
    return found.reset_index(drop=True), unfilled.reset_index(drop=True)


def _spec_units(spec: RoleSpec, group: pd.DataFrame, refs: pd.DataFrame, ledgers: LedgerSet) -> pd.DataFrame:
    """(finding, unit) whose `spec.role` answers: the finding's unit, the top unit, the finding's ancestor of a
    level, the units that serve the finding's unit (`of: serving`, of `level` if given), or the unit a column of
    the evidence records names (the finding's unit where it names none)."""
    units = ledgers.units
    if spec.of == "serving":
        found = units.servers(group["unit"])
        if spec.level:
            found = found[units.level.reindex(found["server"]).eq(spec.level).to_numpy()]
        return pd.DataFrame({"finding": group.index[found["position"]], "unit": found["server"].to_numpy()})
    if spec.level:
        unit = units.ancestor(group["unit"], (spec.level,)).fillna(units.top)
        return pd.DataFrame({"finding": group.index, "unit": unit.to_numpy()})
    if spec.of in ("finding", "top"):
        unit = group["unit"] if spec.of == "finding" else pd.Series(units.top, index=group.index)
        return pd.DataFrame({"finding": group.index, "unit": unit.to_numpy()})
    values = _record_values(ledgers, refs, f"{spec.of}_id").rename(columns={"value": "unit"})
    named = set(values["finding"])
    fallback = group.loc[[i for i in group.index if i not in named], "unit"]
    if not spec.ledger:
        values = pd.concat([values, pd.DataFrame({"finding": fallback.index, "unit": fallback.to_numpy()})])
    return values


def resolve(findings: pd.DataFrame, specs: dict[str, list[RoleSpec]], ledgers: LedgerSet) -> Responsible:
    """Resolve every finding's accountable roles; a role nobody holds is reported (DATA-ROLE-UNFILLED)."""
    empty = pd.Series([[] for _ in range(len(findings))], index=findings.index, dtype=object)
    if findings.empty:
        return Responsible(empty, empty.copy(), pd.DataFrame(columns=["unit", "role"]))
    evidence = _evidence(findings)
    targets, persons, names = [], [], []
    for rule, group in findings.groupby("rule"):
        for spec in specs.get(str(rule), []):
            refs = evidence[evidence["finding"].isin(group.index)]
            if spec.ledger:
                refs = refs[refs["ledger"] == spec.ledger]
            if spec.person:
                values = _record_values(ledgers, refs, spec.person)
                known = isin(values["value"], ledgers.people["id"])
                persons.append(values[known].rename(columns={"value": "person"}))
                names.append(values[~known].rename(columns={"value": "name"}))
                if spec.otherwise:
                    nobody = group[~group.index.isin(values["finding"])]
                    unit = nobody["unit"].to_numpy()
                    targets.append(
                        pd.DataFrame({"finding": nobody.index, "unit": unit, "role": spec.otherwise, "otherwise": None})
                    )
            else:
                targets.append(_spec_units(spec, group, refs, ledgers).assign(role=spec.role, otherwise=spec.otherwise))
    target_frame = pd.concat(targets, ignore_index=True).astype({"unit": "string"}) if targets else None
    if target_frame is not None:
        found, unfilled = _holders(target_frame.dropna(subset=["unit"]), role_holders(ledgers))
        persons.append(found)
    else:
        unfilled = pd.DataFrame(columns=["unit", "role"])
    return Responsible(
        _lists(persons, "person", findings.index), _lists(names, "name", findings.index), unfilled.drop_duplicates()
    )


def _lists(parts: list[pd.DataFrame], column: str, index: pd.Index) -> pd.Series:
    """(finding, value) pairs → per finding, the distinct values in order."""
    if not parts:
        return pd.Series([[] for _ in range(len(index))], index=index, dtype=object)
    pairs = pd.concat(parts, ignore_index=True).dropna(subset=[column]).drop_duplicates(["finding", column])
    items = pd.Series(pairs[column].to_numpy(), index=pairs["finding"].to_numpy())
    return pd.Series(list_array(items, index).to_pylist(), index=index, dtype=object)  # not a Python call per finding

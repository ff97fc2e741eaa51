"""Which findings the ledgers cannot carry (INTERFACE.md, "Trust"): a rule's findings read plainly, weighed against
the same rule read in the unit's favour (checks/favour.py). A finding the favourable reading does not give is
doubtful, and its doubts are the rows and cells read in favour that bear on it; a file that could not be read makes
every finding of the rules reading its ledger doubtful."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from accountability.checks import CHECK_KINDS, CheckContext
from accountability.checks.favour import BLANK_REASON
from accountability.contract.schema import ledger_specs
from accountability.ingest.ledgerset import LedgerSet
from accountability.ingest.values import as_records
from accountability.language.periods import label_spans
from accountability.packs.model import Rule

KEY = ["unit", "period", "record"]
CELL_FIELDS = ["ledger", "file", "sheet", "row", "cell", "value", "reason", "fix"]
ORDER = ["ledger", "file", "row", "cell"]
DOUBTS_SHOWN = 30  # per finding: enough to put right, not a copy of the ledger


def _read(rule: Rule) -> list[str]:
    params = rule.checked
    return list(dict.fromkeys(params.ledgers() + params.optional_ledgers()))


def _may_differ(ledgers: LedgerSet, rule: Rule) -> bool:
    """Whether anything the rule reads is unreadable or blank: else both readings are the same and one suffices."""
    for ledger in _read(rule):
        if not ledgers.rejected.get(ledger, pd.DataFrame()).empty:
            return True
        if any(key[0] == ledger for key in ledgers.invalid):
            return True
    for _, ledger, column in rule.checked.references():
        frame = ledgers.frames.get(ledger)
        if frame is not None and column in frame and frame[column].isna().any():
            return True
    return False


def weigh(rule: Rule, findings: pd.DataFrame, ctx: CheckContext) -> pd.DataFrame:
    """The rule's findings with `doubtful` and `doubts` (a list of {ledger, file, sheet, row, column, value,
    reason, fix} per finding)."""
    out = findings.assign(doubtful=False, doubts=[[] for _ in range(len(findings))])
    if rule.kind == "data" or findings.empty:
        return out
    ledgers = ctx.ledgers
    if _may_differ(ledgers, rule):
        favour = replace(ctx, favour=True, favoured=[])
        confirmed = CHECK_KINDS[rule.kind].run(favour, rule.checked).findings
        held = pd.MultiIndex.from_frame(confirmed[KEY].astype("string").fillna(""))
        doubtful = ~pd.MultiIndex.from_frame(findings[KEY].astype("string").fillna("")).isin(held)
        if doubtful.any():
            out.loc[doubtful, "doubtful"] = True
            out.loc[doubtful, "doubts"] = pd.Series(
                _bearing(rule, findings[doubtful], favour.favoured, ledgers), index=out.index[doubtful]
            )
    files = [_file_doubt(p) for ledger in _read(rule) for p in ledgers.unreadable(ledger)]
    if files:
        files = list({(d["file"], d["sheet"]): d for d in files}.values())
        out["doubtful"] = True
        out["doubts"] = [files + doubts for doubts in out["doubts"]]
    return out


def _file_doubt(problem: Any) -> dict:
    return {"ledger": problem.ledger or "", "file": problem.file, "sheet": problem.sheet, "row": None,
            "column": "", "value": "", "reason": problem.message, "fix": problem.fix}  # fmt: skip


def _entries(rule: Rule, favoured: list[pd.DataFrame], ledgers: LedgerSet) -> pd.DataFrame:
    """What was read in favour, one row per (ledger, source row, column), with the row's unit (each unit a rejected
    row may belong to), record id and date."""
    if not favoured:
        return pd.DataFrame(columns=["ledger", "source", "column", "unit", "record", "date"])
    read = pd.concat(favoured, ignore_index=True).drop_duplicates()
    date = getattr(rule.checked, "date", None)
    parts = []
    for ledger, group in read.groupby("ledger", sort=False):
        kept, rejected = ledgers.frames[ledger], ledgers.rejected.get(ledger, pd.DataFrame())
        wanted = [c for c in ("unit", "id", date) if c and c in kept]  # a province's patrols have 22 columns
        rows = pd.concat([kept[wanted], rejected[[c for c in wanted if c in rejected]]])
        rows = rows[~rows.index.duplicated()].reindex(group["source"])
        units = ledgers.candidates.get(ledger, pd.Series(dtype=object)).reindex(group["source"])
        own = rows["unit"] if "unit" in rows else pd.Series(pd.NA, index=rows.index)
        units = [u if isinstance(u, list) and u else [o] for u, o in zip(units, own, strict=True)]
        dates = rows[date] if date and date in rows and ledger == rule.checked.ledgers()[0] else pd.NaT
        parts.append(
            group.assign(
                unit=units,
                record=(rows["id"] if "id" in rows else pd.Series(pd.NA, index=rows.index)).astype("string").array,
                date=dates if isinstance(dates, type(pd.NaT)) else pd.to_datetime(dates).array,
            ).explode("unit")
        )
    return pd.concat(parts, ignore_index=True)


def _bearing(rule: Rule, doubtful: pd.DataFrame, favoured: list[pd.DataFrame], ledgers: LedgerSet) -> list[list]:
    """For each doubtful finding, the cells read in favour that bear on it: its own record's when it is about one
    (not every blank cell of its township's other adits), else those of rows of its unit (or a unit under it) that
    may fall in its period; all of the rule's when none is told apart."""
    entries = _entries(rule, favoured, ledgers)
    entries["unit"] = entries["unit"].astype("string")
    upward = [entries.assign(owner=owner) for owner in [entries["unit"], *ledgers.units.above(entries["unit"])]]
    owned = pd.concat(upward).dropna(subset=["owner"])
    findings = doubtful[KEY].astype("string").fillna("").reset_index(drop=True)
    spans = label_spans(findings["period"])
    deadline = spans["kind"].eq("day").fillna(False) & (getattr(rule.checked, "period", None) != "day")
    findings = findings.assign(start=spans["start"], end=spans["end"], day=deadline)  # a deadline counts up to it
    by_record = findings.reset_index().merge(entries, left_on="record", right_on="record", suffixes=("", "_row"))
    others = findings[~findings.index.isin(by_record["index"])]  # a record's own cells are what bear on it
    by_unit = others.reset_index().merge(owned, left_on="unit", right_on="owner", suffixes=("", "_row"))
    dated = by_unit["date"].isna() | by_unit["end"].isna() | (by_unit["date"] <= by_unit["end"])
    dated &= by_unit["day"] | by_unit["start"].isna() | by_unit["date"].isna() | (by_unit["date"] >= by_unit["start"])
    hits = pd.concat([by_unit[dated.to_numpy(dtype=bool)], by_record])[["index", "ledger", "source", "column"]]
    cells = _described(entries.drop_duplicates(["ledger", "source", "column"]), ledgers)
    told = hits.drop_duplicates().merge(cells, on=["ledger", "source", "column"]).sort_values(["index", *ORDER])
    told = told.drop_duplicates(["index", *ORDER])
    told = told[(told.groupby("index").cumcount() < DOUBTS_SHOWN).to_numpy()]
    grouped: dict[int, list[dict]] = {}
    for position, doubt in zip(told["index"], _listed(told), strict=True):
        grouped.setdefault(position, []).append(doubt)
    fallback = _listed(cells.sort_values(ORDER).drop_duplicates(ORDER).head(DOUBTS_SHOWN))
    return [grouped.get(position) or fallback for position in range(len(findings))]


def _listed(cells: pd.DataFrame) -> list[dict]:
    """The cells as doubts, {ledger, file, sheet, row, column, value, reason, fix} each, converted column-wise."""
    shown = pd.DataFrame(index=cells.index)
    for field, name in zip(CELL_FIELDS, [*CELL_FIELDS[:4], "column", *CELL_FIELDS[5:]], strict=True):
        shown[name] = cells[field].astype("Int64") if field == "row" else cells[field].astype("string")
    return as_records(shown)


def _described(entries: pd.DataFrame, ledgers: LedgerSet) -> pd.DataFrame:
    """Each (ledger, source row, column) read in favour as the cells to put right (CELL_FIELDS): a rejected row
    read whole (column '') as each of its errors; a cell as its error when it had one, else as a blank cell."""
    errors = ledgers.errors if "_index" in ledgers.errors else ledgers.errors.assign(_index=pd.Series(dtype=object))
    errors = errors.rename(columns={"column": "header", "_index": "source"})
    errors = errors[["ledger", "source", "key", "file", "sheet", "row", "header", "value", "reason", "fix"]]
    whole = entries[entries["column"] == ""].merge(errors, on=["ledger", "source"])
    named = entries[entries["column"] != ""].merge(
        errors, left_on=["ledger", "source", "column"], right_on=["ledger", "source", "key"], how="left"
    )
    blank = named[named["reason"].isna()].drop(columns=["file", "sheet", "row", "header", "value", "reason", "fix"])
    located = []
    for ledger, group in blank.groupby("ledger", sort=False):
        where = ledgers.locations[ledger].reindex(group["source"])
        headers = {c.key: c.label for c in ledger_specs()[ledger].columns}
        labels = group["column"].map(lambda c, headers=headers: headers.get(c, c))
        located.append(
            group.assign(
                file=where["_file"].astype(object).to_numpy(), sheet=where["_sheet"].astype(object).to_numpy(),
                row=where["_row"].to_numpy(), header=labels.to_numpy(), value="", reason=BLANK_REASON,
                fix="请填写「" + labels + "」",
            )
        )  # fmt: skip
    cells = pd.concat([whole, named[named["reason"].notna()], *located], ignore_index=True)
    cells["row"] = cells["row"].astype("Int64")
    return cells.rename(columns={"header": "cell"})

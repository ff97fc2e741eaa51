"""Reading the ledgers in the unit's favour (INTERFACE.md, "Trust"): the one mechanism behind `doubtful`.

The engine runs a rule twice: as the ledgers read (the plain reading), and with every unreadable row and every
blank or unknown cell that could bear on it read in the unit's favour. A finding of the plain reading that the
favourable reading does not give is doubtful. Each kind says which way is the unit's favour where it reads: a row
that counts for the unit (a patrol toward the weekly minimum) takes in the rejected rows and passes where a cell is
unknown (`helps=True`); a row that would accuse (a record that is a finding) is left out where a cell is unknown
(`helps=False`). What was read in favour is logged on the context, so each doubtful finding names the rows and
cells that decide it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accountability.checks.registry import CheckContext
from accountability.ingest.values import is_list, item_counts
from accountability.language.conditions import Condition, evaluate
from accountability.language.conditions import select as plain_select

if TYPE_CHECKING:
    from accountability.ingest.ledgerset import LedgerSet

FAVOURED_COLUMNS = ["ledger", "source", "column"]
BLANK_REASON = "空白，可能是任何值"


def _blank(series: pd.Series) -> pd.Series:
    return item_counts(series).eq(0) if is_list(series) else series.isna()


def doubtful_rows(frame: pd.DataFrame) -> pd.Series:
    """Which rows are rejected rows read as records they might be (possible_rows)."""
    if "_doubt" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["_doubt"].astype("boolean").fillna(False).astype(bool)


def _unknown(condition: Condition, frame: pd.DataFrame, ledgers: LedgerSet, ledger: str) -> pd.Series:
    """Where the condition's outcome rests on a cell the ledger does not give: an unreadable cell; a blank cell,
    unless the condition asks for blankness itself (`empty`, `in: [null]`); any missing cell of a rejected row."""
    possible = doubtful_rows(frame)
    unknown = pd.Series(False, index=frame.index)
    asks_blank = condition.operator == "empty" or None in condition.values
    for column in condition.columns:
        blank = _blank(frame[column])
        invalid = pd.Series(frame.index.isin(ledgers.invalid_cells(ledger, column)), index=frame.index)
        unknown |= invalid | (blank & possible) | (blank if not asks_blank else False)
    return unknown


def select(ctx: CheckContext, frame: pd.DataFrame, conditions: list[Condition], ledger: str, helps: bool) -> pd.Series:
    """The conditions together (AND). Read plainly, as written. In the unit's favour, a condition that an unknown
    cell decides passes when passing `helps` the unit and fails when it accuses; the rows so read are logged."""
    if not ctx.favour:
        return plain_select(frame, conditions, ctx.as_of, ctx.ledgers.people)
    known = pd.Series(True, index=frame.index)
    possible = pd.Series(True, index=frame.index)
    unknowns = []
    for condition in conditions:
        hit = evaluate(condition, frame, ctx.as_of, ctx.ledgers.people)
        unknown = _unknown(condition, frame, ctx.ledgers, ledger)
        known &= hit & ~unknown
        possible &= hit | unknown
        unknowns.append((condition.column, unknown))
    leaned = possible & ~known
    if leaned.any():
        sources = frame["_source"] if "_source" in frame else pd.Series(frame.index, index=frame.index)
        for column, unknown in unknowns:
            rows = sources[(leaned & unknown).to_numpy()]
            ctx.favoured.append(pd.DataFrame({"ledger": ledger, "source": rows.to_numpy(), "column": column}))
    return possible if helps else known


Spread = tuple[str, list[tuple[object, object]]]


def lean_on(ctx: CheckContext, ledger: str, rows: pd.Index, column: str) -> None:
    """Log cells a kind read in the unit's favour by itself (not through `select`)."""
    if ctx.favour and len(rows):
        ctx.favoured.append(pd.DataFrame({"ledger": ledger, "source": rows.to_numpy(), "column": column}))


def possible_rows(ctx: CheckContext, ledger: str, spread: Spread | None) -> pd.DataFrame:
    """The rejected rows of a ledger as the records they might be: one per unit they may belong to, and where their
    `date` is unknown, one in each period of `spread` (as a day of its own there). Marked `_doubt`, with `_source`
    the row they come from, under labels of their own; each is logged as read in the unit's favour."""
    rejected = ctx.ledgers.rejected.get(ledger)
    if rejected is None or rejected.empty:
        return pd.DataFrame()
    units = ctx.ledgers.candidates[ledger]
    lengths = units.map(len).to_numpy()
    copies = rejected.loc[rejected.index.repeat(lengths)].assign(_source=rejected.index.repeat(lengths))
    if "unit" in copies:
        copies["unit"] = pd.Series(np.concatenate([*units.to_numpy(), []]), dtype=object).to_numpy()
    if spread is not None:
        date, spans = spread
        undated = copies[date].isna().to_numpy()
        dated, open_ = copies[~undated], copies[undated]
        fresh = pd.to_timedelta(1 + np.arange(len(open_)), unit="ns")
        copies = pd.concat([dated, *(open_.assign(**{date: pd.Timestamp(start) + fresh}) for start, _ in spans)])
    if "id" in copies:
        copies["id"] = copies["id"].astype("string").fillna("未读行" + copies["_source"].astype("string"))
    start = int(max(ctx.ledgers.locations[ledger].index.max(), -1)) + 1
    copies.index = pd.RangeIndex(start, start + len(copies))
    copies["_doubt"] = True
    ctx.favoured.append(pd.DataFrame({"ledger": ledger, "source": copies["_source"].unique(), "column": ""}))
    return copies


def with_possible(ctx: CheckContext, frame: pd.DataFrame, ledger: str, spread: Spread | None) -> pd.DataFrame:
    """A ledger's rows and, in the unit's favour, the rejected rows as the records they might be. A row of unknown
    date goes into each judged period a few nanoseconds after its first day: no ledger date has that value, so it
    counts there as a day of its own (distinct dates) and in no other period."""
    if not ctx.favour:
        return frame
    copies = possible_rows(ctx, ledger, spread)
    return frame if copies.empty else pd.concat([frame, copies[[c for c in copies if c in frame or c[0] == "_"]]])

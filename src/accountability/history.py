"""Audit history in one SQLite file: what each audit found, so the next one can tell new problems from ones
still open, see which were put right, and catch a problem that comes back (死灰复燃).

Audits are keyed by pack and top unit. A finding is the same finding when its key (rule, unit, period, record)
is. The date an audit stands for is its as_of; `first_seen` is the as_of of the first audit that had it. An audit
compares with the latest audit of an earlier as_of, never one of the same day, and the same audit run again
(same ledger set, pack, from, as_of, top unit) replaces its earlier run: rerunning cannot make anything 仍未整改.
Comparing and recording happen in one write transaction of the history file (`open_book`), so two audits at
once cannot both compare with the same previous run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import pandas as pd

from accountability.errors import AccountabilityError
from accountability.ingest.values import as_records
from accountability.language.periods import Window, label_spans

T = TypeVar("T")
KEY = ["pack", "rule", "unit", "period", "record"]
SCHEMA = """
CREATE TABLE IF NOT EXISTS audits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pack TEXT NOT NULL, top_unit TEXT NOT NULL, date_from TEXT NOT NULL, as_of TEXT NOT NULL,
    generated_at TEXT NOT NULL, ledger_set TEXT, ledger_path TEXT, version TEXT
);
CREATE TABLE IF NOT EXISTS findings (
    audit INTEGER NOT NULL REFERENCES audits(id),
    rule TEXT NOT NULL, unit TEXT NOT NULL, period TEXT NOT NULL, record TEXT NOT NULL,
    severity TEXT, title TEXT, unit_name TEXT, message TEXT, responsible TEXT,
    status TEXT NOT NULL, first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resolved (
    audit INTEGER NOT NULL REFERENCES audits(id),
    rule TEXT NOT NULL, unit TEXT NOT NULL, period TEXT NOT NULL, record TEXT NOT NULL,
    severity TEXT, title TEXT, unit_name TEXT, message TEXT, responsible TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS letter_numbers (
    audit INTEGER NOT NULL REFERENCES audits(id),
    prefix TEXT NOT NULL, year INTEGER NOT NULL, first INTEGER NOT NULL, count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audits_key ON audits(pack, top_unit, as_of);
CREATE INDEX IF NOT EXISTS findings_audit ON findings(audit);
CREATE INDEX IF NOT EXISTS resolved_audit ON resolved(audit);
"""
STORED = ["rule", "unit", "period", "record", "severity", "title", "unit_name", "message", "responsible"]


@dataclass
class PackAudit:
    """What the history needs to know of one pack's part in this audit."""

    pack: str
    window: Window
    judged: set[str]  # rules that ran: a rule whose ledger is missing cannot put a finding right


@dataclass
class Tracking:
    """Per finding (same index): status, first_seen, relapse; the earlier findings now put right; the audits
    compared with."""

    path: Path
    status: pd.Series
    first_seen: pd.Series
    relapse: pd.Series
    resolved: pd.DataFrame
    previous: list[dict] = field(default_factory=list)


WAIT_SECONDS = 1800  # how long an audit waits for another audit to finish with the same history file


def _unusable(path: Path, exc: Exception) -> AccountabilityError:
    busy = isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)
    reason = "另一次检查正在使用它，等待超时" if busy else str(exc)
    return AccountabilityError(
        f"无法使用检查历史库 {path}：{reason}",
        file=str(path),
        fix="稍后重试，或用 --history 指定另一个文件，或用 --no-history 不记录历史",
    )


class Book:
    """The history file held for one audit: `track` takes the write lock and reads the previous audits, `record`
    writes this audit and lets go; leaving without `record` lets go and writes nothing."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return work(self._db)
        except sqlite3.Error as exc:
            raise _unusable(self.path, exc) from exc

    def track(self, findings: pd.DataFrame, packs: list[PackAudit], top_unit: str, as_of: date) -> Tracking:
        """Compare this audit's findings with the previous audit of each pack; nothing is written yet."""
        if not self._db.in_transaction:
            self._run(lambda db: db.execute("BEGIN IMMEDIATE"))
        return self._run(lambda db: _track(db, self.path, findings, packs, top_unit, as_of))

    def first_letter(self, prefix: str, year: int, same: tuple[str, str, str, str, str]) -> int:
        """The number of this audit's first letter: one past the last number of `prefix` and `year` that another
        audit took (its own earlier run, which it replaces, aside). `same`: (pack, top unit, from, as_of, ledger
        set) of this audit's first pack."""
        if not self._db.in_transaction:
            self._run(lambda db: db.execute("BEGIN IMMEDIATE"))
        row = self._run(
            lambda db: db.execute(
                "SELECT max(n.first + n.count - 1) FROM letter_numbers n JOIN audits a ON a.id = n.audit "
                "WHERE n.prefix = ? AND n.year = ? AND NOT (a.pack = ? AND a.top_unit = ? AND a.date_from = ? "
                "AND a.as_of = ? AND a.ledger_set = ?)",
                (prefix, year, *same),
            ).fetchone()
        )
        return int(row[0] or 0) + 1

    def record(self, doc: dict, findings: pd.DataFrame, resolved: pd.DataFrame) -> None:
        """Add this audit (replacing an earlier run of the same audit) and end the transaction."""
        if not self._db.in_transaction:
            self._run(lambda db: db.execute("BEGIN IMMEDIATE"))
        self._run(lambda db: _record(db, doc, findings, resolved))
        self._run(lambda db: db.execute("COMMIT"))


@contextmanager
def open_book(path: Path) -> Iterator[Book]:
    """The history file for one audit; any SQLite or file error becomes a message with the way out."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
        db.executescript(SCHEMA)
    except (OSError, sqlite3.Error) as exc:
        raise _unusable(path, exc) from exc
    with closing(db):
        try:
            yield Book(path, db)
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")


def _previous_audits(db: sqlite3.Connection, packs: list[PackAudit], top_unit: str, as_of: date) -> pd.DataFrame:
    """Per pack, the latest audit recorded for this top unit with an as_of before this one."""
    rows = []
    for part in packs:
        row = db.execute(
            "SELECT id, pack, as_of, generated_at FROM audits WHERE pack = ? AND top_unit = ? AND as_of < ? "
            "ORDER BY as_of DESC, id DESC LIMIT 1",
            (part.pack, top_unit, as_of.isoformat()),
        ).fetchone()
        if row:
            rows.append(row)
    return pd.DataFrame(rows, columns=["audit", "pack", "as_of", "generated_at"])


def _query(db: sqlite3.Connection, sql: str, params: list) -> pd.DataFrame:
    return pd.read_sql_query(sql, db, params=params).astype("string")


def _rejudged(earlier: pd.DataFrame, packs: list[PackAudit]) -> pd.Series:
    """An earlier finding this audit looked at again: its rule ran, and its period is one this pack's window judges."""
    judged = pd.MultiIndex.from_tuples([(p.pack, rule) for p in packs for rule in p.judged], names=["pack", "rule"])
    ran = pd.MultiIndex.from_frame(earlier[["pack", "rule"]]).isin(judged)
    spans = label_spans(earlier["period"])
    floors = earlier["pack"].map({p.pack: pd.Timestamp(p.window.floor or p.window.start) for p in packs})
    starts = earlier["pack"].map({p.pack: pd.Timestamp(p.window.start) for p in packs})
    ends = earlier["pack"].map({p.pack: pd.Timestamp(p.window.as_of) for p in packs})
    inside = spans["start"].isna() | ((spans["start"] >= floors) & (spans["end"] >= starts) & (spans["end"] <= ends))
    return pd.Series(ran, index=earlier.index) & inside.astype(bool)


def _track(
    db: sqlite3.Connection, path: Path, findings: pd.DataFrame, packs: list[PackAudit], top_unit: str, as_of: date
) -> Tracking:
    previous = _previous_audits(db, packs, top_unit, as_of)
    ids = [int(a) for a in previous["audit"]]
    marks = ",".join("?" * len(ids))
    earlier = _query(
        db,
        f"SELECT a.pack, f.rule, f.unit, f.period, f.record, f.severity, f.title, f.unit_name, f.message, "
        f"f.responsible, f.first_seen, a.as_of AS last_seen FROM findings f JOIN audits a ON a.id = f.audit "
        f"WHERE f.audit IN ({marks})",
        ids,
    ).drop_duplicates(KEY)
    put_right = _query(
        db,
        "SELECT DISTINCT a.pack, r.rule, r.unit FROM resolved r JOIN audits a ON a.id = r.audit "
        "WHERE a.top_unit = ? AND a.as_of < ? AND r.period = ''",
        [top_unit, as_of.isoformat()],
    )
    keys = findings[KEY].astype("string")
    seen = keys.merge(earlier[[*KEY, "first_seen"]], how="left", on=KEY)
    first_seen = seen["first_seen"].fillna(as_of.isoformat())
    status = seen["first_seen"].notna().map({True: "persisting", False: "new"})
    back = keys[["pack", "rule", "unit"]].merge(put_right.assign(hit=True), how="left", on=["pack", "rule", "unit"])
    relapse = back["hit"].fillna(False).astype(bool) & (status == "new") & (keys["period"] == "").to_numpy()
    gone = earlier.merge(keys.assign(now=True), how="left", on=KEY)
    resolved = earlier[gone["now"].isna().to_numpy() & _rejudged(earlier, packs).to_numpy()]
    index = findings.index
    return Tracking(
        path=path,
        status=pd.Series(status.to_numpy(), index=index),
        first_seen=pd.Series(first_seen.to_numpy(), index=index),
        relapse=pd.Series(relapse.to_numpy(), index=index),
        resolved=resolved.reset_index(drop=True),
        previous=as_records(previous.drop(columns="audit")),
    )


def _record(db: sqlite3.Connection, doc: dict, findings: pd.DataFrame, resolved: pd.DataFrame) -> None:
    """One audit row per pack, its findings with status, what it found put right. An audit of one unit (`--unit`)
    is keyed by that unit, so a township's self-checks and the county's audits each compare with their own kind."""
    audit = doc["audit"]
    top = (audit.get("scope") or audit["top_unit"])["id"]
    stored = findings.assign(responsible=findings["responsible"].map(json.dumps))
    for pack in audit["packs"]:
        same = (pack["id"], top, audit["from"], audit["as_of"], audit["ledger_set"])
        rerun = (
            "SELECT id FROM audits WHERE pack = ? AND top_unit = ? AND date_from = ? AND as_of = ? AND ledger_set = ?"
        )
        for table in ("findings", "resolved", "letter_numbers"):
            db.execute(f"DELETE FROM {table} WHERE audit IN ({rerun})", same)
        db.execute(f"DELETE FROM audits WHERE id IN ({rerun})", same)
        cursor = db.execute(
            "INSERT INTO audits (pack, top_unit, date_from, as_of, generated_at, ledger_set, ledger_path, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (pack["id"], top, audit["from"], audit["as_of"], audit["generated_at"], audit["ledger_set"],
             audit["ledger_path"], audit["version"]),
        )  # fmt: skip
        mine = stored[stored["pack"] == pack["id"]]
        db.executemany(
            f"INSERT INTO findings (audit, {', '.join(STORED)}, status, first_seen) "
            f"VALUES ({', '.join('?' * (len(STORED) + 3))})",
            [(cursor.lastrowid, *row) for row in mine[[*STORED, "status", "first_seen"]].itertuples(index=False)],
        )
        numbers = audit.get("letter_numbers")
        if numbers and pack is audit["packs"][0]:
            db.execute(
                "INSERT INTO letter_numbers (audit, prefix, year, first, count) VALUES (?, ?, ?, ?, ?)",
                (cursor.lastrowid, numbers["prefix"], numbers["year"], numbers["first"], numbers["count"]),
            )
        gone = resolved[resolved["pack"] == pack["id"]]
        db.executemany(
            f"INSERT INTO resolved (audit, {', '.join(STORED)}, first_seen, last_seen) "
            f"VALUES ({', '.join('?' * (len(STORED) + 3))})",
            [(cursor.lastrowid, *row) for row in gone[[*STORED, "first_seen", "last_seen"]].itertuples(index=False)],
        )

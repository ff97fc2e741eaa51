"""A ledger set uploaded to the workspace: stored, read once as the engine reads it (what each file was read as,
its rows, the rows it rejected and why), and its unit register kept for scoping."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pandas as pd

from accountability.audit.document import data_errors
from accountability.ingest.files import read_ledger_set
from accountability.ingest.ledgerset import build_ledger_set
from accountability.packs.model import in_force
from accountability.workspace.accounts import User
from accountability.workspace.service import current_packs
from accountability.workspace.store import Workspace, new_id, now
from accountability.workspace.uploads import Upload, accept_ledgers, store

ERRORS_SHOWN = 200


def create(conn: sqlite3.Connection, workspace: Workspace, user: User, name: str, uploads: list[Upload]) -> dict:
    """Accept, store and read an upload as one ledger set; its answer for the API. A set whose unit register
    cannot be used is refused (AccountabilityError) and nothing of it is kept."""
    files = accept_ledgers(uploads)
    set_id = new_id("ls")
    folder = workspace.folder("ledgers", set_id)
    try:
        kept = store(files, folder)
        with in_force(current_packs()):  # a plan's own ledgers are recognised on upload, as its audit reads them
            tables, problems = read_ledger_set(folder / "台账")
            ledgers = build_ledger_set(name or set_id, tables, problems)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    rows: dict[str, dict] = {}
    for table in tables:
        entry = rows.setdefault(table.file, {"file": table.file, "ledger": table.ledger, "rows": 0})
        entry["rows"] += len(table.frame)
    for problem in problems:
        rows.setdefault(problem.file, {"file": problem.file, "ledger": problem.ledger, "rows": 0})
        rows[problem.file]["problem"] = f"{problem.message}（{problem.fix}）"
    errors = data_errors(ledgers)
    summary = {
        "id": set_id,
        "name": name or set_id,
        "files": sorted(rows.values(), key=lambda f: f["file"]),
        "data_errors": errors[:ERRORS_SHOWN],
        "data_error_count": len(errors),
        "rows_rejected": sum(s.rows_rejected for s in ledgers.stats),
        "top_unit": ledgers.units.top,
    }
    units = ledgers.units.frame
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO ledger_sets (id, name, owner, owner_unit, folder, top_unit, summary, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (set_id, summary["name"], user.id, user.unit, str(folder), ledgers.units.top, json.dumps(summary), now()),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO units (ledger_set, id, name, parent) VALUES (?, ?, ?, ?)",
        [
            (set_id, str(i), str(n), None if pd.isna(p) else str(p))
            for i, n, p in zip(units["id"], units["name"], units["parent"], strict=True)
        ],
    )
    conn.execute("COMMIT")
    return {**summary, "stored": [{k: f[k] for k in ("name", "sha256", "size")} for f in kept]}


def listing(conn: sqlite3.Connection, user: User) -> list[dict]:
    """The ledger sets a user may see: every one for an inspector, its own uploads for a unit user."""
    if user.role == "inspector":
        rows = conn.execute("SELECT * FROM ledger_sets ORDER BY created_at DESC")
    elif user.role == "unit":
        rows = conn.execute("SELECT * FROM ledger_sets WHERE owner = ? ORDER BY created_at DESC", (user.id,))
    else:
        return []
    return [{**json.loads(r["summary"]), "created_at": r["created_at"]} for r in rows]

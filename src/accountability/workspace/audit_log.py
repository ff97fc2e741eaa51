"""The log of who did what: append-only (the database refuses UPDATE and DELETE on it) and chained, each row
carrying the SHA-256 of the one before, so a row removed or altered outside the application shows."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from accountability.workspace.accounts import User
from accountability.workspace.store import now

FIELDS = ("at", "actor", "role", "ip", "action", "object_type", "object_id", "outcome", "detail")


def _digest(prev: str, values: tuple) -> str:
    return hashlib.sha256((prev + json.dumps(values, ensure_ascii=False)).encode()).hexdigest()


def record(
    conn: sqlite3.Connection,
    action: str,
    user: User | None,
    ip: str | None,
    outcome: str = "ok",
    object_type: str | None = None,
    object_id: str | None = None,
    detail: str | None = None,
    actor: str | None = None,
) -> None:
    """One row: when, who (or the name tried, for a failed login), from where, what, on which object, how it went."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        last = conn.execute("SELECT hash FROM log ORDER BY id DESC LIMIT 1").fetchone()
        prev = last["hash"] if last else ""
        values = (
            now(),
            user.username if user else actor,
            user.role if user else None,
            ip,
            action,
            object_type,
            object_id,
            outcome,
            detail,
        )
        conn.execute(
            f"INSERT INTO log ({', '.join(FIELDS)}, prev_hash, hash) VALUES ({', '.join('?' * (len(FIELDS) + 2))})",
            (*values, prev, _digest(prev, values)),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def entries(conn: sqlite3.Connection, limit: int = 500) -> list[dict]:
    """Newest first."""
    rows = conn.execute(f"SELECT id, {', '.join(FIELDS)} FROM log ORDER BY id DESC LIMIT ?", (limit,))
    return [dict(r) for r in rows]


def verify(conn: sqlite3.Connection) -> bool:
    """Whether every row's hash follows from the row before it."""
    prev = ""
    for row in conn.execute(f"SELECT {', '.join(FIELDS)}, prev_hash, hash FROM log ORDER BY id"):
        values = tuple(row[f] for f in FIELDS)
        if row["prev_hash"] != prev or row["hash"] != _digest(prev, values):
            return False
        prev = row["hash"]
    return True

"""What a user may see, decided in one place. Every lookup of a ledger set, audit, finding, referral, waiver,
rectification or file goes through `fetch` or `units_in_scope`; anything outside the user's scope is NotFound,
answered exactly like an id that does not exist, so existence does not leak.

A unit user sees its unit and the units under it, in the unit register of the ledger set an audit read: its own
ledger sets, the audits of ledger sets that hold its unit, their findings about its units, and the referrals of its
people below 移交 (the discipline office's decisions are for inspectors). An inspector sees all audit data; an
admin manages users and reads the log but sees no audit data (separation of duties)."""

from __future__ import annotations

import sqlite3

from accountability.workspace.accounts import User

ADDRESSED_TO_UNITS = ("reminder", "interview", "notice")


class NotFound(Exception):
    """Missing or out of scope: the two are never told apart."""


class Forbidden(Exception):
    """Visible, but this action is not the user's to take."""


def _subtree(conn: sqlite3.Connection, ledger_set: str, unit: str) -> set[str]:
    """A unit and the units under it, in a ledger set's register."""
    rows = conn.execute(
        "WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE ledger_set = ? AND id = ? "
        "UNION SELECT u.id FROM units u JOIN sub ON u.parent = sub.id WHERE u.ledger_set = ?) SELECT id FROM sub",
        (ledger_set, unit, ledger_set),
    )
    return {r["id"] for r in rows}


def units_in_scope(conn: sqlite3.Connection, user: User, ledger_set: str) -> set[str] | None:
    """The unit ids of `ledger_set` the user may see: None for all (inspectors), empty for none."""
    if user.role == "inspector":
        return None
    if user.role != "unit" or user.unit is None:
        return set()
    return _subtree(conn, ledger_set, user.unit)


def _audit_visible(conn: sqlite3.Connection, user: User, audit: sqlite3.Row) -> bool:
    """An inspector sees every audit; a unit user those whose ledger set holds its unit, unless the audit was
    confined (a self-assessment) to a unit that neither holds nor lies under it."""
    mine = units_in_scope(conn, user, audit["ledger_set"])
    if mine is None:
        return True
    scope = audit["scope_unit"]
    return bool(mine) and (scope is None or scope in mine or user.unit in _subtree(conn, audit["ledger_set"], scope))


def visible_referral(user: User, units: set[str] | None, referral: sqlite3.Row) -> bool:
    if units is None:
        return True
    return referral["unit"] in units and referral["disposition"] in ADDRESSED_TO_UNITS


def fetch(conn: sqlite3.Connection, user: User, kind: str, object_id: str) -> sqlite3.Row:
    """The object of `kind` with this id, if the user may see it; NotFound otherwise."""
    if user.role not in ("inspector", "unit"):
        raise NotFound
    if kind == "ledger_set":
        row = conn.execute("SELECT * FROM ledger_sets WHERE id = ?", (object_id,)).fetchone()
        if row is None or (user.role == "unit" and row["owner"] != user.id):
            raise NotFound
        return row
    if kind == "audit":
        row = conn.execute("SELECT * FROM audits WHERE id = ?", (object_id,)).fetchone()
        if row is None or not _audit_visible(conn, user, row):
            raise NotFound
        return row
    if kind == "finding":
        row = conn.execute(
            "SELECT f.*, a.ledger_set FROM findings f JOIN audits a ON a.id = f.audit WHERE f.id = ? "
            "ORDER BY a.as_of DESC, a.created_at DESC",
            (object_id,),
        ).fetchall()
        for candidate in row:
            units = units_in_scope(conn, user, candidate["ledger_set"])
            if units is None or candidate["unit"] in units:
                return candidate
        raise NotFound
    if kind in ("waiver", "rectification"):
        table = "waivers" if kind == "waiver" else "rectifications"
        row = conn.execute(
            f"SELECT t.*, a.ledger_set FROM {table} t JOIN audits a ON a.id = t.audit WHERE t.id = ?", (object_id,)
        ).fetchone()
        if row is None:
            raise NotFound
        units = units_in_scope(conn, user, row["ledger_set"])
        if units is not None and row["unit"] not in units:
            raise NotFound
        return row
    raise NotFound

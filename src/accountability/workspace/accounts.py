"""Users, passwords, sessions and login throttling (docs/workspace.md, "Security"): argon2id hashes, server-side
sessions whose tokens are stored only as SHA-256, a CSRF token per session, and five failures in fifteen minutes
per name before logins wait."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accountability.errors import AccountabilityError
from accountability.workspace.store import now

ROLES = ("admin", "inspector", "unit")
MIN_PASSWORD = 12
FAILURES_ALLOWED = 5
FAILURE_WINDOW = timedelta(minutes=15)
IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=12)
COMMON = {"123456789012", "qwertyuiopas", "password1234", "aaaaaaaaaaaa", "woaini131452", "1234567890ab"}

_hasher = PasswordHasher()
# verified against when the name is unknown, so a wrong name costs as long as a wrong password
_DUMMY = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    unit: str | None

    def public(self) -> dict:
        return {"username": self.username, "role": self.role, "unit": self.unit}


def _user(row: sqlite3.Row) -> User:
    return User(row["id"], row["username"], row["role"], row["unit"])


def check_password(password: str, username: str) -> None:
    """At least 12 characters, not a well-known one, not the user name: the only rules (no composition rules)."""
    if len(password) < MIN_PASSWORD:
        raise AccountabilityError(f"密码至少 {MIN_PASSWORD} 个字符", fix="可以用一句容易记住的话作密码")
    if password.lower() in COMMON or username.lower() in password.lower() or len(set(password)) < 4:
        raise AccountabilityError("这个密码太容易被猜到", fix="换一个不含用户名、不是常见密码的句子")


def add_user(conn: sqlite3.Connection, username: str, password: str, role: str, unit: str | None) -> User:
    """A new account; a unit user is bound to one unit id, the others to none."""
    username = username.strip()
    if not username:
        raise AccountabilityError("用户名不能为空")
    if role not in ROLES:
        raise AccountabilityError(f"角色「{role}」不存在", fix="角色为 admin、inspector 或 unit")
    if (role == "unit") != bool(unit):
        raise AccountabilityError("unit 角色须指定单位编码（--unit），其他角色不指定单位")
    check_password(password, username)
    try:
        cursor = conn.execute(
            "INSERT INTO users (username, password_hash, role, unit, created_at) VALUES (?, ?, ?, ?, ?)",
            (username, _hasher.hash(password), role, unit or None, now()),
        )
    except sqlite3.IntegrityError as exc:
        raise AccountabilityError(f"用户名「{username}」已存在", fix="换一个用户名") from exc
    return User(int(cursor.lastrowid or 0), username, role, unit or None)


def list_users(conn: sqlite3.Connection) -> list[User]:
    return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY id")]


class Throttled(Exception):
    """Too many failed logins for this name within the window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("throttled")
        self.retry_after = retry_after


def _stamp(moment: datetime) -> str:
    """A failure's time as stored: fixed width, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _throttle(conn: sqlite3.Connection, username: str, clock: datetime) -> None:
    since = _stamp(clock - FAILURE_WINDOW)
    rows = conn.execute(
        "SELECT at FROM login_failures WHERE username = ? AND at > ? ORDER BY at", (username, since)
    ).fetchall()
    if len(rows) >= FAILURES_ALLOWED:
        oldest = datetime.fromisoformat(rows[-FAILURES_ALLOWED]["at"])
        raise Throttled(max(1, int((oldest + FAILURE_WINDOW - clock).total_seconds())))


def authenticate(conn: sqlite3.Connection, username: str, password: str, clock: datetime | None = None) -> User | None:
    """The user when name and password match; None otherwise, the same way whether the name exists or not. Raises
    Throttled after five failures for the name in fifteen minutes, before the password is even tried."""
    clock = clock or datetime.now(UTC)
    _throttle(conn, username, clock)
    row = conn.execute("SELECT * FROM users WHERE username = ? AND disabled = 0", (username,)).fetchone()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        row = None
    if row is None:
        conn.execute("INSERT INTO login_failures (username, at) VALUES (?, ?)", (username, _stamp(clock)))
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"]))
    conn.execute("DELETE FROM login_failures WHERE username = ?", (username,))
    return _user(row)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(conn: sqlite3.Connection, user: User) -> tuple[str, str]:
    """A new session for a login: (cookie token, CSRF token). Only the token's digest is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    stamp = now()
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
        (_digest(token), user.id, csrf, stamp, stamp),
    )
    return token, csrf


def session_user(conn: sqlite3.Connection, token: str | None, clock: datetime | None = None) -> tuple[User, str] | None:
    """The user and CSRF token of a live session; an idle (30 min) or old (12 h) one is ended."""
    if not token:
        return None
    clock = clock or datetime.now(UTC)
    row = conn.execute(
        "SELECT s.*, u.username, u.role, u.unit, u.id AS uid FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ? AND u.disabled = 0",
        (_digest(token),),
    ).fetchone()
    if row is None:
        return None
    if (
        clock - datetime.fromisoformat(row["last_seen"]) > IDLE
        or clock - datetime.fromisoformat(row["created_at"]) > LIFETIME
    ):
        conn.execute("DELETE FROM sessions WHERE token_hash = ?", (row["token_hash"],))
        return None
    conn.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (clock.isoformat(), row["token_hash"]))
    return User(row["uid"], row["username"], row["role"], row["unit"]), row["csrf"]


def close_session(conn: sqlite3.Connection, token: str | None) -> None:
    if token:
        conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())

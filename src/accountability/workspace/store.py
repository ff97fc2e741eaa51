"""The workspace folder: one SQLite database in WAL mode with numbered migrations, the uploaded files, the audits'
outputs and the session secret, created on first start."""

from __future__ import annotations

import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from accountability.errors import AccountabilityError


def now() -> str:
    """UTC time as the database stores it: ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_id(prefix: str) -> str:
    """An opaque random id: nothing can be guessed from it, not even how many objects there are."""
    return f"{prefix}_{secrets.token_hex(8)}"


@dataclass(frozen=True)
class Workspace:
    """Where everything of one workspace lives."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "workspace.sqlite"

    @property
    def history(self) -> Path:
        return self.root / "history.sqlite"

    def folder(self, kind: str, name: str) -> Path:
        """ledgers/<id>, audits/<id>, evidence/<id>: made on demand."""
        path = self.root / kind / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def secret(self) -> str:
        """The session secret, generated into the workspace on first start (never in the repository)."""
        path = self.root / "secret.key"
        if not path.exists():
            path.write_text(secrets.token_hex(32), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()

    def create(self) -> Workspace:
        """Make the folder (private to its owner) and bring the database to the latest migration."""
        self.root.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            self.root.chmod(0o700)
        with self.connect() as conn:
            migrate(conn)
        return self

    def connect(self) -> sqlite3.Connection:
        """A connection as every request uses it: WAL, foreign keys on (SQLite leaves them off), a busy timeout."""
        try:
            conn = sqlite3.connect(self.database, timeout=10, isolation_level=None, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise AccountabilityError(
                f"无法打开工作区数据库 {self.database}：{exc}", fix="工作区应放在本机磁盘上，不能放在网络共享文件夹"
            ) from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the numbered migrations (migrations/NNN_*.sql) above the database's user_version, each in one
    transaction; returns the version reached."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    scripts = sorted(
        (
            f
            for f in resources.files("accountability.workspace").joinpath("migrations").iterdir()
            if f.name.endswith(".sql")
        ),
        key=lambda f: f.name,
    )
    for script in scripts:
        number = int(script.name.split("_", 1)[0])
        if number <= version:
            continue
        conn.executescript(
            f"BEGIN IMMEDIATE;\n{script.read_text(encoding='utf-8')}\nPRAGMA user_version={number};\nCOMMIT;"
        )
        version = number
    return version

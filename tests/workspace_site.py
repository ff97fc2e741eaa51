"""A workspace for the tests: users of every role, the Hongjiang example uploaded by an inspector and audited
once, and helpers to log in and to run queued audits the way the worker does."""

from __future__ import annotations

import io
import zipfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from accountability.workspace import accounts, jobs
from accountability.workspace.app import create_app
from accountability.workspace.store import Workspace

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hongjiang-2025"
PASSWORDS = {
    "admin1": "admin-keeps-the-keys-2025",
    "jiwei": "river-runs-east-to-the-sea",
    "jiwei2": "mountains-beyond-mountains",
    "tieshan": "iron-hill-township-office",
    "xuefeng": "snow-peak-township-office",
}
ROLES = {"admin1": ("admin", None), "jiwei": ("inspector", None), "jiwei2": ("inspector", None),
         "tieshan": ("unit", "TS"), "xuefeng": ("unit", "XF")}  # fmt: skip


@dataclass
class Site:
    workspace: Workspace
    app: Flask
    ledger_set: str
    audit: str


def make_workspace(root: Path) -> Workspace:
    workspace = Workspace(root).create()
    with closing(workspace.connect()) as conn:
        for name, (role, unit) in ROLES.items():
            accounts.add_user(conn, name, PASSWORDS[name], role, unit)
    return workspace


def login(app: Flask, name: str) -> tuple[FlaskClient, dict[str, str]]:
    """A client logged in as `name`, and the CSRF header its state changes carry."""
    client = app.test_client()
    answer = client.post("/api/login", json={"username": name, "password": PASSWORDS[name]})
    assert answer.status_code == 200, answer.json
    return client, {"X-CSRF-Token": answer.json["csrf"]}


def example_files(folder: Path = EXAMPLE) -> list[tuple[io.BytesIO, str]]:
    return [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(folder.glob("*.xlsx"))]


class GbkName(zipfile.ZipInfo):
    """An entry named as Windows Explorer names it: GBK bytes, without the UTF-8 flag."""

    def _encodeFilenameFlags(self):  # zipfile's own name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zipped(entries: dict[str, bytes], gbk: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr((GbkName if gbk else zipfile.ZipInfo)(name), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def run_queued(workspace: Workspace) -> None:
    """Run every queued audit, in order, as the worker thread does."""
    with closing(workspace.connect()) as conn:
        for row in conn.execute("SELECT * FROM audits WHERE status = 'queued' ORDER BY created_at").fetchall():
            jobs.run_one(workspace, conn, row)


def build_site(root: Path) -> Site:
    workspace = make_workspace(root)
    app = create_app(workspace)
    client, csrf = login(app, "jiwei")
    made = client.post(
        "/api/ledger-sets", data={"name": "洪江市2025年9月", "files": example_files()}, headers=csrf
    ).json
    audit = client.post(
        "/api/audits",
        json={"ledger_set": made["id"], "packs": ["hongjiang-2025"], "from": "2025-08-01", "as_of": "2025-09-30"},
        headers=csrf,
    ).json["id"]
    run_queued(workspace)
    return Site(workspace, app, made["id"], audit)

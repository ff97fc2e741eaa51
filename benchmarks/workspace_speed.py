"""Prints what the web workspace costs beside the command line on the Hongjiang example: a login (argon2), an upload
(stored and read once), the audit as a job in its own process against the same audit in this process, and the
findings page of a finished audit: `python benchmarks/workspace_speed.py [--runs 3]`. Median and spread of the runs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path

from accountability.audit.service import AuditRequest, perform
from accountability.workspace import accounts, jobs
from accountability.workspace.app import create_app
from accountability.workspace.store import Workspace

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hongjiang-2025"
PASSWORD = "a-long-timing-passphrase"


def once(root: Path) -> dict[str, float]:
    workspace = Workspace(root).create()
    with closing(workspace.connect()) as conn:
        accounts.add_user(conn, "timer", PASSWORD, "inspector", None)
    client = create_app(workspace).test_client()
    figures: dict[str, float] = {}
    start = time.perf_counter()
    csrf = {"X-CSRF-Token": client.post("/api/login", json={"username": "timer", "password": PASSWORD}).json["csrf"]}
    figures["login"] = time.perf_counter() - start
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(EXAMPLE.glob("*.xlsx"))]
    start = time.perf_counter()
    made = client.post("/api/ledger-sets", data={"name": "bench", "files": files}, headers=csrf).json
    figures["upload"] = time.perf_counter() - start
    body = {"ledger_set": made["id"], "packs": ["hongjiang-2025"], "from": "2025-08-01", "as_of": "2025-09-30"}
    audit = client.post("/api/audits", json=body, headers=csrf).json["id"]
    start = time.perf_counter()
    with closing(workspace.connect()) as conn:
        jobs.run_one(workspace, conn, conn.execute("SELECT * FROM audits WHERE id = ?", (audit,)).fetchone())
    figures["audit job (own process)"] = time.perf_counter() - start
    start = time.perf_counter()
    perform(AuditRequest(ledgers=EXAMPLE, packs=("hongjiang-2025",), date_from=date(2025, 8, 1),
                         as_of=date(2025, 9, 30), out=root / "cli", history=None))  # fmt: skip
    figures["same audit in this process"] = time.perf_counter() - start
    start = time.perf_counter()
    client.get(f"/audits/{audit}")
    figures["audit page with its findings"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    results: list[dict[str, float]] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            results.append(once(Path(folder)))
    for name in results[0]:
        values = [r[name] for r in results]
        print(f"{name:32s} median {statistics.median(values):6.2f} s   spread {min(values):6.2f}–{max(values):.2f} s")


if __name__ == "__main__":
    main()

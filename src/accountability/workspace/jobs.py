"""Audits as jobs: queued in the database, run one at a time by one worker thread, each in a process of its own
running the command line's own audit (`python -m accountability audit … --progress-json`), so a province audit
neither blocks nor bloats the server. Its progress lines move the job's bar; its outputs are the command line's
files, loaded into the database for scoped queries. A job found running when the server starts was cut short by
a restart and is marked failed."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from accountability.workspace import audit_log
from accountability.workspace.service import summary
from accountability.workspace.store import Workspace, now

# where each stage of an audit starts on the bar, and how much of it it takes
STAGES = {
    "读取台账文件": (0.0, 0.15),
    "核对台账内容": (0.15, 0.15),
    "逐条检查规则": (0.30, 0.5),
    "写出报告": (0.8, 0.2),
}
RESTARTED = "服务重启时这次检查尚未完成，已中断；请重新开始检查"


def recover(conn: sqlite3.Connection) -> int:
    """Jobs left running by a stopped server become failed; queued ones wait for the worker."""
    cursor = conn.execute(
        "UPDATE audits SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running'", (RESTARTED, now())
    )
    return cursor.rowcount


def command(workspace: Workspace, audit: sqlite3.Row, ledger_folder: Path, out: Path, waivers: Path) -> list[str]:
    """The command line the job runs: the same audit a user at a terminal would run."""
    args = [sys.executable, "-m", "accountability", "audit", str(ledger_folder)]
    if audit["month"]:
        args += ["--month", audit["month"]]
    else:
        args += ["--as-of", audit["as_of"], *(["--from", audit["date_from"]] if audit["date_from"] else [])]
    for pack in json.loads(audit["packs"]):
        args += ["--pack", pack]
    for key, value in json.loads(audit["settings"]).items():
        args += ["--set", f"{key}={value}"]
    if audit["scope_unit"]:
        args += ["--unit", audit["scope_unit"]]
    return [*args, "--out", str(out), "--history", str(workspace.history), "--waivers", str(waivers), "--progress-json"]


def waivers_in_force(conn: sqlite3.Connection, as_of: str) -> list[dict]:
    """The approved waivers in force on the audit's as_of: they keep their findings out of referrals."""
    rows = conn.execute(
        "SELECT w.id, w.finding, w.expires, u.username FROM waivers w JOIN users u ON u.id = w.decided_by "
        "WHERE w.status = 'approved' AND w.expires >= ?",
        (as_of,),
    )
    return [{"id": r["id"], "finding": r["finding"], "approver": r["username"], "expires": r["expires"]} for r in rows]


def _load(conn: sqlite3.Connection, audit_id: str, out: Path) -> dict:
    """findings.json and referrals.json into the database, for scoped queries."""
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO findings (audit, id, unit, rule, severity, doubtful, waived, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                audit_id,
                f["id"],
                f["unit"],
                f["rule"],
                f["severity"],
                int(bool(f.get("doubtful"))),
                int(bool(f.get("waived"))),
                json.dumps(f),
            )
            for f in doc["findings"]
        ],
    )
    conn.executemany(
        "INSERT INTO referrals (audit, position, person, unit, disposition, data) VALUES (?, ?, ?, ?, ?, ?)",
        [(audit_id, i, r["person"], r["unit"], r["disposition"], json.dumps(r)) for i, r in enumerate(referrals)],
    )
    conn.execute(
        "UPDATE audits SET status = 'done', progress = 1, stage = '完成', finished_at = ? WHERE id = ?",
        (now(), audit_id),
    )
    conn.execute("COMMIT")
    return summary(conn, audit_id, None)


def _fraction(event: dict) -> float | None:
    start, share = STAGES.get(event.get("stage", ""), (None, 0.0))
    if start is None or not event.get("total"):
        return None
    return start + share * min(1.0, event["done"] / event["total"])


def run_one(workspace: Workspace, conn: sqlite3.Connection, audit: sqlite3.Row) -> None:
    """Run one queued audit to its end: done with its findings loaded, or failed with the command's message."""
    ledger_set = conn.execute("SELECT folder FROM ledger_sets WHERE id = ?", (audit["ledger_set"],)).fetchone()
    out = workspace.folder("audits", audit["id"]) / "out"
    waivers = out.parent / "waivers.json"
    waivers.write_text(json.dumps(waivers_in_force(conn, audit["as_of"]), ensure_ascii=False), encoding="utf-8")
    conn.execute("UPDATE audits SET status = 'running', stage = '开始' WHERE id = ?", (audit["id"],))
    args = command(workspace, audit, Path(ledger_set["folder"]) / "台账", out, waivers)
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=workspace.root
    )
    error, other = None, []
    assert process.stderr is not None
    for line in process.stderr:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            other.append(line.strip())
            continue
        if "error" in event:
            error = event["error"]
            continue
        fraction = _fraction(event)
        if fraction is not None:
            conn.execute(
                "UPDATE audits SET progress = MAX(progress, ?), stage = ? WHERE id = ?",
                (round(fraction, 3), event["stage"], audit["id"]),
            )
    code = process.wait()
    if code in (0, 1) and (out / "findings.json").is_file():
        counts = _load(conn, audit["id"], out)
        audit_log.record(conn, "audit_finished", None, None, object_type="audit", object_id=audit["id"],
                         detail=json.dumps(counts, ensure_ascii=False), actor="system")  # fmt: skip
        return
    message = error or next((m for m in reversed(other) if m), "") or f"检查程序异常退出（状态 {code}）"
    conn.execute(
        "UPDATE audits SET status = 'failed', error = ?, finished_at = ? WHERE id = ?", (message, now(), audit["id"])
    )
    audit_log.record(conn, "audit_finished", None, None, "failed", "audit", audit["id"], message, actor="system")


class Worker:
    """The one thread that runs queued audits in order; `wake` after queueing one."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="audit-worker", daemon=True)

    def start(self) -> Worker:
        with self.workspace.connect() as conn:
            recover(conn)
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        conn = self.workspace.connect()
        while not self._stop.is_set():
            job = conn.execute("SELECT * FROM audits WHERE status = 'queued' ORDER BY created_at LIMIT 1").fetchone()
            if job is None:
                self._wake.wait(timeout=2)
                self._wake.clear()
                continue
            try:
                run_one(self.workspace, conn, job)
            except Exception as exc:  # a job that breaks the worker must not stop the queue
                conn.execute(
                    "UPDATE audits SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
                    (f"检查未能完成：{exc}", now(), job["id"]),
                )
        conn.close()

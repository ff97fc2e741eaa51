"""What a user can do in the workspace, for the JSON API and the pages alike: queue audits, read findings and
referrals, ask for and decide waivers (情况说明) and rectifications (整改), and get output files. Every lookup goes
through scope.fetch or scope.units_in_scope; nothing here reads an object around them."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from accountability.contract.schema import ledger_specs
from accountability.errors import AccountabilityError
from accountability.packs.loading import load_packs
from accountability.packs.model import COMMON_PACK, Pack, in_force
from accountability.report.letters import LETTERS_DIR, counties, safe_name, unit_letters
from accountability.report.outputs import write_outputs
from accountability.resources import resource_dir
from accountability.workspace import scope
from accountability.workspace.accounts import User
from accountability.workspace.scope import Forbidden, NotFound
from accountability.workspace.store import Workspace, new_id, now
from accountability.workspace.uploads import Upload, accept_evidence

SEVERITIES = ("high", "medium", "low")
UNIT_FILES = ("findings.csv", "report.xlsx", "report.html")
SCOPED_FORMATS = ("csv", "xlsx", "html")


def _date(text: object, field: str) -> str:
    try:
        return dt.date.fromisoformat(str(text)).isoformat()
    except ValueError as exc:
        raise AccountabilityError(f"{field}「{text}」不是日期", fix="写成 2025-09-30 的形式") from exc


def current_packs() -> list[Pack]:
    """The packs in rules/, read again only when one of its files changes: a county adds its new plan's pack
    without restarting the workspace."""
    folder = resource_dir("rules")
    return _packs(tuple((f.name, f.stat().st_mtime_ns) for f in sorted(folder.glob("*.yaml"))))


@lru_cache(maxsize=2)
def _packs(signature: tuple[tuple[str, int], ...]) -> list[Pack]:
    return load_packs()


def plans() -> list[tuple[str, str]]:
    """The plans an audit can be run against: (pack id, title), the shared rules aside (they always run)."""
    return [(p.id, p.title) for p in current_packs() if p.id != COMMON_PACK]


def ledger_titles() -> dict[str, str]:
    """Every ledger's title, the contract's and those the packs declare, for the pages."""
    with in_force(current_packs()):
        return {key: spec.title for key, spec in ledger_specs().items()}


def _month(text: object) -> tuple[str, str, str]:
    """A monthly check, `2025-09`: (month, its first day, its last day)."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(text).strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise AccountabilityError(f"月份「{text}」写法有误", fix="写成 2025-09 的形式")
    year, month = int(match[1]), int(match[2])
    last = calendar.monthrange(year, month)[1]
    return f"{year}-{month:02d}", dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()


def queue_audit(conn: sqlite3.Connection, user: User, body: dict) -> str:
    """A new queued audit of a ledger set the user may see; a unit user's is a self-assessment of its own unit.
    `month` (2025-09) asks for the monthly check the command line runs with --month, instead of from / as_of."""
    if user.role not in ("inspector", "unit"):
        raise NotFound
    ledger_set = scope.fetch(conn, user, "ledger_set", str(body.get("ledger_set", "")))
    packs = body.get("packs") or []
    if not isinstance(packs, list) or not all(isinstance(p, str) for p in packs) or not packs:
        raise AccountabilityError("请选择至少一个规则包（方案）", fix='packs 写规则包 id 的列表，如 ["hongjiang-2025"]')
    settings = body.get("set") or {}
    if not isinstance(settings, dict):
        raise AccountabilityError('set 应为 {"规则包.参数": 值}')
    load_packs(packs, [f"{k}={v}" for k, v in settings.items()])  # a wrong pack or parameter is told now
    month = None
    if body.get("month"):
        month, date_from, as_of = _month(body["month"])
    else:
        as_of = _date(body.get("as_of"), "检查截止日")
        date_from = _date(body["from"], "检查起始日") if body.get("from") else None
    if date_from and date_from > as_of:
        raise AccountabilityError("检查起始日晚于截止日")
    audit_id = new_id("au")
    conn.execute(
        "INSERT INTO audits (id, ledger_set, requested_by, scope_unit, packs, date_from, as_of, month, settings, "
        "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
        (
            audit_id,
            ledger_set["id"],
            user.id,
            user.unit if user.role == "unit" else None,
            json.dumps(packs),
            date_from,
            as_of,
            month,
            json.dumps(settings),
            now(),
        ),
    )
    return audit_id


def audit_status(conn: sqlite3.Connection, user: User, audit_id: str) -> dict:
    row = scope.fetch(conn, user, "audit", audit_id)
    answer = {"id": row["id"], "status": row["status"], "progress": row["progress"], "stage": row["stage"]}
    answer |= {"ledger_set": row["ledger_set"], "packs": json.loads(row["packs"]), "from": row["date_from"]}
    answer |= {"as_of": row["as_of"], "month": row["month"], "created_at": row["created_at"]}
    if row["status"] == "done":
        answer["summary"] = summary(conn, row["id"], scope.units_in_scope(conn, user, row["ledger_set"]))
    if row["status"] == "failed":
        answer["error"] = row["error"]
    return answer


def summary(conn: sqlite3.Connection, audit_id: str, units: set[str] | None) -> dict:
    """An audit's counts over `units` (None: all), from the indexed columns: no finding is parsed to count it."""
    inside, args = "", [audit_id]
    if units is not None:
        inside = f" AND unit IN ({', '.join('?' * len(units))})"
        args += sorted(units)
    found = conn.execute(
        "SELECT severity, COUNT(*) AS n, SUM(doubtful) AS doubtful, SUM(waived) AS waived FROM findings "
        f"WHERE audit = ?{inside} GROUP BY severity",
        args,
    ).fetchall()
    addressed = "" if units is None else f" AND disposition IN ({', '.join('?' * len(scope.ADDRESSED_TO_UNITS))})"
    referred = conn.execute(
        f"SELECT disposition, COUNT(*) AS n FROM referrals WHERE audit = ?{inside}{addressed} GROUP BY disposition",
        args + ([] if units is None else list(scope.ADDRESSED_TO_UNITS)),
    ).fetchall()
    by_severity = {s: 0 for s in SEVERITIES} | {r["severity"]: r["n"] for r in found}
    return {
        "findings": sum(by_severity.values()),
        "by_severity": by_severity,
        "doubtful": sum(r["doubtful"] for r in found),
        "waived": sum(r["waived"] for r in found),
        "referrals": sum(r["n"] for r in referred),
        "by_disposition": {r["disposition"]: r["n"] for r in referred},
    }


def audits(conn: sqlite3.Connection, user: User, limit: int = 50) -> list[dict]:
    """The latest audits the user may see, newest first."""
    rows = conn.execute("SELECT id FROM audits ORDER BY created_at DESC LIMIT ?", (limit * 4,)).fetchall()
    seen = []
    for row in rows:
        try:
            seen.append(audit_status(conn, user, row["id"]))
        except NotFound:
            continue
        if len(seen) == limit:
            break
    return seen


def findings(conn: sqlite3.Connection, user: User, audit_id: str, filters: dict) -> list[dict]:
    """An audit's findings in the user's scope, filtered by unit, rule, severity and doubtful. A unit filter
    outside the scope is NotFound, like any object outside it."""
    audit = scope.fetch(conn, user, "audit", audit_id)
    units = scope.units_in_scope(conn, user, audit["ledger_set"])
    unit = filters.get("unit") or None
    if unit and units is not None and unit not in units:
        raise NotFound
    clauses, args = ["audit = ?"], [audit_id]
    for column in ("unit", "rule", "severity"):
        if filters.get(column):
            clauses.append(f"{column} = ?")
            args.append(filters[column])
    if filters.get("doubtful") in ("true", "1", True):
        clauses.append("doubtful = 1")
    elif filters.get("doubtful") in ("false", "0", False):
        clauses.append("doubtful = 0")
    rows = conn.execute(f"SELECT unit, data FROM findings WHERE {' AND '.join(clauses)} ORDER BY rowid", args)
    return [json.loads(r["data"]) for r in rows if units is None or r["unit"] in units]


def audit_referrals(conn: sqlite3.Connection, user: User, audit_id: str) -> list[dict]:
    """The audit's referrals the user may read: all for an inspector; a unit user's people below 移交."""
    audit = scope.fetch(conn, user, "audit", audit_id)
    units = scope.units_in_scope(conn, user, audit["ledger_set"])
    rows = conn.execute("SELECT * FROM referrals WHERE audit = ? ORDER BY position", (audit_id,))
    return [json.loads(r["data"]) for r in rows if scope.visible_referral(user, units, r)]


def finding_detail(conn: sqlite3.Connection, user: User, finding_id: str) -> dict:
    """The finding as its latest visible audit gave it, with its history across audits, waivers and
    rectifications (each with its evidence files)."""
    row = scope.fetch(conn, user, "finding", finding_id)
    history = [
        {"audit": r["audit"], "as_of": r["as_of"], "status": json.loads(r["data"]).get("status")}
        for r in conn.execute(
            "SELECT f.audit, f.data, a.as_of FROM findings f JOIN audits a ON a.id = f.audit "
            "WHERE f.id = ? AND a.ledger_set IN (SELECT id FROM ledger_sets) ORDER BY a.as_of, a.created_at",
            (finding_id,),
        )
        if _sees(conn, user, r["audit"])
    ]
    waivers = [_with_evidence(conn, "waiver", dict(r)) for r in _rows(conn, "waivers", finding_id, row["unit"])]
    rectifications = [
        _with_evidence(conn, "rectification", dict(r)) for r in _rows(conn, "rectifications", finding_id, row["unit"])
    ]
    today = dt.date.today().isoformat()
    for waiver in waivers:
        waiver["expired"] = waiver["status"] == "approved" and waiver["expires"] < today
    return {
        **json.loads(row["data"]),
        "audit": row["audit"],
        "history": history,
        "waivers": waivers,
        "rectifications": rectifications,
    }


def _sees(conn: sqlite3.Connection, user: User, audit_id: str) -> bool:
    try:
        scope.fetch(conn, user, "audit", audit_id)
    except NotFound:
        return False
    return True


def _rows(conn: sqlite3.Connection, table: str, finding_id: str, unit: str) -> list[sqlite3.Row]:
    return conn.execute(
        f"SELECT t.*, u.username AS by_name, d.username AS decided_name FROM {table} t "
        f"JOIN users u ON u.id = t.{'requested_by' if table == 'waivers' else 'submitted_by'} "
        f"LEFT JOIN users d ON d.id = t.decided_by WHERE t.finding = ? AND t.unit = ? ORDER BY t.rowid",
        (finding_id, unit),
    ).fetchall()


def _with_evidence(conn: sqlite3.Connection, kind: str, item: dict) -> dict:
    files = conn.execute("SELECT id, name, size FROM evidence WHERE owner_kind = ? AND owner = ?", (kind, item["id"]))
    return {**item, "files": [dict(f) for f in files]}


def _evidence(conn: sqlite3.Connection, workspace: Workspace, kind: str, owner: str, uploads: list[Upload]) -> None:
    folder = workspace.folder("evidence", owner)
    for upload in accept_evidence(uploads):
        stored = new_id("ev") + Path(upload.name).suffix.lower()
        (folder / stored).write_bytes(upload.data)
        conn.execute(
            "INSERT INTO evidence (id, owner_kind, owner, name, stored, sha256, size) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (new_id("ev"), kind, owner, upload.name, stored, hashlib.sha256(upload.data).hexdigest(), len(upload.data)),
        )


def request_waiver(
    conn: sqlite3.Connection, workspace: Workspace, user: User, body: dict, uploads: list[Upload] = ()
) -> dict:
    """A 情况说明 asking that a finding be waived until `expires`; pending until an inspector decides."""
    audit = scope.fetch(conn, user, "audit", str(body.get("audit", "")))
    scope.fetch(conn, user, "finding", str(body.get("finding", "")))
    finding = conn.execute(
        "SELECT * FROM findings WHERE audit = ? AND id = ?", (audit["id"], str(body.get("finding", "")))
    ).fetchone()
    if finding is None:
        raise NotFound
    reason = str(body.get("reason") or "").strip()
    if not reason:
        raise AccountabilityError("请写明情况说明", fix="说明这条问题为什么不应追责，附上证明材料")
    expires = _date(body.get("expires"), "有效期")
    if expires < dt.date.today().isoformat():
        raise AccountabilityError("有效期已过", fix="写一个今天以后的日期")
    waiver_id = new_id("wv")
    conn.execute(
        "INSERT INTO waivers (id, finding, audit, unit, reason, expires, status, requested_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        (waiver_id, finding["id"], audit["id"], finding["unit"], reason, expires, user.id, now()),
    )
    _evidence(conn, workspace, "waiver", waiver_id, list(uploads))
    return {"id": waiver_id, "status": "pending"}


def decide(conn: sqlite3.Connection, user: User, kind: str, object_id: str, approve: bool) -> dict:
    """An inspector approves or rejects a pending waiver or rectification; never one they asked for themselves."""
    row = scope.fetch(conn, user, kind, object_id)
    asker = row["requested_by"] if kind == "waiver" else row["submitted_by"]
    if user.role != "inspector" or asker == user.id:
        raise Forbidden("只能由提出人以外的检查人员审批")
    pending = "pending" if kind == "waiver" else "submitted"
    if row["status"] != pending:
        raise AccountabilityError("这一项已经审批过了")
    status = ("approved" if approve else "rejected") if kind == "waiver" else ("accepted" if approve else "rejected")
    table = "waivers" if kind == "waiver" else "rectifications"
    conn.execute(
        f"UPDATE {table} SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        (status, user.id, now(), row["id"]),
    )
    return {"id": row["id"], "status": status}


def submit_rectification(
    conn: sqlite3.Connection, workspace: Workspace, user: User, finding_id: str, note: str, uploads: list[Upload]
) -> dict:
    """A unit's 整改 of a finding of its own: what was done, with photos or scans, for an inspector to accept."""
    finding = scope.fetch(conn, user, "finding", finding_id)
    if user.role != "unit":
        raise Forbidden("整改情况由被检查单位提交")
    if not note.strip():
        raise AccountabilityError("请写明整改情况")
    rect_id = new_id("rc")
    conn.execute(
        "INSERT INTO rectifications (id, finding, audit, unit, note, status, submitted_by, submitted_at) "
        "VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?)",
        (rect_id, finding["id"], finding["audit"], finding["unit"], note.strip(), user.id, now()),
    )
    _evidence(conn, workspace, "rectification", rect_id, uploads)
    return {"id": rect_id, "status": "submitted"}


def pending(conn: sqlite3.Connection, user: User) -> dict:
    """Waivers and rectifications awaiting a decision, as far as the user may see them."""
    out: dict[str, list] = {"waivers": [], "rectifications": []}
    for kind, table, state in (("waiver", "waivers", "pending"), ("rectification", "rectifications", "submitted")):
        for row in conn.execute(f"SELECT id FROM {table} WHERE status = ? ORDER BY rowid", (state,)).fetchall():
            try:
                item = dict(scope.fetch(conn, user, kind, row["id"]))
            except NotFound:
                continue
            finding = conn.execute(
                "SELECT data FROM findings WHERE audit = ? AND id = ?", (item["audit"], item["finding"])
            ).fetchone()
            item["about"] = json.loads(finding["data"]) if finding else {}
            out[f"{kind}s"].append(_with_evidence(conn, kind, item))
    return out


def evidence_file(conn: sqlite3.Connection, workspace: Workspace, user: User, evidence_id: str) -> tuple[Path, str]:
    row = conn.execute("SELECT * FROM evidence WHERE id = ?", (evidence_id,)).fetchone()
    if row is None:
        raise NotFound
    scope.fetch(conn, user, row["owner_kind"], row["owner"])
    return workspace.root / "evidence" / row["owner"] / row["stored"], row["name"]


def output_file(conn: sqlite3.Connection, workspace: Workspace, user: User, audit_id: str, name: str) -> Path:
    """An output of a finished audit: any for an inspector; for a unit user findings.csv, report.xlsx and
    report.html, rendered for its scope."""
    audit = scope.fetch(conn, user, "audit", audit_id)
    out = workspace.root / "audits" / audit_id / "out"
    if audit["status"] != "done":
        raise NotFound
    if user.role == "inspector":
        path = (out / name).resolve()
        if not path.is_relative_to(out.resolve()):
            raise NotFound
        if not path.is_file() and path.parent.parent == (out / LETTERS_DIR).resolve():
            county_letters(conn, audit, out, path.parent.name)  # a province's letters, drawn on demand
        if not path.is_file():
            raise NotFound
        return path
    if name not in UNIT_FILES:
        raise NotFound
    folder = workspace.root / "audits" / audit_id / "scoped" / str(user.unit)
    if not (folder / name).is_file():
        doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        units = scope.units_in_scope(conn, user, audit["ledger_set"]) or set()
        own = conn.execute(
            "SELECT name FROM units WHERE ledger_set = ? AND id = ?", (audit["ledger_set"], user.unit)
        ).fetchone()
        doc = scoped_document(doc, units, {"id": user.unit, "name": own["name"] if own else str(user.unit)})
        write_outputs(doc, audit_referrals(conn, user, audit_id), folder, SCOPED_FORMATS)
    return folder / name


def audit_counties(workspace: Workspace, audit_id: str) -> list[dict]:
    """The counties of a finished audit when it holds two or more (their letters are drawn on demand); else []."""
    doc = workspace.root / "audits" / audit_id / "out" / "findings.json"
    found = counties(json.loads(doc.read_text(encoding="utf-8"))) if doc.is_file() else []
    return found if len(found) > 1 else []


def county_letters(conn: sqlite3.Connection, audit: sqlite3.Row, out: Path, county: str) -> None:
    """Write one county's letters into out/letters/<county name>/, as `accountability letters` does."""
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    try:
        chosen, pages = unit_letters(doc, referrals, county)
    except AccountabilityError as exc:
        raise NotFound from exc
    folder = out / LETTERS_DIR / safe_name(str(chosen["name"]))
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")


def scoped_document(doc: dict, units: set[str], scope: dict | None = None) -> dict:
    """findings.json cut to a unit's scope: its findings, progress, resolved findings and compliance rows (the
    totals counted again), no data errors of other units; `scope` ({id, name}) names the unit in the report."""
    kept = dict(doc)
    for key in ("findings", "progress", "resolved"):
        kept[key] = [item for item in doc.get(key) or [] if item.get("unit") in units]
    compliance = dict(doc.get("compliance") or {})
    if compliance.get("rows") is not None:
        rows = [row for row in compliance["rows"] if row.get("unit") in units]
        compliance["rows"] = rows
        compliance["total"] = {k: sum(row.get(k, 0) for row in rows) for k in ("judged", "failed")}
    kept["compliance"] = compliance
    kept["data_errors"] = []
    kept["audit"] = {**doc["audit"], "scope": scope, "doubtful": sum(1 for f in kept["findings"] if f.get("doubtful"))}
    return kept

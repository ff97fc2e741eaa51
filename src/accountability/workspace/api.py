"""The JSON API, row by row of INTERFACE.md ("Web workspace"). The pages use the same service functions; a script
can drive the whole workflow with these endpoints."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, request, send_file
from flask import Response as FlaskResponse

from accountability import __version__
from accountability.errors import AccountabilityError
from accountability.workspace import accounts, audit_log, ledger_sets, service
from accountability.workspace.context import COOKIE, client_ip, conn, current_user, error
from accountability.workspace.scope import Forbidden, NotFound
from accountability.workspace.uploads import Upload

api = Blueprint("api", __name__, url_prefix="/api")


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise AccountabilityError("请求内容应为 JSON 对象")
    return body


def _role(*roles: str) -> accounts.User:
    """The user, if of one of these roles; an admin asking for audit data gets 404 (it sees none)."""
    user = current_user()
    if user.role not in roles:
        if user.role == "admin" or "admin" in roles:
            raise NotFound
        raise Forbidden("没有权限进行这项操作")
    return user


def _log(action: str, object_type: str | None = None, object_id: str | None = None, detail: str | None = None) -> None:
    audit_log.record(conn(), action, g.get("user"), client_ip(), "ok", object_type, object_id, detail)


def uploads(field: str = "files") -> list[Upload]:
    """The files of a form field; a file input left empty sends a nameless part, which is no file."""
    return [Upload(f.filename, f.read()) for f in request.files.getlist(field) if f.filename]


def start_session(user: accounts.User, response: FlaskResponse) -> str:
    """A new session for the user, its cookie set on `response`; returns its CSRF token."""
    token, csrf = accounts.open_session(conn(), user)
    secure = current_app.config["SECURE_COOKIE"]
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=secure, path="/")
    return csrf


def login(username: str, password: str) -> accounts.User | None:
    """Check a login, logging it either way (throttled ones too)."""
    try:
        user = accounts.authenticate(conn(), username, password)
    except accounts.Throttled:
        audit_log.record(conn(), "login", None, client_ip(), "throttled", actor=username)
        raise
    audit_log.record(conn(), "login", user, client_ip(), "ok" if user else "failed", actor=username)
    return user


@api.get("/health")
def health() -> Response:
    return jsonify({"ok": True, "version": __version__})


@api.post("/login")
def api_login() -> Response:
    body = _body()
    user = login(str(body.get("username", "")), str(body.get("password", "")))
    if user is None:
        return error(401, "用户名或密码不正确", "bad_credentials")
    response = jsonify({})
    csrf = start_session(user, response)
    response.set_data(json.dumps({"csrf": csrf, "user": user.public()}, ensure_ascii=False))
    return response


@api.post("/logout")
def api_logout() -> Response:
    user = current_user()
    accounts.close_session(conn(), request.cookies.get(COOKIE))
    audit_log.record(conn(), "logout", user, client_ip())
    response = Response(status=204)
    response.delete_cookie(COOKIE, path="/")
    return response


@api.get("/users")
def list_users() -> Response:
    _role("admin")
    return jsonify({"users": [u.public() for u in accounts.list_users(conn())]})


@api.post("/users")
def add_user() -> tuple[Response, int]:
    _role("admin")
    body = _body()
    user = accounts.add_user(
        conn(), str(body.get("username", "")), str(body.get("password", "")), str(body.get("role", "")),
        body.get("unit") or None,
    )  # fmt: skip
    _log("user_added", "user", user.username, user.role)
    return jsonify(user.public()), 201


@api.post("/ledger-sets")
def upload() -> tuple[Response, int]:
    user = _role("inspector", "unit")
    made = ledger_sets.create(conn(), g.workspace, user, request.form.get("name", "").strip(), uploads())
    _log("upload", "ledger_set", made["id"], json.dumps(made["stored"], ensure_ascii=False))
    made.pop("stored")
    return jsonify(made), 201


@api.get("/ledger-sets")
def list_ledger_sets() -> Response:
    user = current_user()
    return jsonify({"ledger_sets": ledger_sets.listing(conn(), user)})


@api.post("/audits")
def start_audit() -> tuple[Response, int]:
    user = _role("inspector", "unit")
    audit_id = service.queue_audit(conn(), user, _body())
    _log("audit_queued", "audit", audit_id)
    worker = current_app.config["WORKER"]
    if worker is not None:
        worker.wake()
    return jsonify({"id": audit_id}), 202


@api.get("/audits/<audit_id>")
def audit(audit_id: str) -> Response:
    return jsonify(service.audit_status(conn(), _role("inspector", "unit"), audit_id))


@api.get("/audits/<audit_id>/findings")
def findings(audit_id: str) -> Response:
    user = _role("inspector", "unit")
    return jsonify({"findings": service.findings(conn(), user, audit_id, request.args.to_dict())})


@api.get("/findings/<finding_id>")
def finding(finding_id: str) -> Response:
    return jsonify(service.finding_detail(conn(), _role("inspector", "unit"), finding_id))


@api.get("/audits/<audit_id>/referrals")
def referrals(audit_id: str) -> Response:
    return jsonify({"referrals": service.audit_referrals(conn(), _role("inspector", "unit"), audit_id)})


def download(path: Path, name: str, object_type: str, object_id: str) -> Response:
    """A file as an attachment under its Chinese name (RFC 5987), logged."""
    _log("download", object_type, object_id, name)
    response = send_file(path, as_attachment=True, download_name=Path(name).name)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response


@api.get("/audits/<audit_id>/files/<path:name>")
def output(audit_id: str, name: str) -> Response:
    user = _role("inspector", "unit")
    return download(service.output_file(conn(), g.workspace, user, audit_id, name), name, "audit", audit_id)


@api.get("/evidence/<evidence_id>")
def evidence(evidence_id: str) -> Response:
    user = _role("inspector", "unit")
    path, name = service.evidence_file(conn(), g.workspace, user, evidence_id)
    return download(path, name, "evidence", evidence_id)


@api.post("/waivers")
def waiver() -> tuple[Response, int]:
    user = _role("inspector", "unit")
    body = request.form.to_dict() if request.files or request.form else _body()
    made = service.request_waiver(conn(), g.workspace, user, body, uploads())
    _log("waiver_requested", "waiver", made["id"])
    return jsonify(made), 201


@api.post("/waivers/<waiver_id>/<decision>")
def decide_waiver(waiver_id: str, decision: str) -> Response:
    return _decide("waiver", waiver_id, decision)


@api.post("/rectifications/<rect_id>/<decision>")
def decide_rectification(rect_id: str, decision: str) -> Response:
    return _decide("rectification", rect_id, decision)


def _decide(kind: str, object_id: str, decision: str) -> Response:
    user = _role("inspector", "unit")
    if decision not in ("approve", "reject", "accept"):
        raise NotFound
    approve = decision in ("approve", "accept")
    made = service.decide(conn(), user, kind, object_id, approve)
    _log(f"{kind}_{made['status']}", kind, object_id)
    return jsonify(made)


@api.post("/findings/<finding_id>/rectification")
def rectification(finding_id: str) -> tuple[Response, int]:
    user = _role("inspector", "unit")
    made = service.submit_rectification(conn(), g.workspace, user, finding_id, request.form.get("note", ""), uploads())
    _log("rectification_submitted", "rectification", made["id"])
    return jsonify(made), 201


@api.get("/log")
def log() -> Response:
    _role("admin")
    return jsonify({"log": audit_log.entries(conn())})

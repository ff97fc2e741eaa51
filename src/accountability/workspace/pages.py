"""The pages, in Chinese, working as plain forms without JavaScript (a small script only adds drag and drop and
a live progress bar). Each form posts to a page route that calls the same service function as the JSON API and
then redirects, so a reload never repeats an action."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for

from accountability.errors import AccountabilityError
from accountability.workspace import accounts, audit_log, ledger_sets, service
from accountability.workspace.api import login, start_session, uploads
from accountability.workspace.context import COOKIE, client_ip, conn, current_user
from accountability.workspace.scope import NotFound

pages = Blueprint("pages", __name__)
SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低"}
DISPOSITION_LABELS = {
    "reminder": "提醒",
    "interview": "约谈",
    "notice": "通报批评",
    "discipline": "移交纪检监察机关",
    "judicial": "移送司法机关",
}
STATUS_LABELS = {"queued": "排队中", "running": "检查中", "done": "已完成", "failed": "失败"}
DECISION_LABELS = {
    "pending": "待审批",
    "submitted": "待验收",
    "approved": "已核准",
    "accepted": "已验收",
    "rejected": "未通过",
}
OUTPUTS = ("report.html", "report.xlsx", "findings.csv", "findings.json", "referrals.json", "letters/all.html")


def page(template: str, **context) -> str:
    return render_template(
        template,
        user=g.get("user"),
        csrf=g.get("csrf"),
        severity_labels=SEVERITY_LABELS,
        disposition_labels=DISPOSITION_LABELS,
        status_labels=STATUS_LABELS,
        decision_labels=DECISION_LABELS,
        ledger_titles=service.ledger_titles(),
        plan_titles=dict(service.plans()),
        **context,
    )


def _log(action: str, object_type: str | None = None, object_id: str | None = None) -> None:
    audit_log.record(conn(), action, g.get("user"), client_ip(), "ok", object_type, object_id)


@pages.get("/login")
def login_page() -> str:
    return page("login.html", failed=False)


@pages.post("/login")
def login_submit() -> Response | tuple[str, int]:
    try:
        user = login(request.form.get("username", ""), request.form.get("password", ""))
    except accounts.Throttled as exc:
        return page(
            "login.html", failed=True, message=f"登录失败次数过多，请 {exc.retry_after // 60 + 1} 分钟后再试"
        ), 429
    if user is None:
        return page("login.html", failed=True, message="用户名或密码不正确"), 401
    response = redirect(url_for("pages.home"))
    start_session(user, response)
    return response


@pages.post("/logout")
def logout() -> Response:
    user = current_user()
    accounts.close_session(conn(), request.cookies.get(COOKIE))
    audit_log.record(conn(), "logout", user, client_ip())
    response = redirect(url_for("pages.login_page"))
    response.delete_cookie(COOKIE, path="/")
    return response


def _trend(audits: list[dict]) -> list[dict]:
    """Findings per month of the audits' as_of (the latest audit of each month), for the home page's chart."""
    latest: dict[str, dict] = {}
    for audit in sorted((a for a in audits if a["status"] == "done"), key=lambda a: (a["as_of"], a["created_at"])):
        latest[audit["as_of"][:7]] = audit
    months = sorted(latest)[-12:]
    top = max((latest[m]["summary"]["findings"] for m in months), default=0) or 1
    return [
        {
            "month": m,
            "count": latest[m]["summary"]["findings"],
            "height": round(100 * latest[m]["summary"]["findings"] / top),
        }
        for m in months
    ]


@pages.get("/")
def home() -> Response | str:
    user = current_user()
    if user.role == "admin":
        return redirect(url_for("pages.users_page"))
    audits = service.audits(conn(), user)
    latest = next((a for a in audits if a["status"] == "done"), None)
    found = service.findings(conn(), user, latest["id"], {}) if latest else []
    by_unit = Counter(f["unit_name"] for f in found).most_common(15)
    open_findings = [f for f in found if not f.get("waived")] if user.role == "unit" else []
    return page(
        "home.html",
        audits=audits[:10],
        latest=latest,
        by_unit=by_unit,
        trend=_trend(audits),
        open_findings=open_findings,
    )


@pages.get("/upload")
def upload_page() -> str:
    current_user()
    return page("upload.html", result=None, sets=ledger_sets.listing(conn(), current_user())[:10])


@pages.post("/upload")
def upload_submit() -> str | tuple[str, int]:
    user = current_user()
    if user.role not in ("inspector", "unit"):
        raise NotFound
    try:
        made = ledger_sets.create(conn(), g.workspace, user, request.form.get("name", "").strip(), uploads())
    except AccountabilityError as exc:
        return page("upload.html", result=None, error=str(exc), sets=ledger_sets.listing(conn(), user)[:10]), 400
    _log("upload", "ledger_set", made["id"])
    return page("upload.html", result=made, sets=ledger_sets.listing(conn(), user)[:10])


@pages.get("/audits/new")
def new_audit() -> str:
    user = current_user()
    sets = ledger_sets.listing(conn(), user)
    chosen = request.args.get("ledger_set") or (sets[0]["id"] if sets else "")
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    return page("new_audit.html", sets=sets, chosen=chosen, packs=service.plans(), error=None, month=last_month)


@pages.post("/audits")
def start_audit() -> Response | tuple[str, int]:
    user = current_user()
    form = request.form
    body: dict = {"ledger_set": form.get("ledger_set", ""), "packs": form.getlist("packs")}
    try:
        if form.get("kind", "month") == "month":
            body["month"] = form.get("month", "")
        else:
            body["from"], body["as_of"] = form.get("from") or None, form.get("as_of", "")
        audit_id = service.queue_audit(conn(), user, body)
    except AccountabilityError as exc:
        sets = ledger_sets.listing(conn(), user)
        return page(
            "new_audit.html", sets=sets, chosen=body["ledger_set"], packs=service.plans(), error=str(exc),
            month=form.get("month", ""),
        ), 400  # fmt: skip
    _log("audit_queued", "audit", audit_id)
    if current_app.config["WORKER"] is not None:
        current_app.config["WORKER"].wake()
    return redirect(url_for("pages.audit_page", audit_id=audit_id))


@pages.get("/audits/<audit_id>")
def audit_page(audit_id: str) -> str:
    user = current_user()
    status = service.audit_status(conn(), user, audit_id)
    context: dict = {"audit": status, "filters": request.args.to_dict()}
    if status["status"] == "done":
        everything = service.findings(conn(), user, audit_id, {})
        context["choices"] = {
            "unit": sorted({(f["unit"], f["unit_name"]) for f in everything}, key=lambda u: u[1]),
            "rule": sorted({(f["rule"], f["title"]) for f in everything}),
        }
        filters = {k: v for k, v in request.args.items() if v}
        context["findings"] = service.findings(conn(), user, audit_id, filters) if filters else everything
        context["referrals"] = service.audit_referrals(conn(), user, audit_id)
        context["outputs"] = OUTPUTS if user.role == "inspector" else service.UNIT_FILES
        context["counties"] = service.audit_counties(g.workspace, audit_id) if user.role == "inspector" else []
    return page("audit.html", **context)


@pages.get("/findings/<finding_id>")
def finding_page(finding_id: str) -> str:
    user = current_user()
    finding = service.finding_detail(conn(), user, finding_id)
    return page("finding.html", finding=finding, today=dt.date.today().isoformat())


@pages.post("/findings/<finding_id>/waiver")
def waiver_submit(finding_id: str) -> Response:
    user = current_user()
    body = {"audit": request.form.get("audit", ""), "finding": finding_id, **request.form.to_dict()}
    made = service.request_waiver(conn(), g.workspace, user, body, uploads())
    _log("waiver_requested", "waiver", made["id"])
    return redirect(url_for("pages.finding_page", finding_id=finding_id))


@pages.post("/findings/<finding_id>/rectification")
def rectification_submit(finding_id: str) -> Response:
    user = current_user()
    made = service.submit_rectification(conn(), g.workspace, user, finding_id, request.form.get("note", ""), uploads())
    _log("rectification_submitted", "rectification", made["id"])
    return redirect(url_for("pages.finding_page", finding_id=finding_id))


@pages.get("/approvals")
def approvals() -> str:
    user = current_user()
    if user.role not in ("inspector", "unit"):
        raise NotFound
    return page("approvals.html", pending=service.pending(conn(), user))


@pages.post("/<kind>/<object_id>/<decision>")
def decide(kind: str, object_id: str, decision: str) -> Response:
    user = current_user()
    kinds = {"waivers": "waiver", "rectifications": "rectification"}
    if kind not in kinds or decision not in ("approve", "reject"):
        raise NotFound
    made = service.decide(conn(), user, kinds[kind], object_id, decision == "approve")
    _log(f"{kinds[kind]}_{made['status']}", kinds[kind], object_id)
    return redirect(request.form.get("back") or url_for("pages.approvals"))


@pages.get("/users")
def users_page() -> str:
    user = current_user()
    if user.role != "admin":
        raise NotFound
    return page("users.html", users=accounts.list_users(conn()), error=None)


@pages.post("/users")
def users_submit() -> Response | tuple[str, int]:
    user = current_user()
    if user.role != "admin":
        raise NotFound
    form = request.form
    try:
        made = accounts.add_user(
            conn(), form.get("username", ""), form.get("password", ""), form.get("role", ""), form.get("unit") or None
        )
    except AccountabilityError as exc:
        return page("users.html", users=accounts.list_users(conn()), error=str(exc)), 400
    _log("user_added", "user", made.username)
    return redirect(url_for("pages.users_page"))


@pages.get("/log")
def log_page() -> str:
    user = current_user()
    if user.role != "admin":
        raise NotFound
    return page("log.html", entries=audit_log.entries(conn()))

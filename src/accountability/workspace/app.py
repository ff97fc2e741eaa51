"""The workspace's Flask application: one database connection per request, the user from the session cookie, the
CSRF token checked on every state change, security headers on every answer, and every error as one Chinese
message (JSON under /api, a page elsewhere)."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, redirect, request, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from accountability.errors import AccountabilityError
from accountability.workspace import accounts
from accountability.workspace.api import api
from accountability.workspace.context import COOKIE, Unauthenticated, conn, error
from accountability.workspace.jobs import Worker
from accountability.workspace.pages import pages
from accountability.workspace.scope import Forbidden, NotFound
from accountability.workspace.store import Workspace
from accountability.workspace.uploads import MAX_REQUEST, Refused

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
LOGIN_PATHS = ("/api/login", "/login")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def create_app(workspace: Workspace, worker: Worker | None = None, secure_cookie: bool = False) -> Flask:
    """The application over `workspace` (created if new); `worker` runs the queued audits (None: they wait)."""
    workspace.create()
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=workspace.secret(),
        MAX_CONTENT_LENGTH=MAX_REQUEST,
        MAX_FORM_PARTS=2100,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
        WORKSPACE=workspace,
        WORKER=worker,
        SECURE_COOKIE=secure_cookie,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    @app.before_request
    def _session() -> Any:
        g.workspace = workspace
        found = accounts.session_user(conn(), request.cookies.get(COOKIE))
        g.user, g.csrf = found if found else (None, None)
        if request.method in SAFE_METHODS or request.path in LOGIN_PATHS:
            return None
        if g.user is None:
            return error(401)
        given = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")
        if not accounts.same_token(given, g.csrf):
            return error(403, "缺少或错误的安全令牌（CSRF），请刷新页面后重试", "csrf")
        return None

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if g.get("user") is not None or request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        if secure_cookie:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        connection = g.pop("conn", None)
        if connection is not None:
            connection.close()

    @app.errorhandler(Unauthenticated)
    def _unauthenticated(_exc: Exception):
        if request.path.startswith("/api/"):
            return error(401)
        return redirect(url_for("pages.login_page"))

    @app.errorhandler(NotFound)
    def _not_found(_exc: Exception):
        return error(404)

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Exception):
        return error(403, str(exc) or None)

    @app.errorhandler(Refused)
    def _refused(exc: Refused):
        return error(exc.status, str(exc), exc.code)

    @app.errorhandler(AccountabilityError)
    def _bad(exc: AccountabilityError):
        return error(400, str(exc), "invalid")

    @app.errorhandler(accounts.Throttled)
    def _throttled(exc: accounts.Throttled):
        response = error(429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_exc: Exception):
        return error(413)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return error(exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unexpected error", exc_info=exc)  # the traceback goes to the server's log only
        return error(500)

    app.register_blueprint(api)
    app.register_blueprint(pages)
    return app

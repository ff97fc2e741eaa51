"""What a request carries while it is served: its database connection, its user and CSRF token, and the one
way an error is answered (JSON under /api, a page elsewhere)."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Response, g, jsonify, make_response, render_template, request

from accountability.workspace.accounts import User
from accountability.workspace.uploads import MAX_REQUEST

COOKIE = "ws_session"  # the session cookie
MESSAGES = {
    400: ("请求有误", "bad_request"),
    401: ("请先登录", "unauthenticated"),
    403: ("没有权限进行这项操作", "forbidden"),
    404: ("找不到该对象", "not_found"),
    405: ("不支持这种请求", "method_not_allowed"),
    413: (f"上传的文件过大（一次不超过 {MAX_REQUEST // 1024 // 1024} MB）", "too_large"),
    429: ("登录失败次数过多，请稍后再试", "throttled"),
}


class Unauthenticated(Exception):
    """No live session."""


def conn() -> sqlite3.Connection:
    if "conn" not in g:
        g.conn = g.workspace.connect()
    return g.conn


def current_user() -> User:
    """The logged-in user; Unauthenticated (401, or the login page) without one."""
    if g.get("user") is None:
        raise Unauthenticated
    return g.user


def client_ip() -> str | None:
    return request.remote_addr


def error(status: int, message: str | None = None, code: str | None = None, **extra: Any) -> Response:
    """The answer to a request that cannot be served: `{"error", "code"}` under /api, the error page elsewhere."""
    default_message, default_code = MESSAGES.get(status, ("服务器内部错误", "server_error"))
    body = {"error": message or default_message, "code": code or default_code, **extra}
    if request.path.startswith("/api/"):
        response = jsonify(body)
    else:
        response = make_response(render_template("error.html", message=body["error"], user=g.get("user")))
    response.status_code = status
    return response

"""`accountability serve` and `accountability users add`: the web workspace from the command line. Flask and
cheroot are imported only when these run, so the audit command starts as fast as before."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import click

from accountability.errors import AccountabilityError, ExitCode

WORKSPACE = click.option(
    "--workspace",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("workspace"),
    show_default=True,
    help="工作区文件夹：数据库、上传的台账和检查结果都在这里（首次启动时创建）",
)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@click.command()
@WORKSPACE
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；局域网使用须同时给出证书")
@click.option("--port", default=8000, show_default=True, type=int, help="端口")
@click.option("--tls-cert", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="TLS 证书（PEM）")
@click.option("--tls-key", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="TLS 私钥（PEM）")
@click.option("--insecure-http", is_flag=True, help="在局域网上不加密地提供服务（不推荐）")
def serve(folder: Path, host: str, port: int, tls_cert: Path | None, tls_key: Path | None, insecure_http: bool) -> None:
    """启动网页工作台：在浏览器中上传台账、开始检查、查看问题和责任追究、审批情况说明和整改。"""
    from cheroot import wsgi
    from cheroot.ssl.builtin import BuiltinSSLAdapter

    from accountability.workspace.app import create_app
    from accountability.workspace.jobs import Worker
    from accountability.workspace.store import Workspace
    from accountability.workspace.uploads import MAX_REQUEST

    if bool(tls_cert) != bool(tls_key):
        _fail("--tls-cert 和 --tls-key 须一起给出")
    if not _loopback(host) and not tls_cert and not insecure_http:
        _fail(
            f"在 {host} 上提供服务须加密",
            "给出 --tls-cert 和 --tls-key；确需不加密时加 --insecure-http（同一局域网内的人能看到密码和数据）",
        )
    if insecure_http and not _loopback(host):
        click.echo("警告：未加密的 HTTP，局域网内的其他人可以看到密码和检查数据。", err=True)
    workspace = Workspace(folder.resolve())
    try:
        worker = Worker(workspace.create()).start()
    except AccountabilityError as exc:
        _fail(str(exc))
    app = create_app(workspace, worker, secure_cookie=bool(tls_cert))
    server = wsgi.Server((host, port), app, numthreads=8, max_request_body_size=MAX_REQUEST + 1024 * 1024)
    if tls_cert and tls_key:
        server.ssl_adapter = BuiltinSSLAdapter(str(tls_cert), str(tls_key))
    scheme = "https" if tls_cert else "http"
    click.echo(f"网页工作台已启动：{scheme}://{host}:{port}/  （工作区 {workspace.root}；按 Ctrl+C 停止）")
    try:
        server.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        worker.stop()


@click.group()
def users() -> None:
    """工作台用户。"""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "inspector", "unit"]), help="角色")
@click.option("--unit", help="单位编码（unit 角色必填）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码")
@WORKSPACE
def add_user(name: str, role: str, unit: str | None, password_stdin: bool, folder: Path) -> None:
    """新增工作台用户 NAME（密码至少 12 个字符，从终端输入）。"""
    from accountability.workspace import accounts, audit_log
    from accountability.workspace.store import Workspace

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    workspace = Workspace(folder.resolve()).create()
    conn = workspace.connect()
    try:
        user = accounts.add_user(conn, name, password, role, unit)
        audit_log.record(conn, "user_added", None, None, object_type="user", object_id=user.username, actor="命令行")
    except AccountabilityError as exc:
        _fail(str(exc))
    finally:
        conn.close()
    click.echo(f"已新增用户 {user.username}（{role}{'，单位 ' + unit if unit else ''}），工作区 {workspace.root}")


def _fail(message: str, fix: str | None = None) -> None:
    click.echo(f"错误：{message}" + (f"（{fix}）" if fix else ""), err=True)
    sys.exit(ExitCode.UNUSABLE)

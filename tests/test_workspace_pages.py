"""The workspace's pages in a real browser (Playwright driving Debian's Chromium) against the real server
(cheroot) and worker: an inspector logs in, uploads a ledger set, starts a month's audit, watches the progress bar,
filters the findings, approves a township's waiver and downloads the letters; the township sees only its own.
Every page is photographed at 1366×768 (kept in $WORKSPACE_SCREENSHOTS when set). Skipped without Chromium."""

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from workspace_site import EXAMPLE, PASSWORDS, make_workspace

from accountability.workspace.app import create_app
from accountability.workspace.jobs import Worker

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The workspace served by cheroot on a free loopback port, its worker running audits."""
    from cheroot import wsgi

    workspace = make_workspace(tmp_path_factory.mktemp("pages"))
    worker = Worker(workspace).start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    httpd = wsgi.Server(("127.0.0.1", port), create_app(workspace, worker), numthreads=4)
    thread = threading.Thread(target=httpd.safe_start, daemon=True)
    thread.start()
    while not httpd.ready:
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    httpd.stop()
    worker.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("WORKSPACE_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _login(page, server: str, name: str) -> None:
    page.goto(f"{server}/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORDS[name])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="首页")).to_be_visible()


def test_a_months_check_from_upload_to_letters(server, shots, browser, tmp_path):
    inspector = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    page = inspector.new_page()
    page.goto(server)
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.screenshot(path=shots / "01-login.png")
    _login(page, server, "jiwei")
    page.screenshot(path=shots / "02-home-empty.png")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="上传台账").click()
    page.get_by_label("台账名称").fill("洪江市2025年9月台账")
    page.get_by_label("台账文件").set_input_files(sorted(EXAMPLE.glob("*.xlsx")))
    page.get_by_role("button", name="上传").click()
    read = page.get_by_role("table", name="各文件读取结果")
    expect(read).to_contain_text("巡查台账.xlsx")
    expect(read).to_contain_text("巡查台账")
    expect(page.get_by_role("table", name="无法读取的格")).to_contain_text("2025-02-30")
    page.screenshot(path=shots / "03-upload.png", full_page=True)

    page.get_by_role("link", name="用这套台账开始检查").click()
    page.get_by_label("月份").fill("2025-09")
    page.screenshot(path=shots / "04-new-audit.png")
    page.get_by_role("button", name="开始检查").click()
    expect(page.get_by_role("progressbar", name="检查进度")).to_be_visible()
    page.screenshot(path=shots / "05-progress.png")
    findings = page.get_by_role("table", name="问题清单")
    expect(findings).to_be_visible(timeout=120_000)
    page.screenshot(path=shots / "06-audit.png")
    page.screenshot(path=shots / "06-audit-full.png", full_page=True)
    total = findings.locator("tbody tr").count()
    assert total > 0

    page.get_by_label("单位").select_option(label="铁山乡")
    page.get_by_role("button", name="筛选").click()
    rows = findings.locator("tbody tr")
    assert 0 < rows.count() < total
    for index in range(rows.count()):
        expect(rows.nth(index).locator("td").nth(1)).to_have_text("铁山乡")
    page.screenshot(path=shots / "07-filtered.png")
    audit_url = page.url.split("?")[0]

    township = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    mine = township.new_page()
    _login(mine, server, "tieshan")
    expect(mine.get_by_role("heading", name="本单位未解决的问题")).to_be_visible()
    units = mine.get_by_role("table", name="问题清单").locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert units and set(units) == {"铁山乡"}
    mine.screenshot(path=shots / "08-township-home.png", full_page=True)
    mine.goto(audit_url)
    assert set(mine.get_by_role("table", name="问题清单").locator("tbody tr td:nth-child(2)").all_inner_texts()) == {
        "铁山乡"
    }
    mine.get_by_role("table", name="问题清单").get_by_role("link").first.click()
    mine.get_by_role("textbox", name="情况说明").fill(
        "该周因暴雨封路无法进山，已向市巡查队报备，附报备记录。<script>alert(1)</script>"
    )
    mine.get_by_label("有效期至").fill("2030-12-31")
    mine.get_by_role("button", name="提交情况说明").click()
    expect(mine.get_by_text("待审批")).to_be_visible()
    assert "<script>alert(1)</script>" in mine.locator("main").inner_text()  # shown as text, never run
    mine.screenshot(path=shots / "09-finding.png", full_page=True)

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="待审批").click()
    waivers = page.get_by_role("table", name="待审批的情况说明")
    expect(waivers).to_contain_text("暴雨封路")
    page.screenshot(path=shots / "10-approvals.png")
    waivers.get_by_role("button", name="核准").click()
    expect(page.get_by_text("没有待审批的情况说明。")).to_be_visible()

    page.goto(audit_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="全部函件（可打印）").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "all.html" and "函" in saved.read_text(encoding="utf-8")
    inspector.close()
    township.close()


def test_the_pages_without_a_session_lead_to_the_login_and_refuse_a_forged_form(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{server}/upload")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    _login(page, server, "jiwei")
    answer = page.request.post(f"{server}/api/audits", data={"ledger_set": "x"})
    assert answer.status == 403 and answer.json()["code"] == "csrf"
    context.close()


def test_admin_pages_users_and_log(server, shots, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{server}/login")
    page.get_by_label("用户名").fill("admin1")
    page.get_by_label("密码").fill(PASSWORDS["admin1"])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="用户", exact=True)).to_be_visible()
    page.get_by_label("用户名").fill("shawan")
    page.get_by_label("密码").fill("sand-bay-township-2025")
    page.get_by_label("角色").select_option("unit")
    page.get_by_label("单位编码").fill("SW")
    page.get_by_role("button", name="新增用户").click()
    expect(page.get_by_role("table", name="用户")).to_contain_text("shawan")
    page.screenshot(path=shots / "11-users.png")
    page.get_by_role("link", name="操作日志").click()
    expect(page.get_by_role("table", name="操作日志")).to_contain_text("user_added")
    page.screenshot(path=shots / "12-log.png")
    context.close()

"""The workspace's JSON API through Flask's test client, row by row of INTERFACE.md ("Web workspace"), with every
refusal: 401 without a session, 403 without the CSRF token, 404 outside the scope, 413, 415, 429, 400 zip-slip."""

import io
import json
import stat
import time
import zipfile
from contextlib import closing
from datetime import UTC, date, datetime, timedelta

import pytest
from workspace_site import (
    EXAMPLE,
    PASSWORDS,
    build_site,
    example_files,
    login,
    make_workspace,
    run_queued,
    zipped,
)

from accountability.audit.service import AuditRequest, perform
from accountability.workspace import accounts, audit_log, jobs
from accountability.workspace.app import create_app
from accountability.workspace.store import Workspace

NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("workspace"))


def _findings(client, audit, **filters):
    answer = client.get(f"/api/audits/{audit}/findings", query_string=filters)
    assert answer.status_code == 200, answer.json
    return answer.json["findings"]


def test_health_needs_no_login_and_tells_no_secrets(site):
    answer = site.app.test_client().get("/api/health")
    assert answer.status_code == 200
    assert answer.json["ok"] is True and set(answer.json) == {"ok", "version"}


def test_login_answers_csrf_and_user_and_sets_a_strict_httponly_cookie(site):
    answer = site.app.test_client().post("/api/login", json={"username": "tieshan", "password": PASSWORDS["tieshan"]})
    assert answer.status_code == 200
    assert answer.json["user"] == {"username": "tieshan", "role": "unit", "unit": "TS"}
    assert len(answer.json["csrf"]) > 30
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie


def test_a_wrong_password_and_an_unknown_name_get_the_same_401(site):
    client = site.app.test_client()
    wrong = client.post("/api/login", json={"username": "jiwei2", "password": "not-the-password-at-all"})
    unknown = client.post("/api/login", json={"username": "nobody-at-all", "password": "not-the-password-at-all"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.data == unknown.data
    assert wrong.json == {"error": "用户名或密码不正确", "code": "bad_credentials"}


def test_the_sixth_failed_login_within_fifteen_minutes_is_throttled_and_a_good_one_waits(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    client = create_app(workspace).test_client()
    for _ in range(5):
        assert (
            client.post("/api/login", json={"username": "jiwei", "password": "wrong-password-123"}).status_code == 401
        )
    sixth = client.post("/api/login", json={"username": "jiwei", "password": PASSWORDS["jiwei"]})
    assert sixth.status_code == 429 and sixth.json["code"] == "throttled"
    assert 0 < int(sixth.headers["Retry-After"]) <= 15 * 60
    with closing(workspace.connect()) as conn:
        later = datetime.now(UTC) + timedelta(minutes=16)
        assert accounts.authenticate(conn, "jiwei", PASSWORDS["jiwei"], clock=later) is not None


def test_without_a_session_every_endpoint_answers_401(site):
    client = site.app.test_client()
    for method, path in [
        ("get", "/api/ledger-sets"),
        ("get", f"/api/audits/{site.audit}"),
        ("get", f"/api/audits/{site.audit}/findings"),
        ("get", f"/api/audits/{site.audit}/referrals"),
        ("get", f"/api/audits/{site.audit}/files/report.html"),
        ("get", "/api/users"),
        ("get", "/api/log"),
        ("post", "/api/audits"),
        ("post", "/api/waivers"),
        ("post", "/api/logout"),
    ]:
        answer = getattr(client, method)(path)
        assert answer.status_code == 401, path
        assert answer.json["code"] == "unauthenticated"


def test_every_state_change_without_the_csrf_token_is_403(site):
    client, _ = login(site.app, "jiwei")
    for path in ["/api/audits", "/api/waivers", "/api/ledger-sets", "/api/logout", "/api/waivers/wv_x/approve"]:
        answer = client.post(path, json={})
        assert answer.status_code == 403, path
        assert answer.json["code"] == "csrf"
        assert client.post(path, json={}, headers={"X-CSRF-Token": "forged"}).status_code == 403


def test_an_admin_adds_and_lists_users_and_sees_no_audit_data(site):
    client, csrf = login(site.app, "admin1")
    made = client.post(
        "/api/users",
        json={"username": "shawan", "password": "sand-bay-township-2025", "role": "unit", "unit": "SW"},
        headers=csrf,
    )
    assert made.status_code == 201 and made.json == {"username": "shawan", "role": "unit", "unit": "SW"}
    short = client.post("/api/users", json={"username": "x1", "password": "short", "role": "inspector"}, headers=csrf)
    assert short.status_code == 400 and "12" in short.json["error"]
    names = {u["username"] for u in client.get("/api/users").json["users"]}
    assert {"admin1", "jiwei", "tieshan", "shawan"} <= names
    assert client.get(f"/api/audits/{site.audit}").status_code == 404
    assert client.get(f"/api/audits/{site.audit}/findings").status_code == 404
    assert client.get("/api/ledger-sets").json == {"ledger_sets": []}


def test_users_and_the_log_are_for_admins_only(site):
    client, _ = login(site.app, "jiwei")
    assert client.get("/api/users").status_code == 404
    assert client.get("/api/log").status_code == 404


def test_upload_answers_what_each_file_was_read_as_and_the_rejected_rows(site):
    client, csrf = login(site.app, "jiwei")
    made = client.post("/api/ledger-sets", data={"name": "第二套", "files": example_files()}, headers=csrf)
    assert made.status_code == 201
    body = made.json
    by_file = {f["file"]: (f["ledger"], f["rows"]) for f in body["files"]}
    assert by_file["巡查台账.xlsx"] == ("patrols", 175)
    assert by_file["洪江市2025年单位名册.xlsx"][0] == "units"
    assert len(by_file) == 10
    assert body["data_error_count"] == 2 and body["rows_rejected"] == 2
    assert [(e["file"], e["row"], e["column"]) for e in body["data_errors"]] == [
        ("巡查台账.xlsx", 176, "巡查日期"),
        ("巡查台账.xlsx", 177, "巡查单位"),
    ]
    listed = client.get("/api/ledger-sets").json["ledger_sets"]
    assert body["id"] in {s["id"] for s in listed}


def test_a_zip_from_windows_explorer_keeps_its_chinese_names(site):
    client, csrf = login(site.app, "jiwei")
    entries = {f"台账/{p.name}": p.read_bytes() for p in EXAMPLE.glob("*.xlsx")}
    made = client.post(
        "/api/ledger-sets", data={"name": "压缩包", "files": [(io.BytesIO(zipped(entries, gbk=True)), "台账.zip")]},
        headers=csrf,
    )  # fmt: skip
    assert made.status_code == 201, made.json
    assert "巡查台账.xlsx" in {f["file"] for f in made.json["files"]}


@pytest.mark.parametrize(
    "entry",
    ["../../etc/passwd.xlsx", "/abs/巡查台账.xlsx", "C:/Windows/巡查台账.xlsx", "a/../../巡查台账.xlsx", "symlink"],
)
def test_a_zip_reaching_outside_the_upload_folder_is_refused_whole_with_400(site, entry):
    client, csrf = login(site.app, "jiwei")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("单位名册.csv", "单位编码,单位名称,层级\nHJ,洪江市,市\n")
        if entry == "symlink":
            link = zipfile.ZipInfo("巡查台账.xlsx")
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(link, "/etc/passwd")
        else:
            archive.writestr(entry, b"PK\x03\x04")
    before = {p for p in site.workspace.root.rglob("*")}
    answer = client.post(
        "/api/ledger-sets", data={"name": "坏包", "files": [(io.BytesIO(buffer.getvalue()), "x.zip")]}, headers=csrf
    )
    assert answer.status_code == 400 and answer.json["code"] == "zip_slip"
    assert {p for p in site.workspace.root.rglob("*")} - before == set()


def test_a_zip_bomb_is_refused(site):
    client, csrf = login(site.app, "jiwei")
    bomb = zipped({"巡查台账.csv": b"0" * 5_000_000})
    answer = client.post("/api/ledger-sets", data={"files": [(io.BytesIO(bomb), "x.zip")]}, headers=csrf)
    assert answer.status_code == 400 and answer.json["code"] == "zip_bomb"


def test_a_renamed_program_is_refused_with_415(site):
    client, csrf = login(site.app, "jiwei")
    answer = client.post(
        "/api/ledger-sets", data={"files": [(io.BytesIO(b"MZ\x90\x00"), "巡查台账.xlsx")]}, headers=csrf
    )
    assert answer.status_code == 415 and answer.json["code"] == "bad_type"
    exe = client.post("/api/ledger-sets", data={"files": [(io.BytesIO(b"MZ"), "setup.exe")]}, headers=csrf)
    assert exe.status_code == 415


def test_a_request_over_the_size_limit_is_413(site):
    client, csrf = login(site.app, "jiwei")
    site.app.config["MAX_CONTENT_LENGTH"] = 10_000
    try:
        answer = client.post(
            "/api/ledger-sets", data={"files": [(io.BytesIO(b"0" * 20_000), "巡查台账.csv")]}, headers=csrf
        )
    finally:
        site.app.config["MAX_CONTENT_LENGTH"] = 200 * 1024 * 1024
    assert answer.status_code == 413
    assert answer.json["code"] == "too_large" and "200 MB" in answer.json["error"]


def test_a_set_without_a_unit_register_is_refused_in_chinese_and_nothing_is_kept(site):
    client, csrf = login(site.app, "jiwei")
    patrols = (EXAMPLE / "巡查台账.xlsx").read_bytes()
    before = len(client.get("/api/ledger-sets").json["ledger_sets"])
    answer = client.post("/api/ledger-sets", data={"files": [(io.BytesIO(patrols), "巡查台账.xlsx")]}, headers=csrf)
    assert answer.status_code == 400 and "单位名册" in answer.json["error"]
    assert len(client.get("/api/ledger-sets").json["ledger_sets"]) == before


def test_an_audit_runs_as_a_job_and_reports_its_summary(site):
    client, _ = login(site.app, "jiwei")
    status = client.get(f"/api/audits/{site.audit}").json
    assert status["status"] == "done" and status["progress"] == 1
    assert status["summary"] == {
        "findings": 26,
        "by_severity": {"high": 7, "medium": 14, "low": 5},
        "doubtful": 1,
        "waived": 0,
        "referrals": 14,
        "by_disposition": {"discipline": 10, "notice": 1, "interview": 3},
    }


def test_the_job_writes_what_the_command_line_writes_for_the_same_input(site, tmp_path):
    out = site.workspace.root / "audits" / site.audit / "out"
    folder = site.workspace.root / "ledgers" / site.ledger_set / "台账"
    mine = perform(
        AuditRequest(
            ledgers=folder,
            packs=("hongjiang-2025",),
            as_of=date(2025, 9, 30),
            out=tmp_path / "cli",
            history=None,
            date_from=date(2025, 8, 1),
        )
    )
    job = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    cli = json.loads((mine.out / "findings.json").read_text(encoding="utf-8"))
    assert job["findings"] == cli["findings"]
    assert job["data_errors"] == cli["data_errors"] and job["manual"] == cli["manual"]
    assert (out / "referrals.json").read_text(encoding="utf-8") == (mine.out / "referrals.json").read_text(
        encoding="utf-8"
    )
    assert sorted(p.name for p in (out / "letters").iterdir()) == sorted(
        p.name for p in (mine.out / "letters").iterdir()
    )


def test_findings_filter_by_unit_rule_severity_and_doubtful(site):
    client, _ = login(site.app, "jiwei")
    every = _findings(client, site.audit)
    assert len(every) == 26 and all(f["id"].startswith("f_") and len(f["id"]) == 18 for f in every)
    assert len({f["id"] for f in every}) == 26
    assert {f["unit"] for f in _findings(client, site.audit, unit="TS")} == {"TS"}
    assert len(_findings(client, site.audit, unit="TS")) == 6
    assert len(_findings(client, site.audit, severity="high")) == 7
    assert {f["rule"] for f in _findings(client, site.audit, rule="HJ-PATROL-WEEKLY")} == {"HJ-PATROL-WEEKLY"}
    assert [f["doubtful"] for f in _findings(client, site.audit, doubtful="true")] == [True]
    assert len(_findings(client, site.audit, doubtful="false")) == 25


def test_a_unit_user_sees_its_unit_and_the_units_under_it_only(site):
    client, _ = login(site.app, "xuefeng")
    mine = _findings(client, site.audit)
    assert {f["unit"] for f in mine} == {"XF", "XF02", "XF03"} and len(mine) == 9
    assert client.get(f"/api/audits/{site.audit}/findings", query_string={"unit": "TS"}).status_code == 404
    # all of 雪峰镇's people are for the discipline office: nothing addressed to the township
    assert client.get(f"/api/audits/{site.audit}/referrals").json == {"referrals": []}
    township, _ = login(site.app, "tieshan")
    referred = township.get(f"/api/audits/{site.audit}/referrals").json["referrals"]
    assert [(r["person"], r["disposition"]) for r in referred] == [("P030", "notice")]
    assert township.get(f"/api/audits/{site.audit}").json["summary"]["findings"] == 6


def test_an_inspector_reads_every_referral(site):
    client, _ = login(site.app, "jiwei")
    referred = client.get(f"/api/audits/{site.audit}/referrals").json["referrals"]
    assert len(referred) == 14 and referred[0]["disposition"] == "discipline"


def test_a_unit_user_downloads_its_own_report_rendered_for_its_scope_and_nothing_else(site):
    client, _ = login(site.app, "tieshan")
    csv = client.get(f"/api/audits/{site.audit}/files/findings.csv")
    assert csv.status_code == 200
    assert "attachment" in csv.headers["Content-Disposition"] and csv.headers["X-Content-Type-Options"] == "nosniff"
    rows = csv.data.decode("utf-8-sig").splitlines()
    assert len(rows) == 7 and all(",TS," in row for row in rows[1:])
    html = client.get(f"/api/audits/{site.audit}/files/report.html")
    assert html.status_code == 200 and "铁山乡" in html.data.decode() and "雪峰镇" not in html.data.decode()
    assert client.get(f"/api/audits/{site.audit}/files/report.xlsx").status_code == 200
    for name in ("findings.json", "referrals.json", "letters/all.html", "letters/001-欧阳诚.html", "../secret.key"):
        assert client.get(f"/api/audits/{site.audit}/files/{name}").status_code == 404, name


def test_an_inspector_downloads_any_output_under_its_chinese_name(site):
    client, _ = login(site.app, "jiwei")
    letter = client.get(f"/api/audits/{site.audit}/files/letters/001-欧阳诚.html")
    assert letter.status_code == 200
    assert "filename*=UTF-8''001-%E6%AC%A7%E9%98%B3%E8%AF%9A.html" in letter.headers["Content-Disposition"]
    assert "sandbox" in letter.headers["Content-Security-Policy"]
    assert client.get(f"/api/audits/{site.audit}/files/letters/all.html").status_code == 200
    assert client.get(f"/api/audits/{site.audit}/files/../../secret.key").status_code == 404


def test_outside_its_scope_every_endpoint_answers_a_unit_user_404_like_a_missing_id(site, tmp_path):
    inspector, csrf = login(site.app, "jiwei")
    ts_finding = _findings(inspector, site.audit, unit="TS")[0]["id"]
    body = {"audit": site.audit, "finding": ts_finding, "reason": "检查人员代录", "expires": NEXT_YEAR}
    waiver = inspector.post("/api/waivers", json=body, headers=csrf).json["id"]
    township, township_csrf = login(site.app, "tieshan")
    rect = township.post(
        f"/api/findings/{ts_finding}/rectification", data={"note": "已补巡查"}, headers=township_csrf
    ).json["id"]
    client, own_csrf = login(site.app, "xuefeng")
    missing = client.get("/api/findings/f_0000000000000000")
    assert missing.status_code == 404
    probes = [
        ("get", f"/api/findings/{ts_finding}", None),
        ("get", f"/api/audits/{site.audit}/findings?unit=TS", None),
        ("post", "/api/waivers", {"audit": site.audit, "finding": ts_finding, "reason": "x", "expires": NEXT_YEAR}),
        ("post", f"/api/findings/{ts_finding}/rectification", None),
        ("post", f"/api/waivers/{waiver}/approve", None),
        ("post", f"/api/waivers/{waiver}/reject", None),
        ("post", f"/api/rectifications/{rect}/accept", None),
        ("post", f"/api/rectifications/{rect}/reject", None),
        ("post", "/api/audits", {"ledger_set": site.ledger_set, "packs": ["hongjiang-2025"], "as_of": "2025-09-30"}),
    ]
    for method, path, body in probes:
        kwargs = {"headers": own_csrf, **({"json": body} if body else {"data": {"note": "x"}})}
        answer = client.get(path) if method == "get" else client.post(path, **kwargs)
        assert answer.status_code == 404, path
        assert answer.data == missing.data, path
    other = township.get(f"/api/ledger-sets/{site.ledger_set}")
    assert other.status_code in (404, 405)
    assert client.get("/api/ledger-sets").json == {"ledger_sets": []}


def test_an_approved_waiver_keeps_its_finding_out_of_referrals_in_later_audits_until_it_expires(tmp_path):
    site = build_site(tmp_path / "ws")
    township, township_csrf = login(site.app, "tieshan")
    notice = next(f for f in _findings(township, site.audit) if "P030" in f["responsible"])
    others = [f for f in _findings(township, site.audit) if "P030" in f["responsible"] and f["id"] != notice["id"]]
    asked = township.post(
        "/api/waivers", json={"audit": site.audit, "finding": notice["id"], "reason": "该周因暴雨封路，已报备",
                              "expires": NEXT_YEAR}, headers=township_csrf,
    )  # fmt: skip
    assert asked.status_code == 201 and asked.json["status"] == "pending"
    waiver = asked.json["id"]
    assert township.post(f"/api/waivers/{waiver}/approve", headers=township_csrf).status_code == 403
    inspector, csrf = login(site.app, "jiwei")
    assert inspector.post(f"/api/waivers/{waiver}/approve", headers=csrf).json == {"id": waiver, "status": "approved"}
    again = inspector.post(
        "/api/audits",
        json={"ledger_set": site.ledger_set, "packs": ["hongjiang-2025"], "from": "2025-08-01", "as_of": "2025-09-30"},
        headers=csrf,
    ).json["id"]
    run_queued(site.workspace)
    later = {f["id"]: f for f in _findings(inspector, again)}
    assert later[notice["id"]]["waived"] == {"id": waiver, "approver": "jiwei", "expires": NEXT_YEAR}
    assert sum(1 for f in later.values() if f["waived"]) == 1
    referred = {r["person"]: r for r in inspector.get(f"/api/audits/{again}/referrals").json["referrals"]}
    kept = {(f["rule"], f["record"], f["period"]) for f in referred.get("P030", {}).get("findings", [])}
    assert (notice["rule"], notice["record"], notice["period"]) not in kept
    assert len(kept) == len(others)
    detail = inspector.get(f"/api/findings/{notice['id']}").json
    assert [w["status"] for w in detail["waivers"]] == ["approved"] and detail["waivers"][0]["expired"] is False
    html = inspector.get(f"/api/audits/{again}/files/report.html").data.decode()
    assert "情况说明已核准" in html and NEXT_YEAR in html
    # an audit whose as_of falls after the expiry: the waiver covers nothing
    with closing(site.workspace.connect()) as conn:
        assert jobs.waivers_in_force(conn, (date.fromisoformat(NEXT_YEAR) + timedelta(days=1)).isoformat()) == []


def test_the_asker_cannot_approve_their_own_waiver(site):
    client, csrf = login(site.app, "jiwei2")
    finding = _findings(client, site.audit)[0]["id"]
    waiver = client.post(
        "/api/waivers", json={"audit": site.audit, "finding": finding, "reason": "自查说明", "expires": NEXT_YEAR},
        headers=csrf,
    ).json["id"]  # fmt: skip
    assert client.post(f"/api/waivers/{waiver}/approve", headers=csrf).status_code == 403
    other, other_csrf = login(site.app, "jiwei")
    assert other.post(f"/api/waivers/{waiver}/reject", headers=other_csrf).json["status"] == "rejected"
    assert other.post(f"/api/waivers/{waiver}/approve", headers=other_csrf).status_code == 400


def test_a_waiver_needs_a_reason_and_a_future_expiry(site):
    client, csrf = login(site.app, "tieshan")
    finding = _findings(client, site.audit)[0]["id"]
    for body in ({"reason": "", "expires": NEXT_YEAR}, {"reason": "说明", "expires": "2020-01-01"}, {"reason": "说明"}):
        answer = client.post("/api/waivers", json={"audit": site.audit, "finding": finding, **body}, headers=csrf)
        assert answer.status_code == 400, body


def test_a_rectification_with_evidence_is_accepted_and_shows_in_the_findings_history(site):
    township, township_csrf = login(site.app, "tieshan")
    finding = _findings(township, site.audit)[1]["id"]
    photo = b"\xff\xd8\xff\xe0" + b"0" * 100
    made = township.post(
        f"/api/findings/{finding}/rectification",
        data={"note": "已补齐巡查记录并签字", "files": [(io.BytesIO(photo), "现场照片.jpg")]},
        headers=township_csrf,
    )
    assert made.status_code == 201 and made.json["status"] == "submitted"
    inspector, csrf = login(site.app, "jiwei")
    accepted = inspector.post(f"/api/rectifications/{made.json['id']}/accept", headers=csrf)
    assert accepted.json == {"id": made.json["id"], "status": "accepted"}
    detail = township.get(f"/api/findings/{finding}").json
    rect = next(r for r in detail["rectifications"] if r["id"] == made.json["id"])
    assert (rect["status"], rect["by_name"], rect["decided_name"], rect["note"]) == (
        "accepted", "tieshan", "jiwei", "已补齐巡查记录并签字",
    )  # fmt: skip
    assert [f["name"] for f in rect["files"]] == ["现场照片.jpg"]
    download = township.get(f"/api/evidence/{rect['files'][0]['id']}")
    assert download.status_code == 200 and download.data == photo
    assert [h["as_of"] for h in detail["history"]] == ["2025-09-30"]


def test_only_a_unit_submits_a_rectification_and_evidence_is_checked_by_content(site):
    inspector, csrf = login(site.app, "jiwei")
    finding = _findings(inspector, site.audit)[0]["id"]
    assert inspector.post(f"/api/findings/{finding}/rectification", data={"note": "x"}, headers=csrf).status_code == 403
    township, township_csrf = login(site.app, "tieshan")
    ts = _findings(township, site.audit)[0]["id"]
    fake = township.post(
        f"/api/findings/{ts}/rectification",
        data={"note": "x", "files": [(io.BytesIO(b"MZ"), "照片.jpg")]},
        headers=township_csrf,
    )
    assert fake.status_code == 415


def test_a_failed_audit_shows_its_error_in_chinese(site):
    client, csrf = login(site.app, "jiwei")
    with closing(site.workspace.connect()) as conn:
        conn.execute("UPDATE ledger_sets SET folder = ? WHERE id = ?", ("/nonexistent", site.ledger_set))
        queued = client.post(
            "/api/audits", json={"ledger_set": site.ledger_set, "packs": ["hongjiang-2025"], "as_of": "2025-09-30"},
            headers=csrf,
        ).json["id"]  # fmt: skip
        run_queued(site.workspace)
        folder = str(site.workspace.root / "ledgers" / site.ledger_set)
        conn.execute("UPDATE ledger_sets SET folder = ? WHERE id = ?", (folder, site.ledger_set))
    status = client.get(f"/api/audits/{queued}").json
    assert status["status"] == "failed" and "找不到" in status["error"]


def test_bad_audit_requests_are_told_in_chinese(site):
    client, csrf = login(site.app, "jiwei")
    for body in (
        {"ledger_set": site.ledger_set, "packs": [], "as_of": "2025-09-30"},
        {"ledger_set": site.ledger_set, "packs": ["no-such-plan"], "as_of": "2025-09-30"},
        {"ledger_set": site.ledger_set, "packs": ["hongjiang-2025"], "as_of": "九月"},
        {"ledger_set": site.ledger_set, "packs": ["hongjiang-2025"], "month": "2025-13"},
    ):
        answer = client.post("/api/audits", json=body, headers=csrf)
        assert answer.status_code == 400 and answer.json["code"] == "invalid", body
    assert (
        client.post(
            "/api/audits", json={"ledger_set": "ls_none", "packs": ["hongjiang-2025"]}, headers=csrf
        ).status_code
        == 404
    )


def test_a_job_left_running_by_a_restart_becomes_failed(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    with closing(workspace.connect()) as conn:
        conn.execute(
            "INSERT INTO ledger_sets (id, name, owner, folder, top_unit, summary, created_at) "
            "VALUES ('ls_1', 'x', 2, '/x', 'HJ', '{}', '2025-01-01')"
        )
        conn.execute(
            "INSERT INTO audits (id, ledger_set, requested_by, packs, as_of, settings, status, created_at) "
            "VALUES ('au_1', 'ls_1', 2, '[]', '2025-09-30', '{}', 'running', '2025-01-01')"
        )
        assert jobs.recover(conn) == 1
        row = conn.execute("SELECT status, error FROM audits WHERE id = 'au_1'").fetchone()
    assert row["status"] == "failed" and "重启" in row["error"]


def test_the_worker_runs_a_queued_audit_in_its_own_process(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    worker = jobs.Worker(workspace).start()
    try:
        app = create_app(workspace, worker)
        client, csrf = login(app, "jiwei")
        made = client.post("/api/ledger-sets", data={"files": example_files()}, headers=csrf).json
        queued = client.post(
            "/api/audits",
            json={"ledger_set": made["id"], "packs": ["hongjiang-2025"], "month": "2025-09"},
            headers=csrf,
        )
        assert queued.status_code == 202
        seen = set()
        for _ in range(240):
            status = client.get(f"/api/audits/{queued.json['id']}").json
            seen.add(status["status"])
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.25)
    finally:
        worker.stop()
    assert status["status"] == "done", status
    assert status["month"] == "2025-09" and status["from"] == "2025-09-01" and status["as_of"] == "2025-09-30"


def test_every_login_upload_audit_approval_and_download_is_in_the_append_only_log(site):
    client, _ = login(site.app, "admin1")
    actions = {e["action"] for e in client.get("/api/log").json["log"]}
    assert {"login", "upload", "audit_queued", "audit_finished", "download"} <= actions
    with closing(site.workspace.connect()) as conn:
        assert audit_log.verify(conn)
        with pytest.raises(Exception, match="append-only"):
            conn.execute("UPDATE log SET actor = 'someone else'")
        with pytest.raises(Exception, match="append-only"):
            conn.execute("DELETE FROM log")
    failed = [e for e in client.get("/api/log").json["log"] if e["outcome"] == "failed"]
    assert all("password" not in json.dumps(e) and "not-the-password" not in json.dumps(e) for e in failed)


def test_security_headers_on_every_answer(site):
    client, _ = login(site.app, "jiwei")
    for path in ("/api/health", "/login", "/", f"/audits/{site.audit}", "/static/workspace.css"):
        answer = client.get(path)
        csp = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, path
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path


def test_the_session_ends_at_logout_and_after_thirty_idle_minutes(site):
    client, csrf = login(site.app, "jiwei")
    assert client.post("/api/logout", headers=csrf).status_code == 204
    assert client.get("/api/ledger-sets").status_code == 401
    with closing(site.workspace.connect()) as conn:
        user = accounts.authenticate(conn, "jiwei2", PASSWORDS["jiwei2"])
        token, _ = accounts.open_session(conn, user)
        assert accounts.session_user(conn, token) is not None
        later = datetime.now(UTC) + timedelta(minutes=31)
        assert accounts.session_user(conn, token, clock=later) is None


def test_the_workspace_keeps_its_own_secret_and_migrates_once(tmp_path):
    workspace = Workspace(tmp_path / "ws").create()
    secret = workspace.secret()
    assert len(secret) == 64 and workspace.secret() == secret
    assert stat.S_IMODE((workspace.root / "secret.key").stat().st_mode) == 0o600
    with closing(workspace.connect()) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert Workspace(tmp_path / "ws").create() and version >= 1


def test_users_add_from_the_command_line_and_serve_refuses_an_unencrypted_lan(tmp_path):
    from click.testing import CliRunner

    from accountability.cli import cli

    runner = CliRunner()
    folder = tmp_path / "ws"
    added = runner.invoke(
        cli, ["users", "add", "纪委张三", "--role", "inspector", "--workspace", str(folder), "--password-stdin"],
        input="a-long-enough-passphrase\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "已新增用户 纪委张三" in added.output
    unit_without = runner.invoke(
        cli, ["users", "add", "乡镇", "--role", "unit", "--workspace", str(folder), "--password-stdin"],
        input="a-long-enough-passphrase\n",
    )  # fmt: skip
    assert unit_without.exit_code == 2 and "单位编码" in unit_without.output
    with closing(Workspace(folder).connect()) as conn:
        assert accounts.authenticate(conn, "纪委张三", "a-long-enough-passphrase") is not None
    lan = runner.invoke(cli, ["serve", "--workspace", str(folder), "--host", "0.0.0.0"])
    assert lan.exit_code == 2 and "--tls-cert" in lan.output

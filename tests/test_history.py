"""Audit history: successive audits of the same ledgers mark findings persisting, fixing a ledger row marks its
finding resolved, a problem put right and found again is a relapse, and the step-ups follow from all three."""

import json
import sqlite3
import textwrap
import threading
from datetime import date, timedelta

import pandas as pd
import pytest
from click.testing import CliRunner

from accountability import history
from accountability.cli import cli
from accountability.errors import AccountabilityError
from accountability.language.periods import Window

PACK = """\
id: hist-test
title: 历史测试
issuer: 测试
date: "2025"
version: "1"
effective: {from: 2025-09-01}
rules:
  - id: T-WEEKLY
    title: 每周巡查不少于3天
    clause: 一
    quote: 每周巡查不少于3天
    kind: count_per_period
    severity: medium
    accountable: [{role: main_leader}]
    params:
      ledger: patrols
      subjects: {levels: [township], mining: true}
      period: week
      where: [{column: team, eq: daily}]
      count: distinct_dates
      min: 3
  - id: T-ADIT
    title: 矿硐明确责任人
    clause: 二
    quote: 明确矿硐编号、责任人
    kind: required_fields
    severity: medium
    accountable: [{role: main_leader}]
    params:
      ledger: adits
      columns: [responsible]
"""
UNITS = pd.DataFrame(
    [["HJ", "洪江市", "市", None, None], ["T1", "雪峰镇", "镇", "洪江市", "是"]],
    columns=["单位编码", "单位名称", "层级", "上级单位", "是否涉矿"],
)
PEOPLE = pd.DataFrame([["P0", "市长", "HJ", "主要负责人"], ["P1", "王镇长", "T1", "主要负责人"]],
                      columns=["人员编号", "姓名", "所在单位", "角色"])  # fmt: skip


def patrol_days(weeks: dict[int, int]) -> list[date]:
    """`weeks`: ISO week of 2025 → how many days (Mon, Tue, …) that week has a daily patrol."""
    return [date.fromisocalendar(2025, week, 1) + timedelta(days=d) for week, n in weeks.items() for d in range(n)]


def ledgers(folder, weeks: dict[int, int], adits: list[tuple[str, str | None]], until: str | None = None):
    """A ledger set: units, people, daily patrols on the days given (up to `until`: a ledger as it stood that day),
    adits (id, responsible)."""
    folder.mkdir(exist_ok=True)
    UNITS.to_csv(folder / "单位名册.csv", index=False)
    PEOPLE.to_csv(folder / "责任人名册.csv", index=False)
    days = [day for day in patrol_days(weeks) if until is None or day <= date.fromisoformat(until)]
    pd.DataFrame(
        {"巡查编号": [f"X{i:03d}" for i in range(len(days))], "巡查日期": days, "巡查单位": "雪峰镇",
         "巡查类型": "日常巡查", "巡查区域": "雪峰镇", "带队人": "王镇长"}
    ).to_csv(folder / "巡查台账.csv", index=False)  # fmt: skip
    pd.DataFrame({"矿硐编号": [a for a, _ in adits], "所属乡镇": "雪峰镇", "封堵责任人": [r for _, r in adits]}).to_csv(
        folder / "废弃矿硐封堵台账.csv", index=False
    )
    return folder


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "hist-test.yaml"
    path.write_text(textwrap.dedent(PACK), encoding="utf-8")
    return path


def audit(folder, pack, as_of, out, *more):
    args = ["audit", folder, "--pack", pack, "--as-of", as_of, "--out", out, "--format", "json", *more]
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    return doc, referrals


def mine(doc):
    """(rule, period, record) → (status, first_seen, relapse) of the test pack's findings."""
    return {
        (f["rule"], f["period"], f["record"]): (f["status"], f["first_seen"], f["relapse"])
        for f in doc["findings"]
        if f["rule"].startswith("T-")
    }


def wang(referrals):
    """王镇长's referral: disposition, step-up ids, and (rule, period, record, disposition, step-ups) per finding."""
    person = next(r for r in referrals if r["person"] == "P1")
    findings = [(f["rule"], f["period"], f["record"], f["disposition"], f["step_ups"]) for f in person["findings"]]
    return person["disposition"], [s["id"] for s in person["step_ups"]], findings


def test_successive_audits_persist_step_up_and_resolve(tmp_path, pack):
    folder = ledgers(tmp_path / "ledgers", {36: 3, 37: 2, 38: 3}, [("A1", "李四")], until="2025-09-14")
    history = tmp_path / "history.sqlite"
    first, referrals = audit(folder, pack, "2025-09-14", tmp_path / "a", "--history", history)
    assert mine(first) == {("T-WEEKLY", "2025-W37", ""): ("new", "2025-09-14", False)}
    assert first["audit"]["history"] == {"path": str(history), "previous": []} and first["resolved"] == []
    assert wang(referrals) == ("interview", [], [("T-WEEKLY", "2025-W37", "", "interview", [])])

    # A week later, nothing fixed: W37 is still open since the 14th and steps up; W38 was fine.
    ledgers(folder, {36: 3, 37: 2, 38: 3}, [("A1", "李四")])
    second, referrals = audit(folder, pack, "2025-09-21", tmp_path / "b", "--history", history)
    assert mine(second) == {("T-WEEKLY", "2025-W37", ""): ("persisting", "2025-09-14", False)}
    assert [p["as_of"] for p in second["audit"]["history"]["previous"]] == ["2025-09-14", "2025-09-14"]
    assert wang(referrals) == (
        "notice",
        ["persisting"],
        [("T-WEEKLY", "2025-W37", "", "notice", ["persisting"])],
    )

    # The same day, the township adds the patrol it had left out of the ledger and audits again: this run
    # replaces the day's first run, and against the audit of the 14th W37 is put right.
    ledgers(folder, {36: 3, 37: 3, 38: 3}, [("A1", "李四")])
    third, referrals = audit(folder, pack, "2025-09-21", tmp_path / "c", "--history", history)
    assert mine(third) == {}
    assert [(r["rule"], r["period"], r["first_seen"], r["last_seen"]) for r in third["resolved"]] == [
        ("T-WEEKLY", "2025-W37", "2025-09-14", "2025-09-14")
    ]
    assert not any(r["person"] == "P1" for r in referrals)

    with sqlite3.connect(history) as db:
        audits = db.execute("SELECT pack, as_of FROM audits ORDER BY id").fetchall()
        resolved = db.execute("SELECT rule, period FROM resolved").fetchall()
        findings = db.execute("SELECT f.rule, a.as_of FROM findings f JOIN audits a ON a.id = f.audit").fetchall()
    assert audits == [(p, d) for d in ("2025-09-14", "2025-09-21") for p in ("common", "hist-test")]
    assert resolved == [("T-WEEKLY", "2025-W37")]
    assert ("T-WEEKLY", "2025-09-21") not in findings


def test_two_weeks_running_steps_up_three_weeks_go_to_discipline(tmp_path, pack):
    folder = ledgers(tmp_path / "two", {36: 3, 37: 2, 38: 1, 39: 3}, [("A1", "李四")])
    _, referrals = audit(folder, pack, "2025-09-28", tmp_path / "a", "--no-history")
    assert wang(referrals) == (
        "notice",
        ["consecutive"],
        [
            ("T-WEEKLY", "2025-W37", "", "notice", ["consecutive"]),
            ("T-WEEKLY", "2025-W38", "", "notice", ["consecutive"]),
        ],
    )
    folder = ledgers(tmp_path / "gap", {36: 3, 37: 2, 38: 3, 39: 2}, [("A1", "李四")])
    _, referrals = audit(folder, pack, "2025-09-28", tmp_path / "b", "--no-history")
    assert wang(referrals)[:2] == ("interview", [])
    folder = ledgers(tmp_path / "three", {36: 2, 37: 2, 38: 2, 39: 3}, [("A1", "李四")])
    _, referrals = audit(folder, pack, "2025-09-28", tmp_path / "c", "--no-history")
    assert wang(referrals) == (
        "discipline",
        ["consecutive", "consecutive_3"],
        [("T-WEEKLY", f"2025-W{w}", "", "discipline", ["consecutive", "consecutive_3"]) for w in (36, 37, 38)],
    )


def test_a_rerun_of_the_same_audit_replaces_it_and_changes_nothing(tmp_path, pack):
    folder = ledgers(tmp_path / "ledgers", {36: 3, 37: 2}, [("A1", "李四")])
    history = tmp_path / "history.sqlite"
    first, first_referrals = audit(folder, pack, "2025-09-14", tmp_path / "a", "--history", history)
    for out in ("b", "c"):
        doc, referrals = audit(folder, pack, "2025-09-14", tmp_path / out, "--history", history)
        assert mine(doc) == mine(first) == {("T-WEEKLY", "2025-W37", ""): ("new", "2025-09-14", False)}
        assert referrals == first_referrals and wang(referrals)[:2] == ("interview", [])
        assert doc["audit"]["history"]["previous"] == []
    with sqlite3.connect(history) as db:
        assert db.execute("SELECT count(*) FROM audits").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM findings WHERE rule = 'T-WEEKLY'").fetchone() == (1,)


def test_persisting_needs_an_earlier_as_of_not_another_ledger_set_of_the_same_day(tmp_path, pack):
    history = tmp_path / "history.sqlite"
    audit(ledgers(tmp_path / "one", {36: 3, 37: 2}, [("A1", "李四")]), pack, "2025-09-14", tmp_path / "a",
          "--history", history)  # fmt: skip
    doc, _ = audit(ledgers(tmp_path / "two", {36: 3, 37: 2}, [("A1", "李四")]), pack, "2025-09-14", tmp_path / "b",
                   "--history", history)  # fmt: skip
    assert mine(doc) == {("T-WEEKLY", "2025-W37", ""): ("new", "2025-09-14", False)}
    doc, _ = audit(tmp_path / "two", pack, "2025-09-15", tmp_path / "c", "--history", history)
    assert mine(doc) == {("T-WEEKLY", "2025-W37", ""): ("persisting", "2025-09-14", False)}


def _one_finding() -> pd.DataFrame:
    return pd.DataFrame(
        {"pack": ["p"], "rule": ["R"], "unit": ["T1"], "period": [""], "record": ["A1"], "severity": ["low"],
         "title": ["t"], "unit_name": ["雪峰镇"], "message": ["m"], "responsible": [[]]}
    )  # fmt: skip


def _doc(as_of: str) -> dict:
    audit = {"packs": [{"id": "p"}], "top_unit": {"id": "HJ"}, "from": "2025-09-01", "as_of": as_of,
             "generated_at": as_of, "ledger_set": "ledgers", "ledger_path": "/l", "version": "1"}  # fmt: skip
    return {"audit": audit}


def _track(book, as_of: str):
    day = date.fromisoformat(as_of)
    parts = [history.PackAudit("p", Window(date(2025, 9, 1), day), {"R"})]
    findings = _one_finding()
    tracking = book.track(findings, parts, "HJ", day)
    return findings.assign(status=tracking.status, first_seen=tracking.first_seen), tracking


def test_two_audits_at_once_compare_one_after_the_other(tmp_path):
    path = tmp_path / "history.sqlite"
    compared: dict[str, list] = {}

    def second_audit():
        with history.open_book(path) as book:
            findings, tracking = _track(book, "2025-09-21")
            compared["second"] = [p["as_of"] for p in tracking.previous]
            book.record(_doc("2025-09-21"), findings, tracking.resolved)

    with history.open_book(path) as book:
        findings, tracking = _track(book, "2025-09-14")
        other = threading.Thread(target=second_audit)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive() and "second" not in compared  # waiting for this audit to be recorded
        book.record(_doc("2025-09-14"), findings, tracking.resolved)
    other.join()
    assert compared["second"] == ["2025-09-14"]


def test_an_audit_that_waits_too_long_for_the_history_is_one_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite"
    monkeypatch.setattr(history, "WAIT_SECONDS", 0.1)
    with history.open_book(path) as first, history.open_book(path) as second:
        _track(first, "2025-09-14")
        with pytest.raises(AccountabilityError, match="另一次检查正在使用它，等待超时") as caught:
            _track(second, "2025-09-21")
        assert "稍后重试" in caught.value.fix
    with history.open_book(path) as book:  # the first let go without recording
        assert _track(book, "2025-09-28")[1].previous == []


def test_a_problem_put_right_and_found_again_is_a_relapse(tmp_path, pack):
    history = tmp_path / "history.sqlite"
    folder = ledgers(tmp_path / "ledgers", {36: 3}, [("A1", None)])
    doc, _ = audit(folder, pack, "2025-09-07", tmp_path / "a", "--history", history)
    assert mine(doc) == {("T-ADIT", "", "A1"): ("new", "2025-09-07", False)}
    ledgers(folder, {36: 3}, [("A1", "李四")])
    doc, _ = audit(folder, pack, "2025-09-08", tmp_path / "b", "--history", history)
    assert mine(doc) == {} and [r["record"] for r in doc["resolved"]] == ["A1"]
    ledgers(folder, {36: 3}, [("A1", "李四"), ("A2", None)])
    doc, referrals = audit(folder, pack, "2025-09-09", tmp_path / "c", "--history", history)
    assert mine(doc) == {("T-ADIT", "", "A2"): ("new", "2025-09-09", True)}
    assert wang(referrals) == ("notice", ["relapse"], [("T-ADIT", "", "A2", "notice", ["relapse"])])


def test_a_period_outside_this_window_is_not_called_resolved(tmp_path, pack):
    history = tmp_path / "history.sqlite"
    folder = ledgers(tmp_path / "ledgers", {36: 3, 37: 2, 38: 3}, [("A1", "李四")], until="2025-09-14")
    audit(folder, pack, "2025-09-14", tmp_path / "a", "--history", history)
    ledgers(folder, {36: 3, 37: 2, 38: 3}, [("A1", "李四")])
    doc, _ = audit(folder, pack, "2025-09-21", tmp_path / "b", "--history", history, "--from", "2025-09-15")
    assert mine(doc) == {} and doc["resolved"] == []


def test_a_rule_that_could_not_run_resolves_nothing(tmp_path, pack):
    history = tmp_path / "history.sqlite"
    folder = ledgers(tmp_path / "ledgers", {36: 3}, [("A1", None)])
    audit(folder, pack, "2025-09-07", tmp_path / "a", "--history", history)
    (folder / "废弃矿硐封堵台账.csv").unlink()
    doc, _ = audit(folder, pack, "2025-09-08", tmp_path / "b", "--history", history)
    assert doc["resolved"] == []


def test_no_history_writes_nothing_and_marks_every_finding_new(tmp_path, pack):
    folder = ledgers(tmp_path / "ledgers", {36: 3, 37: 2}, [("A1", "李四")])
    doc, _ = audit(folder, pack, "2025-09-14", tmp_path / "a", "--no-history")
    assert doc["audit"]["history"] is None and doc["resolved"] == []
    assert mine(doc) == {("T-WEEKLY", "2025-W37", ""): ("new", "2025-09-14", False)}
    assert not (tmp_path / "reports").exists()


def test_the_default_history_file_is_reports_history_sqlite(tmp_path, pack):
    folder = ledgers(tmp_path / "ledgers", {36: 3, 37: 2}, [("A1", "李四")])
    audit(folder, pack, "2025-09-14", tmp_path / "a")
    assert (tmp_path / "reports" / "history.sqlite").is_file()


def test_an_unusable_history_file_is_one_clear_error(tmp_path, pack):
    folder = ledgers(tmp_path / "ledgers", {36: 3}, [("A1", "李四")])
    bad = tmp_path / "history.sqlite"
    bad.write_text("这不是数据库", encoding="utf-8")
    args = ["audit", folder, "--pack", pack, "--as-of", "2025-09-07", "--out", tmp_path / "a", "--history", bad]
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 2
    assert "无法使用检查历史库" in result.output and str(bad) in result.output and "--no-history" in result.output
    assert "Traceback" not in result.output

"""The Yiyuan example ledger set gives exactly the violations planted in it (examples/README.md)."""

import json

import pytest
from example_audit import EXAMPLES, audit_example, who_answers
from example_audit import findings as read_findings

EXAMPLE = EXAMPLES / "yiyuan"

EXPECTED = {
    # (rule, unit, period, record): responsible
    ("YY-MONTHLY-REPORT", "DL", "2023-06", "monthly_stats"): ["P202"],
    ("YY-MONTHLY-REPORT", "ZJP", "2023-10", "monthly_stats"): ["P401"],
    ("YY-SUMMARY", "SQ", "2023", "summary"): ["P301"],
    ("YY-LIAISON", "ZJP", "", ""): ["P401"],
    ("YY-SITE-REGISTRY", "LC", "", "LC-KD-003"): ["P101"],
    ("YY-SITE-REGISTRY", "DL", "", "DL-KD-003"): ["P201"],
    ("YY-SITE-PATROL", "SQ", "2023-08", "SQ-KD-003"): ["P301"],
    ("YY-NIGHT-PATROL", "DL", "2023-02", ""): ["P201"],
    ("YY-SAT-VERIFY", "LC", "", "TB2023Q2-002"): ["P101"],
    ("YY-MONTHLY-MEETING", "YY", "2023-10", ""): ["P001"],
    ("DATA-INVALID-ROW", "LC", "", "XC2023-0177"): ["P101"],
}


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    return audit_example(tmp_path_factory, "yiyuan", "2023-12-31")


def test_exact_findings_and_who_answers(audit):
    out, _ = audit
    assert who_answers(out) == {key: sorted(people) for key, people in EXPECTED.items()}


def test_june_report_on_the_adjusted_working_day(audit):
    """2023-06-24 is a Saturday of the Dragon Boat holiday; Sunday 06-25 is an adjusted working day, so a June
    report sent that day (鲁村所, written as 2023年6月25日) is on time and one sent on 06-26 (东里所) is late."""
    out, _ = audit
    reports = [f for f in read_findings(out) if f["rule"] == "YY-MONTHLY-REPORT"]
    june = [f for f in reports if f["period"] == "2023-06"]
    assert [f["unit"] for f in june] == ["DL"]
    late = june[0]
    assert late["expected"] == "2023-06-25前报送（06月24日逢休息日顺延）"
    assert late["actual"] == "2023-06-26报送，逾期"
    assert late["message"] == (
        "东里自然资源所 2023-06：月度统计表 2023-06-26报送，逾期（要求2023-06-25前报送（06月24日逢休息日顺延））"
    )
    assert [(e["file"], e["row"], e["id"]) for e in late["evidence"]] == [("报送记录.xlsx", 18, "BS2023-016")]
    assert late["provisional"] is False
    assert not any(f["unit"] == "SQ" and f["period"] == "2023-09" for f in reports)  # 09-24 a Sunday, sent 09-25
    missing = next(f for f in reports if f["unit"] == "ZJP")
    assert (missing["expected"], missing["actual"], missing["evidence"]) == ("2023-10-24前报送", "未报送", [])
    assert missing["responsible_names"] == ["杜文斌"]  # no liaison: the head of the office answers


def test_every_finding_carries_its_proof(audit):
    out, _ = audit
    findings = read_findings(out)
    site = next(f for f in findings if f["rule"] == "YY-SITE-PATROL")
    assert (site["expected"], site["actual"]) == ("≥1", "0")
    assert site["evidence"] == [
        {"ledger": "adits", "file": "废弃矿硐台账.xlsx", "sheet": "Sheet1", "row": 12, "id": "SQ-KD-003"}
    ]
    registry = {f["record"]: f["actual"] for f in findings if f["rule"] == "YY-SITE-REGISTRY"}
    assert registry == {"LC-KD-003": "缺 经度、纬度", "DL-KD-003": "缺 封堵责任人"}
    summary = next(f for f in findings if f["rule"] == "YY-SUMMARY")
    assert (summary["expected"], summary["actual"]) == ("2023-12-20前报送", "2023-12-21报送，逾期")
    night = next(f for f in findings if f["rule"] == "YY-NIGHT-PATROL")
    assert (night["expected"], night["actual"]) == ("≥1", "0")


def test_data_errors_and_ledgers_read(audit):
    out, _ = audit
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["row"], e["column"], e["rejected"]) for e in doc["data_errors"]] == [
        ("巡查台账.xlsx", 179, "巡查日期", True)
    ]
    rows = {led["ledger"]: (led["rows_read"], led["rows_rejected"]) for led in doc["audit"]["ledgers"]}
    assert rows["patrols"] == (177, 1)
    assert rows["adits"] == (13, 0)
    assert rows["reports"] == (39, 0)
    assert rows["meetings"] == (17, 0)
    assert doc["audit"]["missing_ledgers"] == []
    assert (doc["audit"]["from"], doc["audit"]["as_of"]) == ("2023-01-01", "2023-12-31")
    assert doc["audit"]["provisional"] is False
    assert {m["rule"] for m in doc["manual"]} == {
        "YY-MANUAL-PUBLICITY", "YY-MANUAL-MECHANISM", "YY-MANUAL-PREPARE", "YY-MANUAL-MONITOR", "YY-MANUAL-ENFORCE",
        "YY-MANUAL-INSPECTION", "YY-MANUAL-PLAN",
    }  # fmt: skip


def test_referrals_one_per_person(audit):
    out, _ = audit
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    by_person = {(r["person"], r["name"]): r["disposition"] for r in referrals}
    assert by_person[("P202", "马丽")] == "interview"  # the liaison answers for the late June statistics
    assert by_person[("P101", "张明亮")] == "interview"  # medium findings outrank his bad patrol row
    assert by_person[("P001", "王振华")] == "reminder"  # no joint meeting in October (low)
    assert len(referrals) == len(by_person) == 6


def test_all_outputs_and_summary(audit):
    out, output = audit
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv", "findings.json", "letters", "referrals.json", "report.html", "report.xlsx",
    ]  # fmt: skip
    assert "问题 11 条：中 7，低 4" in output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "张家坡自然资源所" in html and "SQ-KD-003" in html

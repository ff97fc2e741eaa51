"""The Yanhu example ledger set gives exactly the violations planted in it."""

import json

import pytest
from example_audit import EXAMPLES, audit_example, who_answers
from example_audit import findings as read_findings

EXAMPLE = EXAMPLES / "yanhu-2022"

EXPECTED = {
    # (rule, unit, period, record): responsible
    ("YH-DISTRICT-QUARTERLY", "JJ", "2023-Q1", ""): ["P001"],
    ("YH-TOWNSHIP-MONTHLY", "JJ", "2023-01", ""): ["P300"],
    ("YH-VILLAGE-WEEKLY", "DG02", "2023-W04", ""): ["P212"],
    ("YH-CLEARANCE", "DG", "", "WT-2023-003"): ["P201"],
    ("YH-CLEARANCE", "JJ", "", "WT-2023-004"): ["P300"],
    ("YH-RECTIFY-FIELDS", "JJ", "", "WT-2023-004"): ["P300"],
    ("YH-SAT-DISASTER", "JZ", "", "TB-2023Q1-01"): ["P100"],
    ("YH-SAT-INCONSISTENT", "DG", "", "TB-2022Q4-02"): ["P200"],
    ("YH-SAT-FIELD-CHECK", "JJ", "", "TB-2023Q1-03"): ["P300"],
    ("YH-DEPLOY-DEADLINE", "DG", "2022-12-15", "measures"): ["P200"],
    ("YH-SUMMARY-DEADLINE", "JJ", "2022-12-31", "summary"): ["P300"],
    ("YH-EIGHT-BATCHES", "DG", "2022-12-31", "第4行"): ["P200"],
    ("YH-REWARD-PAID", "YH-GAJ", "", "JB-2023-002"): ["P021"],
    ("YH-BLACKLIST", "DG", "", "AJ-2023-002"): ["P200"],
    ("YH-CRIME-TRANSFER", "JZ", "", "AJ-2023-003"): ["P100"],
    ("INT-PHOTO-REUSE", "JZ", "", "IMG_20230215_0932.jpg"): ["P100", "P112"],
    ("DATA-INVALID-ROW", "DG", "", "XC0015"): ["P200"],
}


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    return audit_example(tmp_path_factory, "yanhu-2022", "2023-03-31")


def test_exact_findings_and_who_answers(audit):
    out, _ = audit
    assert who_answers(out) == {key: sorted(people) for key, people in EXPECTED.items()}


def test_evidence_points_at_excel_rows(audit):
    out, _ = audit
    findings = read_findings(out)
    photo = next(f for f in findings if f["rule"] == "INT-PHOTO-REUSE")
    assert [(e["file"], e["row"], e["id"]) for e in photo["evidence"]] == [
        ("卫片图斑台账.xlsx", 8, "TB-2023Q1-02"),
        ("巡查台账.xlsx", 98, "XC0096"),
    ]
    assert sorted(photo["responsible_names"]) == ["杨志刚", "王丽娟"]
    patches = next(f for f in findings if f["rule"] == "YH-SAT-INCONSISTENT")
    assert [(e["file"], e["row"]) for e in patches["evidence"]] == [("卫片图斑台账.xlsx", 4), ("卫片图斑台账.xlsx", 5)]
    assert patches["actual"] == "TB-2022Q4-02（合法）、TB-2022Q4-03（违法）"
    late = next(f for f in findings if f["rule"] == "YH-SUMMARY-DEADLINE")
    assert late["actual"] == "2023-01-06报送，逾期"
    assert [(e["file"], e["row"], e["id"]) for e in late["evidence"]] == [("报送记录.xlsx", 14, "BS-012")]


def test_data_errors_and_ledger_counts(audit):
    out, _ = audit
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["row"], e["column"], e["rejected"]) for e in doc["data_errors"]] == [
        ("巡查台账.xlsx", 17, "巡查日期", True),
    ]
    patrols = next(led for led in doc["audit"]["ledgers"] if led["ledger"] == "patrols")
    assert (patrols["rows_read"], patrols["rows_used"], patrols["rows_rejected"]) == (150, 149, 1)
    assert doc["audit"]["missing_ledgers"] == []
    assert (doc["audit"]["from"], doc["audit"]["as_of"]) == ("2022-12-01", "2023-03-31")


def test_referrals_one_per_person(audit):
    out, _ = audit
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    by_person = {(r["person"], r["name"]): r["disposition"] for r in referrals}
    assert by_person[("P300", "宁志勇")] == "discipline"  # problems not cleared by 2023-03-31 (high)
    assert by_person[("P112", "王丽娟")] == "discipline"  # integrity: her patrol photo used as patch evidence
    # 五(三): 判定不一致 of a satellite patch and a missed district patrol (排查不认真) are always transferred
    assert by_person[("P200", "侯建民")] == "discipline"
    assert by_person[("P001", "高志强")] == "discipline"  # no district patrol in 金井乡 in 2023-Q1
    assert by_person[("P021", "姚磊")] == "interview"  # verified tip, reward not paid
    assert len(referrals) == len(by_person) == 8


def test_all_outputs_and_summary(audit):
    out, output = audit
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv", "findings.json", "letters", "referrals.json", "report.html", "report.xlsx",
    ]  # fmt: skip
    assert "问题 17 条：高 5，中 9，低 3" in output
    assert "责任追究 8 人：移交纪检监察机关 7，约谈 1" in output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "金井乡" in html and "IMG_20230215_0932.jpg" in html

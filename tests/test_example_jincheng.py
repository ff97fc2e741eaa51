"""The Jincheng example ledger set gives exactly the violations planted in it (examples/README.md)."""

import json

import pytest
from example_audit import EXAMPLES, audit_example, who_answers
from example_audit import findings as read_findings

EXAMPLE = EXAMPLES / "jincheng-2021"

EXPECTED = {
    # (rule, unit, period, record): responsible
    ("JC-EIGHT-CHECKS", "DDG", "", "BC-028"): ["P112"],
    ("JC-FULL-SWEEP", "HX", "2022-01-19", ""): ["P210"],
    ("JC-SIGNATURE", "DD", "", "BC-012"): ["P300"],
    ("JC-RECTIFY-FIELDS", "BYC", "", "JC-WT-009"): ["P200"],
    ("JC-RECTIFY-OVERDUE", "DDG", "", "JC-WT-005"): ["P112"],
    ("JC-SPOTCHECK-RATIO", "YC", "2022-03-19", ""): ["P001"],
    ("JC-MISSED-DISCOVERY", "BG", "", "JC-WT-004"): ["P102"],
    ("JC-HOTLINE", "YC", "", "YC"): ["P030"],
    ("JC-CLOSURE-SIX", "DD", "", "GB-04"): ["P300"],
    ("JC-COUNTY-REPORT", "GP", "2022-01-19", "work_report"): ["P020"],
    ("JC-POWER-SUPPLY", "BG", "", "AJ-2022-002"): ["P420"],
    ("INT-COPIED-NOTES", "MH", "", "XC-041"): ["P311"],
    ("DATA-INVALID-ROW", "MH", "", "AJ-2022-004"): ["P310"],
}


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    return audit_example(tmp_path_factory, "jincheng-2021", "2022-03-31")


def test_exact_findings_and_who_answers(audit):
    out, _ = audit
    assert who_answers(out) == {key: sorted(people) for key, people in EXPECTED.items()}


def test_every_finding_carries_its_proof(audit):
    out, _ = audit
    findings = read_findings(out)
    missed = next(f for f in findings if f["rule"] == "JC-MISSED-DISCOVERY")
    assert [(e["file"], e["row"], e["id"]) for e in missed["evidence"]] == [
        ("问题整改台账.xlsx", 6, "JC-WT-004"),
        ("八查记录.xlsx", 3, "BC-001"),
    ]
    assert missed["responsible_names"] == ["李建平"]
    sweep = next(f for f in findings if f["rule"] == "JC-FULL-SWEEP")
    assert (sweep["expected"], sweep["actual"]) == ("2/2", "1/2")
    assert "苏庄村" in sweep["message"]
    checks = next(f for f in findings if f["rule"] == "JC-EIGHT-CHECKS")
    assert checks["actual"] == "缺 废弃矿井周边遮挡构筑物暗道、非法务工人员"
    assert [(e["file"], e["row"]) for e in checks["evidence"]] == [("八查记录.xlsx", 30)]
    closure = next(f for f in findings if f["rule"] == "JC-CLOSURE-SIX")
    assert closure["actual"] == "缺 监管责任人、恢复地貌（未达到）"


def test_data_errors_and_ledgers_read(audit):
    out, _ = audit
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["row"], e["column"], e["rejected"]) for e in doc["data_errors"]] == [
        ("案件台账.xlsx", 6, "立案日期", True),
    ]
    read = {led["ledger"]: (led["rows_read"], led["rows_used"]) for led in doc["audit"]["ledgers"]}
    assert read["eight_checks"] == (33, 33)
    assert read["problems"] == (15, 15)
    assert read["cases"] == (4, 3)
    assert doc["audit"]["missing_ledgers"] == []
    assert doc["audit"]["from"] == "2021-12-20"


def test_referrals_one_per_person(audit):
    out, _ = audit
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    by_person = {(r["person"], r["name"]): r["disposition"] for r in referrals}
    assert by_person[("P102", "李建平")] == "discipline"  # signed "no problem" before the city's spot check
    assert by_person[("P420", "刘振华")] == "discipline"  # the power company supplied an illegal pit
    assert by_person[("P311", "茹建军")] == "discipline"  # integrity: copied patrol notes
    assert by_person[("P300", "张卫东")] == "interview"  # unsigned check and an incomplete closure (medium)
    assert by_person[("P030", "卫国强")] == "reminder"  # no hotline (low)
    assert len(referrals) == len(by_person) == 11


def test_all_outputs_and_summary(audit):
    out, output = audit
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv", "findings.json", "letters", "referrals.json", "report.html", "report.xlsx",
    ]  # fmt: skip
    assert "问题 13 条：高 2，中 9，低 2" in output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "河西镇" in html and "JC-WT-004" in html

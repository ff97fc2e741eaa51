"""The Tangyuan example ledger set gives exactly the violations planted in it (examples/README.md)."""

import json

import pytest
from example_audit import EXAMPLES, audit_example, who_answers
from example_audit import findings as read_findings

EXAMPLE = EXAMPLES / "tangyuan-2022"

EXPECTED = {
    # (rule, unit, period, record): responsible
    ("TY-MINE-FIELDS", "TPC", "", "TPC-FQ-007"): ["P201"],
    ("TY-MINE-FIELDS", "JX", "", "JX-FQ-005"): ["P301"],
    ("TY-SEAL-RESPONSIBLE", "TPC", "", "TPC-FQ-007"): ["P201"],
    ("TY-SEAL-RESPONSIBLE", "HL", "", "HL-FQ-002"): ["P401"],
    ("TY-SEAL-ACCEPTANCE", "HL", "", "HL-FQ-004"): ["P401"],
    ("TY-SEAL-DEADLINE", "TPC", "", "TPC-FQ-005"): ["P202"],
    ("TY-SEAL-DEADLINE", "JX", "", "JX-FQ-006"): ["P302"],
    ("TY-STAGE-REPORTS", "SWJ", "2022-07-05", "stage1"): ["P161"],
    ("TY-STAGE-REPORTS", "SJJ", "2022-12-15", "stage3"): ["P141"],
    ("TY-MONTHLY-CONSULT", "TY", "2022-11", ""): ["P001"],
    ("TY-JOINT-ENFORCEMENT", "TY", "2022-08-29", ""): ["P001"],
    ("TY-JOINT-ENFORCEMENT", "TY", "2022-12-26", ""): ["P001"],
    ("TY-MONTHLY-FOLLOWUP", "TPC", "", "WT-2022-009"): ["P131"],
    ("TY-MONTHLY-FOLLOWUP", "HL", "", "WT-2023-003"): ["P402"],
    ("DATA-INVALID-ROW", "HL", "", "XC0133"): ["P401"],
    ("DATA-DUPLICATE-ID", "JX", "", "WT-2022-008"): ["P301"],
}


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    return audit_example(tmp_path_factory, "tangyuan-2022", "2023-03-31")


def test_exact_findings_and_who_answers(audit):
    out, _ = audit
    assert who_answers(out) == {key: sorted(people) for key, people in EXPECTED.items()}


def test_every_finding_carries_its_proof(audit):
    out, _ = audit
    findings = read_findings(out)
    deadline = {f["record"]: f for f in findings if f["rule"] == "TY-SEAL-DEADLINE"}
    assert deadline["TPC-FQ-005"]["evidence"] == [
        {"ledger": "adits", "file": "废弃矿井台账.xlsx", "sheet": "Sheet1", "row": 7, "id": "TPC-FQ-005"}
    ]
    assert (deadline["TPC-FQ-005"]["expected"], deadline["TPC-FQ-005"]["actual"]) == ("2022-10-15前完成", "未完成")
    assert deadline["JX-FQ-006"]["expected"] == "2023-02-15前完成"  # found 2023-01-16, 30 days
    assert deadline["JX-FQ-006"]["responsible_names"] == ["邢雅丽"]
    late = next(f for f in findings if f["rule"] == "TY-STAGE-REPORTS" and f["unit"] == "SJJ")
    assert late["actual"] == "2022-12-19报送，逾期"
    assert [(e["file"], e["row"]) for e in late["evidence"]] == [("报送记录.xlsx", 24)]
    duplicate = next(f for f in findings if f["rule"] == "DATA-DUPLICATE-ID")
    assert [(e["file"], e["row"]) for e in duplicate["evidence"]] == [
        ("问题整改台账.xlsx", 10),
        ("问题整改台账.xlsx", 11),
    ]
    consult = next(f for f in findings if f["rule"] == "TY-MONTHLY-CONSULT")
    assert (consult["expected"], consult["actual"], consult["evidence"]) == ("≥1", "0", [])


def test_data_errors_and_ledgers_read(audit):
    out, _ = audit
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["row"], e["column"], e["rejected"]) for e in doc["data_errors"]] == [
        ("巡查台账.xlsx", 135, "巡查日期", True)
    ]
    rows = {led["ledger"]: (led["rows_read"], led["rows_rejected"]) for led in doc["audit"]["ledgers"]}
    assert rows["patrols"] == (133, 1)
    assert rows["adits"] == (22, 0)
    assert rows["reports"] == (35, 0)
    assert doc["audit"]["missing_ledgers"] == []
    assert doc["audit"]["from"] == "2022-04-07"
    assert {m["rule"] for m in doc["manual"]} == {
        "TY-MANUAL-CYANIDE", "TY-MANUAL-PUBLICITY", "TY-MANUAL-DUTIES", "TY-MANUAL-LEDGERS", "TY-MANUAL-HAZARD",
        "TY-MANUAL-ECO", "TY-MANUAL-SUPERVISION", "TY-MANUAL-LOCAL", "TY-MANUAL-PUBLISH",
    }  # fmt: skip


def test_referrals_one_per_person(audit):
    out, _ = audit
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    by_person = {(r["person"], r["name"]): r["disposition"] for r in referrals}
    # adit found in June, still unsealed (high): 七(四) keeps 移交 for 内外勾结、受贿、保护伞, so at most 通报批评
    assert by_person[("P202", "韩春雷")] == "notice"
    assert by_person[("P001", "孙立新")] == "interview"  # the convener: no consultation, no joint enforcement
    assert by_person[("P401", "崔永生")] == "interview"  # medium adit findings outrank his bad patrol row
    assert by_person[("P131", "陈国栋")] == "interview"  # not followed up for two months (low): 七(四) 约谈
    assert len(referrals) == len(by_person) == 10


def test_all_outputs_and_summary(audit):
    out, output = audit
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv", "findings.json", "letters", "referrals.json", "report.html", "report.xlsx",
    ]  # fmt: skip
    assert "问题 16 条：高 2，中 10，低 4" in output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "太平川乡" in html and "TPC-FQ-005" in html

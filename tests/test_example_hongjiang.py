"""The Hongjiang example ledger set gives exactly the violations planted in it (examples/README.md)."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from example_audit import EXAMPLES, audit_example, who_answers
from example_audit import findings as read_findings

from accountability.cli import cli

EXAMPLE = EXAMPLES / "hongjiang-2025"

EXPECTED = {
    # (rule, unit, period, record): responsible
    ("HJ-PATROL-WEEKLY", "SW", "2025-W37", ""): ["P021", "P020"],
    ("HJ-PATROL-WEEKLY", "TS", "2025-W38", ""): ["P031", "P030"],
    ("HJ-PATROL-WEEKLY", "TS", "2025-W39", ""): ["P031", "P030"],
    ("HJ-PATROL-COVERAGE", "TS", "2025-09", ""): ["P031", "P030"],
    ("HJ-CROSS-PATROL", "XF", "2025-08", ""): ["P010"],
    ("HJ-CITY-PATROL-DAYS", "HJ-XCD", "2025-09", ""): ["P003"],
    ("HJ-ADIT-FIELDS", "SW", "", "SW-KD-002"): ["P020"],
    ("HJ-ADIT-LICENSE-HOLDER", "XF", "", "XF-KD-002"): ["P010"],
    ("HJ-DEVICES", "HJ", "2025-09-15", ""): ["P001"],
    ("HJ-REWARD-TIER", "ZRJ", "", "JB-003"): ["P061"],
    ("HJ-REWARD-TIER", "GAJ", "", "JB-006"): [],
    ("HJ-TIP-VERIFY", "ZRJ", "", "JB-005"): ["P061"],
    ("HJ-THEFT-ACCOUNTABILITY", "XF", "2025-09", "WT-001"): ["P010", "P012", "P015"],
    ("HJ-THEFT-CASE", "XF", "2025-09", "AJ-2025-04"): ["P010", "P012", "P016"],
    ("HJ-CRIME-TRANSFER", "SW", "", "AJ-2025-02"): ["P020"],
    ("HJ-POWER-SUPPLY", "TS", "", "AJ-2025-03"): ["P080"],
    ("HJ-CONCEALMENT", "TS", "", "XC0167"): ["P031"],
    ("HJ-CONCEALMENT", "XF", "", "XC0168"): ["P011"],
    ("INT-PHOTO-REUSE", "LC", "", "IMG_20250905_0931.jpg"): ["P041", "P011"],
    ("INT-COPIED-NOTES", "LC", "", "XC0171"): ["P041"],
    ("INT-PERSON-CLASH", "XF", "2025-09-17", "P011"): ["P011", "P021"],
    ("DATA-INVALID-ROW", "XF", "", "XC0174"): ["P010"],
    ("DATA-INVALID-ROW", "HJ", "", "XC0175"): ["P001"],
    ("DATA-DUPLICATE-ID", "TS", "", "TS-KD-002"): ["P030"],
    ("DATA-ROLE-UNFILLED", "XF02", "", "area_leader"): [],
    ("DATA-ROLE-UNFILLED", "XF03", "", "area_leader"): [],
}


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    return audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30")


def test_exact_findings_and_who_answers(audit):
    out, _ = audit
    assert who_answers(out) == {key: sorted(people) for key, people in EXPECTED.items()}


def test_every_finding_carries_its_proof(audit):
    out, _ = audit
    findings = read_findings(out)
    weekly = next(f for f in findings if f["rule"] == "HJ-PATROL-WEEKLY")
    assert weekly["quote"].startswith("涉矿乡镇和林场要配强日常巡查队的力量")
    assert (weekly["expected"], weekly["actual"]) == ("≥3", "2")
    assert sorted(e["row"] for e in weekly["evidence"]) == [48, 49, 119]
    assert {e["file"] for e in weekly["evidence"]} == {"巡查台账.xlsx"}
    theft = next(f for f in findings if f["rule"] == "HJ-THEFT-ACCOUNTABILITY")
    assert theft["evidence"] == [
        {"ledger": "problems", "file": "问题整改台账.xlsx", "sheet": "Sheet1", "row": 3, "id": "WT-001"}
    ]
    assert sorted(theft["responsible_names"]) == ["唐远山", "舒晓峰", "蒋文华"]


def test_progress_rows_and_data_errors(audit):
    out, _ = audit
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    progress = {(p["rule"], p["unit"]): (p["actual"], p["target"]) for p in doc["progress"]}
    assert progress[("HJ-NEW-ADITS", "XF")] == (6, 10)
    assert progress[("HJ-NEW-ADITS", "TS")] == (2, 10)
    assert progress[("HJ-NEW-KEYPERSONS", "XF")] == (5, 5)
    assert progress[("HJ-WARNING-EDU", "HJ")] == (17, 18)
    assert progress[("HJ-MAJOR-CASE", "HJ")] == (1, 1)
    assert [(e["row"], e["column"], e["rejected"]) for e in doc["data_errors"]] == [
        (176, "巡查日期", True),
        (177, "巡查单位", True),
    ]
    patrols = next(led for led in doc["audit"]["ledgers"] if led["ledger"] == "patrols")
    assert (patrols["rows_read"], patrols["rows_used"], patrols["rows_rejected"]) == (175, 173, 2)
    assert doc["audit"]["missing_ledgers"] == []
    assert doc["audit"]["from"] == "2025-08-01"


def test_referrals_one_per_person(audit):
    out, _ = audit
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    by_person = {(r["person"], r["name"]): r["disposition"] for r in referrals}
    assert by_person[("P010", "蒋文华")] == "discipline"  # theft in his township (high)
    assert by_person[("P003", "杨国庆")] == "interview"  # the city team's patrol days (medium)
    assert by_person[("P041", "肖光明")] == "discipline"  # integrity: photo reuse, copied notes
    assert (None, "李警官") not in by_person  # JB-006's blank 奖励金额 may be 2000: 待核实, referred to nobody
    assert len(referrals) == len(by_person) == 14


def test_a_blank_amount_is_doubtful_not_an_accusation(audit):
    """JB-006 is 属实 and its 奖励金额 is blank: the blank could be the 2000 owed, so the finding waits for the cell."""
    out, _ = audit
    tier = next(f for f in read_findings(out) if f["rule"] == "HJ-REWARD-TIER" and f["record"] == "JB-006")
    assert tier["doubtful"] is True
    assert [(d["file"], d["row"], d["column"], d["reason"]) for d in tier["doubts"]] == [
        ("举报线索台账.xlsx", 8, "奖励金额", "空白，可能是任何值")
    ]
    confirmed = [f for f in read_findings(out) if not f["doubtful"]]
    assert not any(f["record"] == "JB-006" for f in confirmed)


def test_all_outputs_and_summary(audit):
    out, output = audit
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv", "findings.json", "letters", "referrals.json", "report.html", "report.xlsx",
    ]  # fmt: skip
    assert "问题 26 条：高 7，中 14，低 5" in output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "沙湾乡" in html and "IMG_20250905_0931.jpg" in html


def test_a_city_holding_two_plans(tmp_path):
    """Hongjiang's ledgers audited under its own plan and the Yiyuan plan at once: each plan judges its own
    window, the Hongjiang findings are unchanged, and the ledgers only Yiyuan needs are reported missing."""
    args = ["audit", str(EXAMPLE), "--pack", "hongjiang-2025", "--pack", "yiyuan", "--as-of", "2025-09-30"]
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in doc["audit"]["packs"]] == ["common", "hongjiang-2025", "yiyuan"]
    assert doc["audit"]["from"] == "2025-01-01"
    found = doc["findings"]
    own = {
        (f["rule"], f["unit"], f["period"], f["record"])
        for f in found
        if not f["rule"].startswith(("YY-", "DATA-LEDGER"))
    }
    assert own == set(EXPECTED)
    missing = next(f for f in found if f["rule"] == "DATA-LEDGER-MISSING" and f["record"] == "reports")
    assert "YY-MONTHLY-REPORT" in missing["message"] and "YY-SUMMARY" in missing["message"]
    assert {f["rule"] for f in found if f["rule"].startswith("YY-")} == {
        "YY-SITE-PATROL", "YY-MONTHLY-MEETING", "YY-SITE-REGISTRY"
    }  # fmt: skip


def test_figures_the_plan_does_not_state_are_marked_assumed_with_their_reason(audit):
    out, _ = audit
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    [plan] = [p for p in doc["audit"]["packs"] if p["id"] == "hongjiang-2025"]
    assert sorted(plan["param_assumed"]) == [
        "discovery_deadline", "new_adits", "new_key_persons", "tip_verify_days", "weekly_patrol_count",
    ]  # fmt: skip
    html = (out / "report.html").read_text(encoding="utf-8")
    row = html.split("<code>weekly_patrol_count</code>", 1)[1].split("</tr>", 1)[0]
    assert 'distinct_dates <span class="st st-persisting">推定</span>' in row and "按不同日期计" in row
    params = pd.read_excel(out / "report.xlsx", sheet_name="审计参数", header=None, dtype=str, engine="calamine")
    assert params.isin(["推定（方案未写明）"]).any().any()

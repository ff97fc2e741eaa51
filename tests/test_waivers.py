"""What the audit command gives a program that runs it (the workspace): stable finding ids, approved waivers that
keep findings out of referrals until they expire, and progress and errors as JSON lines."""

import hashlib
import json
import subprocess
import sys

import pandas as pd
from example_audit import EXAMPLES, audit_example, findings

from accountability.audit.pipeline import finding_ids
from accountability.report.tables import findings_table


def _referred(out):
    return json.loads((out / "referrals.json").read_text(encoding="utf-8"))


def test_a_finding_has_the_same_id_in_every_audit_and_none_shared(tmp_path_factory):
    first, _ = audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30", "--no-history")
    again, _ = audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30", "--no-history")
    ids = [f["id"] for f in findings(first)]
    assert ids == [f["id"] for f in findings(again)]
    assert len(set(ids)) == len(ids) == 26 and all(i.startswith("f_") and len(i) == 18 for i in ids)


def test_the_id_is_the_digest_of_top_unit_pack_rule_unit_period_and_record():
    frame = pd.DataFrame({"pack": ["p", "p"], "rule": ["R", "R"], "unit": ["T1", "T1"], "period": ["2025-W38", ""],
                          "record": ["", "A1"]})  # fmt: skip
    ids = finding_ids(frame, "HJ")
    assert ids.tolist() != finding_ids(frame, "XF").tolist()  # another county's register, other ids
    assert ids[0] == "f_" + hashlib.sha256(b"HJ|p|R|T1|2025-W38|").hexdigest()[:16]


def test_a_waiver_in_force_keeps_its_finding_out_of_referrals_and_an_expired_one_does_not(tmp_path_factory, tmp_path):
    plain, _ = audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30", "--no-history")
    power = next(f for f in findings(plain) if f["rule"] == "HJ-POWER-SUPPLY")
    assert [r["person"] for r in _referred(plain) if r["person"] == "P080"] == ["P080"]
    waivers = tmp_path / "waivers.json"
    waivers.write_text(
        json.dumps([{"id": "wv_1", "finding": power["id"], "approver": "张审批", "expires": "2025-12-31"}]),
        encoding="utf-8",
    )
    waived, console = audit_example(
        tmp_path_factory, "hongjiang-2025", "2025-09-30", "--no-history", "--waivers", str(waivers)
    )
    by_id = {f["id"]: f for f in findings(waived)}
    assert by_id[power["id"]]["waived"] == {"id": "wv_1", "approver": "张审批", "expires": "2025-12-31"}
    assert sum(1 for f in by_id.values() if f["waived"]) == 1
    assert "P080" not in {r["person"] for r in _referred(waived)}
    assert len(_referred(waived)) == len(_referred(plain)) - 1
    assert "其中情况说明已核准 1 条" in console
    html = (waived / "report.html").read_text(encoding="utf-8")
    assert 'id="waived"' in html and "张审批" in html
    table = findings_table(findings(waived))
    assert table.loc[table["规则编号"] == "HJ-POWER-SUPPLY", "认定"].tolist() == [
        "情况说明已核准（张审批，有效期至2025-12-31）"
    ]
    expired, _ = audit_example(tmp_path_factory, "hongjiang-2025", "2026-01-05", "--no-history", "--from",
                               "2025-08-01", "--waivers", str(waivers))  # fmt: skip
    assert not any(f["waived"] for f in findings(expired))
    assert "P080" in {r["person"] for r in _referred(expired)}


def test_a_waivers_file_that_cannot_be_read_is_one_clear_message(tmp_path):
    bad = tmp_path / "waivers.json"
    bad.write_text("{not json", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "accountability", "audit", str(EXAMPLES / "hongjiang-2025"), "--pack", "hongjiang-2025",
         "--as-of", "2025-09-30", "--no-history", "--out", str(tmp_path / "out"), "--waivers", str(bad)],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert done.returncode == 2
    assert "无法读取情况说明文件" in done.stderr and "Traceback" not in done.stderr


def test_progress_and_errors_as_json_lines(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "accountability", "audit", str(EXAMPLES / "hongjiang-2025"), "--pack", "hongjiang-2025",
         "--as-of", "2025-09-30", "--no-history", "--out", str(tmp_path / "out"), "--progress-json"],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert done.returncode == 0
    events = [json.loads(line) for line in done.stderr.splitlines()]
    stages = list(dict.fromkeys(e["stage"] for e in events))
    assert stages == ["读取台账文件", "核对台账内容", "逐条检查规则", "写出报告"]
    for stage in stages:
        mine = [e for e in events if e["stage"] == stage]
        assert mine[0]["done"] == 0 and mine[-1]["done"] == mine[-1]["total"] > 0
        assert [e["done"] for e in mine] == sorted(e["done"] for e in mine)
    failed = subprocess.run(
        [sys.executable, "-m", "accountability", "audit", str(tmp_path / "nowhere"), "--as-of", "2025-09-30",
         "--no-history", "--progress-json"],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert failed.returncode == 2
    first = json.loads(failed.stderr.splitlines()[0])
    assert set(first) == {"error"} and "找不到" in first["error"]

"""The command line: each bad input gives one clear line and the right exit code; never a traceback."""

import gc
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from example_audit import EXAMPLES
from workbooks import xlsx

from accountability.audit import service
from accountability.cli import cli
from accountability.errors import AccountabilityError
from accountability.tuning import Tuning

UNITS = [["单位编码", "单位名称", "层级", "上级单位", "是否涉矿"], ["HJ", "洪江市", "市", None, None],
         ["T1", "雪峰镇", "镇", "洪江市", "是"], ["V1", "雪峰村", "村", "雪峰镇", None]]  # fmt: skip
PEOPLE = [
    ["人员编号", "姓名", "所在单位", "角色"],
    ["P1", "王镇长", "雪峰镇", "主要负责人"],
    ["P2", "刘队长", "雪峰镇", "巡查队长"],
]
ROOT = Path(__file__).resolve().parents[1]
PATROL_HEADER = ["巡查编号", "巡查日期", "巡查单位", "巡查类型", "巡查区域", "带队人"]


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def ledger_set(tmp_path, patrols, units=UNITS, extra=None):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    xlsx(folder / "单位名册.xlsx", {"Sheet1": [["洪江市单位名册"], *units]})
    xlsx(folder / "责任人名册.xlsx", {"Sheet1": PEOPLE})
    xlsx(folder / "巡查台账.xlsx", {"Sheet1": [PATROL_HEADER, *patrols], **(extra or {})})
    return folder


def audit(folder, tmp_path, *more):
    return run("audit", folder, "--pack", "hongjiang-2025", "--from", "2025-09-01", "--as-of", "2025-09-14",
               "--out", tmp_path / "out", *more)  # fmt: skip


def findings(tmp_path):
    return json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))


def test_impossible_date_and_unknown_unit_are_reported_with_file_row_column(tmp_path):
    folder = ledger_set(
        tmp_path,
        [["X1", "2025-09-31", "雪峰镇", "日常巡查", "雪峰村", "刘队长"],
         ["X2", "2025-09-02", "雪峰乡", "日常巡查", "雪峰村", "刘队长"],
         ["X3", "2025-09-03", "雪峰镇", "日常巡查", "雪峰村、石门村", "刘队长"]],
    )  # fmt: skip
    result = audit(folder, tmp_path)
    assert result.exit_code == 0, result.output
    assert "巡查台账.xlsx/Sheet1 第2行 列「巡查日期」：「2025-09-31」无法识别的日期" in result.output
    assert "巡查台账.xlsx/Sheet1 第3行 列「巡查单位」：「雪峰乡」未知单位" in result.output
    assert "巡查台账.xlsx/Sheet1 第4行 列「巡查区域」：「雪峰村、石门村」未知单位：石门村" in result.output
    doc = findings(tmp_path)
    invalid = {(f["unit"], f["record"]) for f in doc["findings"] if f["rule"] == "DATA-INVALID-ROW"}
    assert invalid == {("T1", "X1"), ("HJ", "X2"), ("T1", "X3")}
    patrols = next(led for led in doc["audit"]["ledgers"] if led["ledger"] == "patrols")
    assert (patrols["rows_read"], patrols["rows_used"], patrols["rows_rejected"]) == (3, 1, 2)


def test_two_units_with_one_name(tmp_path):
    units = [*UNITS, ["T2", "雪峰镇", "镇", "洪江市", "否"]]
    rows = [
        ["X1", "2025-09-01", "雪峰镇", "日常巡查", "雪峰村", "刘队长"],
        ["X2", "2025-09-02", "T1", "日常巡查", "雪峰村", "刘队长"],
    ]
    folder = ledger_set(tmp_path, rows, units=units)
    result = audit(folder, tmp_path)
    assert result.exit_code == 0
    assert "第2行 列「巡查单位」：「雪峰镇」单位名称重名（对应多个单位）" in result.output
    assert "请填编码" in result.output


def test_missing_units_ledger_exits_2(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    xlsx(folder / "巡查台账.xlsx", {"Sheet1": [PATROL_HEADER, ["X1", "2025-09-01", "T1", "日常巡查", "V1", "P2"]]})
    result = audit(folder, tmp_path)
    assert result.exit_code == 2
    assert "缺少单位名册" in result.output and "单位名册.xlsx" in result.output


def test_a_password_protected_optional_file_is_named_and_the_audit_goes_on(tmp_path):
    folder = ledger_set(tmp_path, [["X1", "2025-09-01", "雪峰镇", "日常巡查", "雪峰村", "刘队长"]])
    (folder / "举报线索台账.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = audit(folder, tmp_path)
    assert result.exit_code == 0, result.output
    assert "无法读取的台账：举报线索台账（tips）（相关检查项不作认定）" in result.output
    assert "举报线索台账.xlsx：无法读取文件：文件设有打开密码（已加密）（请在 Excel 中取消打开密码" in result.output
    assert "举报线索台账" not in result.output.split("缺少台账：")[1].splitlines()[0]
    [unread] = [f for f in findings(tmp_path)["findings"] if f["record"] == "tips"]
    assert (unread["rule"], unread["actual"]) == ("DATA-LEDGER-MISSING", "无法读取")
    assert unread["message"].endswith("无法读取，未能检查：HJ-REWARD-TIER、HJ-TIP-VERIFY")


def test_a_password_protected_unit_register_exits_2(tmp_path):
    folder = ledger_set(tmp_path, [])
    (folder / "单位名册.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = audit(folder, tmp_path)
    assert result.exit_code == 2
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith("错误：单位名册.xlsx：单位名册无法使用：无法读取文件：文件设有打开密码")
    )


def test_sheet_no_ledger_matches_is_a_warning(tmp_path):
    folder = ledger_set(tmp_path, [], extra={"统计": [["乡镇", "数量"], ["雪峰镇", 3]]})
    result = audit(folder, tmp_path)
    assert result.exit_code == 0
    assert "巡查台账.xlsx/统计：工作表「统计」未识别为任何台账" in result.output


def test_missing_ledger_path_and_bad_dates_exit_2(tmp_path):
    result = run("audit", tmp_path / "nowhere", "--as-of", "2025-09-30")
    assert result.exit_code == 2 and "找不到台账文件夹或文件" in result.output
    result = run("audit", tmp_path, "--as-of", "2025-13-01")
    assert result.exit_code == 2 and "无法识别的日期「2025-13-01」" in result.output
    result = run("audit", tmp_path, "--from", "2025-10-01", "--as-of", "2025-09-01")
    assert result.exit_code == 2 and "晚于" in result.output


def test_fail_on_and_set(tmp_path):
    folder = ledger_set(tmp_path, [["X1", "2025-09-01", "雪峰镇", "日常巡查", "雪峰村", "刘队长"]])
    assert audit(folder, tmp_path, "--fail-on", "medium").exit_code == 1
    assert audit(folder, tmp_path, "--fail-on", "high").exit_code == 0
    audit(folder, tmp_path, "--set", "hongjiang-2025.weekly_patrol_days=1")
    weekly = [(f["period"], f["actual"]) for f in findings(tmp_path)["findings"] if f["rule"] == "HJ-PATROL-WEEKLY"]
    assert weekly == [("2025-W37", "0")]
    result = audit(folder, tmp_path, "--set", "hongjiang-2025.weekly_days=1")
    assert result.exit_code == 2 and "是否应为「weekly_patrol_days」" in result.output


def test_formats_and_english(tmp_path):
    folder = ledger_set(tmp_path, [])
    result = audit(folder, tmp_path, "--format", "json", "--lang", "en")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["findings.json", "referrals.json"]


BAD_RULE = textwrap.dedent(
    """\
    id: county
    title: 县方案
    issuer: 县政府
    date: "2025"
    version: "1"
    effective: {from: 2025-01-01}
    rules:
      - id: CT-WEEKLY
        title: 每周巡查
        clause: 一
        quote: 每周巡查
        kind: count_per_week
        params: {}
    """
)


def test_rule_file_with_a_typo(tmp_path):
    path = tmp_path / "county.yaml"
    path.write_text(BAD_RULE, encoding="utf-8")
    result = run("rules", "check", path)
    assert result.exit_code == 2
    assert f"{path}:12" in result.output and "未知检查类型「count_per_week」" in result.output
    assert "count_per_period" in result.output
    folder = ledger_set(tmp_path, [])
    result = run("audit", folder, "--pack", path, "--as-of", "2025-09-30", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "未知检查类型" in result.output


def test_rules_list_check_and_test():
    result = run("rules", "list", "--pack", "hongjiang-2025")
    assert result.exit_code == 0
    assert "HJ-PATROL-WEEKLY" in result.output and "INT-PHOTO-REUSE" in result.output
    rules = ROOT / "rules"
    result = run("rules", "check", rules / "hongjiang-2025.yaml", rules / "common.yaml", rules / "referral.yaml")
    assert result.exit_code == 0 and result.output.count("✓") == 3
    assert "referral.yaml：问责处置规则，5 级处置" in result.output
    result = run("rules", "test")
    assert result.exit_code == 0
    assert "✓ HJ-PATROL-WEEKLY" in result.output and " 0 failed" in result.output


@pytest.mark.parametrize("args", [["--help"], ["audit", "--help"], ["rules", "--help"], ["--version"]])
def test_help(args):
    assert run(*args).exit_code == 0


OFFICE_UNITS = [["单位编码", "单位名称", "层级", "上级单位"], ["YY", "沂源县自然资源局", "局", None],
                ["S1", "南麻自然资源所", "自然资源所", "沂源县自然资源局"]]  # fmt: skip
OFFICE_PEOPLE = [["人员编号", "姓名", "所在单位", "角色"], ["P1", "局长", "沂源县自然资源局", "主要负责人"],
                 ["P2", "所长", "南麻自然资源所", "主要负责人、联络员"]]  # fmt: skip


def test_holidays_of_an_unknown_year_provisional_until_a_notice_is_given(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    xlsx(folder / "单位名册.xlsx", {"Sheet1": OFFICE_UNITS})
    xlsx(folder / "责任人名册.xlsx", {"Sheet1": OFFICE_PEOPLE})
    reports = [
        ["编号", "报送单位", "报送事项", "所属期", "报送日期"],
        ["R1", "南麻自然资源所", "月度统计表", "2027-04", "2027-04-26"],
    ]
    xlsx(folder / "报送记录.xlsx", {"Sheet1": reports})
    args = ["audit", folder, "--pack", "yiyuan", "--from", "2027-04-01", "--as-of", "2027-04-30", "--format", "json"]
    result = run(*args, "--out", tmp_path / "a")
    assert result.exit_code == 0
    assert "日历库尚未收录 2027 年的节假日安排" in result.output
    doc = json.loads((tmp_path / "a" / "findings.json").read_text(encoding="utf-8"))
    assert doc["audit"]["provisional"] is True and doc["audit"]["calendar_unknown_years"] == [2027]
    assert [f["rule"] for f in doc["findings"] if f["provisional"]] == []  # 04-24 → Monday 04-26: on time
    notice = tmp_path / "2027.yaml"
    notice.write_text("workdays: [2027-04-25]\n", encoding="utf-8")
    result = run(*args, "--out", tmp_path / "b", "--holidays", notice)
    assert result.exit_code == 0 and "日历库尚未收录" not in result.output
    doc = json.loads((tmp_path / "b" / "findings.json").read_text(encoding="utf-8"))
    late = [f for f in doc["findings"] if f["rule"] == "YY-MONTHLY-REPORT"]
    assert [(f["unit"], f["period"], f["actual"], f["provisional"]) for f in late] == [
        ("S1", "2027-04", "2027-04-26报送，逾期", False)
    ]
    result = run(*args, "--out", tmp_path / "c", "--holidays", tmp_path / "none.yaml")
    assert result.exit_code == 2 and "找不到节假日文件" in result.output


def test_rules_list_across_all_packs():
    result = run("rules", "list")
    assert result.exit_code == 0
    for pack in ("common", "hongjiang-2025", "jincheng-2021", "yanhu-2022", "tangyuan-2022", "yiyuan"):
        assert f"# {pack}" in result.output
    for rule in ("JC-CLOSURE-SIX", "YH-SAT-INCONSISTENT", "TY-JOINT-ENFORCEMENT", "YY-MONTHLY-REPORT"):
        assert rule in result.output


def test_a_city_names_its_own_closure_standards(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    xlsx(folder / "单位名册.xlsx", {"Sheet1": UNITS})
    xlsx(folder / "责任人名册.xlsx", {"Sheet1": PEOPLE})
    header = ["编号", "乡镇", "监管责任人", "吊销相关证照", "停止供应并处理火工用品", "s3",
              "封闭、填实矿井井筒，平整井口场地", "复绿", "妥善遣散从业人员"]  # fmt: skip
    xlsx(
        folder / "关闭坑口记录.xlsx",
        {"Sheet1": [header, ["G1", "雪峰镇", "王镇长", "是", "是", "是", "是", "否", "是"]]},
    )
    args = ["audit", folder, "--pack", "jincheng-2021", "--as-of", "2022-01-31", "--format", "json"]
    result = run(*args, "--set", "jincheng-2021.s5=复绿", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    found = [f for f in findings(tmp_path)["findings"] if f["rule"] == "JC-CLOSURE-SIX"]
    assert [(f["record"], f["actual"]) for f in found] == [("G1", "缺 复绿（未达到）")]
    result = run(*args, "--out", tmp_path / "out")
    found = [f for f in findings(tmp_path)["findings"] if f["rule"] == "JC-CLOSURE-SIX"]
    assert [(f["record"], f["actual"]) for f in found] == [("G1", "缺 恢复地貌（未达到）")]


def _json_audit(tmp_path: Path) -> service.AuditRequest:
    """The Hongjiang example audited as of 2025-09-30 into tmp_path/out, findings.json and referrals.json only."""
    return service.AuditRequest(
        ledgers=EXAMPLES / "hongjiang-2025", packs=("hongjiang-2025",), as_of="2025-09-30", out=tmp_path / "out",
        history=None, formats=("json",),
    )  # fmt: skip


def test_the_command_audits_with_the_collector_paused_and_leaves_it_on(tmp_path, monkeypatch):
    """The command line's Tuning pauses the cyclic garbage collector for the audit and its outputs, and turns it on
    again after, also when the audit fails; a library caller's Tuning() leaves it as it is."""
    seen = []
    real = service.run_audit

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "run_audit", watched)
    request = _json_audit(tmp_path)
    assert gc.isenabled()
    service.perform(request, Tuning.batch())
    assert seen == [False] and gc.isenabled()
    service.perform(request, Tuning())
    assert seen == [False, True] and gc.isenabled()
    with pytest.raises(AccountabilityError):
        service.perform(request.model_copy(update={"ledgers": tmp_path / "missing"}), Tuning.batch())
    assert gc.isenabled()


def test_the_audit_lets_its_ledgers_go_before_writing(tmp_path):
    """The command's audit hands back its doc and referrals without the typed ledgers, let go before the outputs
    are written (their memory serves the outputs); what it wrote is there, and the doc names the ledger set."""
    request = _json_audit(tmp_path)
    done = service.perform(request, Tuning.batch())
    assert done.result.ledgers is None and done.out == tmp_path / "out"
    assert len(done.result.doc["findings"]) == 26 and done.result.doc["audit"]["ledger_set"] == "hongjiang-2025"
    assert [p.name for p in done.files] == ["findings.json", "referrals.json"]

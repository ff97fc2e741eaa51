"""A new plan is one YAML file: tests/packs/qingshi-2026.yaml, a plan not in rules/, declares its own two ledgers,
judges a daily duty and a campaign-long one, ties a 自然资源所 to the township it serves and sets an accountability
floor, and audits its ledgers with no Python of its own; `rules new` drafts a pack from any plan's text."""

import csv
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from accountability.audit.examples import run_clause_examples, run_examples
from accountability.cli import cli
from accountability.errors import AccountabilityError
from accountability.ingest.units import Subjects, UnitFilter, UnitTree
from accountability.packs.drafting import DEADLINE, FREQUENCY, NUMBER, draft_pack, read_head
from accountability.packs.loading import load_pack, load_packs
from accountability.packs.quotes import plain
from accountability.referral.policy import load_policy

TESTS = Path(__file__).resolve().parent
PACK = TESTS / "packs" / "qingshi-2026.yaml"
PLAN = TESTS / "packs" / "plans" / "qingshi-2026.txt"
SEEDS = TESTS.parent / "rules"
SEED_PACKS = ["hongjiang-2025", "jincheng-2021", "tangyuan-2022", "yanhu-2022", "yiyuan"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def ledgers(folder: Path) -> Path:
    """The county's ledgers: the registers as CSV, the river log as an Excel workbook with a title row above its
    header, the pledges as CSV. 石门乡 misses 3-05 and 3-06; 河口镇 misses 4-01; the 自然资源所 patrols for 河口镇
    on the 2nd of each month; one log row has an impossible date; 石门乡's pledge has a blank status."""
    folder.mkdir()
    write_csv(
        folder / "单位名册.csv",
        ["单位编码", "单位名称", "层级", "上级单位", "是否涉矿", "服务乡镇"],
        [
            ["QS", "青石县", "县", "", "", ""],
            ["T1", "河口镇", "镇", "青石县", "是", ""],
            ["T2", "石门乡", "乡", "青石县", "是", ""],
            ["T3", "城关镇", "镇", "青石县", "否", ""],
            ["O1", "河口自然资源所", "自然资源所", "青石县", "", "河口镇"],
        ],
    )
    write_csv(
        folder / "责任人名册.csv",
        ["人员编号", "姓名", "所在单位", "角色"],
        [
            ["P00", "县长甲", "青石县", "主要负责人"],
            ["P11", "镇长乙", "河口镇", "主要负责人"],
            ["P21", "乡长丙", "石门乡", "主要负责人"],
            ["P41", "所长戊", "河口自然资源所", "主要负责人"],
        ],
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["青石县河道巡查日志（2026年）"])
    sheet.append(["巡查编号", "巡查日期", "巡查单位", "巡查河段"])
    day, number = date(2026, 3, 1), 0
    while day <= date(2026, 6, 8):
        for town in ("河口镇", "石门乡"):
            if (town, day) in {
                ("石门乡", date(2026, 3, 5)),
                ("石门乡", date(2026, 3, 6)),
                ("河口镇", date(2026, 4, 1)),
            }:
                continue
            number += 1
            unit = "河口自然资源所" if town == "河口镇" and day.day == 2 else town
            sheet.append([f"R{number}", day.isoformat(), unit, "青石河"])
        day += timedelta(days=1)
    book.save(folder / "河道巡查日志.xlsx")
    write_csv(
        folder / "责任书台账.csv",
        ["责任书编号", "签订乡镇", "签订日期", "签订状态"],
        [["Z1", "河口镇", "2026-03-10", "已签订"], ["Z2", "石门乡", "2026-03-12", "草拟"]],
    )
    return folder


def test_the_new_plan_passes_rules_check_and_its_examples():
    result = run("rules", "check", PACK)
    assert result.exit_code == 0, result.output
    assert "规则包 qingshi-2026，3 条规则，3 个示例" in result.output
    packs = load_packs([str(PACK)])
    examples = run_examples(packs) + run_clause_examples(packs, load_policy())
    ours = [r for r in examples if r.pack == "qingshi-2026"]
    assert [(r.rule, r.passed) for r in ours] == [
        ("QS-RIVER-DAILY", True), ("QS-PLEDGE", True), ("QS-PLEDGE", True), ("四(一)#1", True)
    ]  # fmt: skip


def test_a_wrong_expectation_of_the_new_plan_fails(tmp_path):
    """The examples bind: the 自然资源所's head answers with the township's, and a pack expecting otherwise fails."""
    shutil.copytree(PACK.parent, tmp_path / "packs")
    path = tmp_path / "packs" / PACK.name
    text = path.read_text(encoding="utf-8").replace("responsible: [P11, P41]", "responsible: [P11]")
    path.write_text(text, encoding="utf-8")
    results = run_examples([load_pack(path)])
    failed = [r for r in results if not r.passed]
    assert [r.rule for r in failed] == ["QS-RIVER-DAILY"]


def test_the_new_plan_audits_its_own_ledgers(tmp_path):
    folder = ledgers(tmp_path / "台账")
    out = tmp_path / "out"
    result = run("audit", folder, "--pack", PACK, "--as-of", "2026-06-30", "--out", out, "--no-history")
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    found = sorted((f["rule"], f["unit"], f["period"], f["actual"], f["doubtful"]) for f in doc["findings"])
    assert found == [
        ("QS-PLEDGE", "T2", "2026-03-01~2026-06-08", "0", False),
        ("QS-RIVER-DAILY", "T1", "2026-04-01", "0", False),
        ("QS-RIVER-DAILY", "T2", "2026-03-05", "0", False),
        ("QS-RIVER-DAILY", "T2", "2026-03-06", "0", False),
    ]
    by_key = {(f["rule"], f["period"]): f for f in doc["findings"]}
    assert sorted(by_key[("QS-RIVER-DAILY", "2026-04-01")]["responsible"]) == ["P11", "P41"]
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    dispositions = {r["person"]: r["disposition"] for r in referrals}
    assert dispositions == {"P11": "interview", "P21": "interview", "P41": "interview"}  # 四(一) 一律约谈
    assert all("四(一)" in r["basis_clause"] for r in referrals)
    letter = next((out / "letters").glob("*所长戊.html")).read_text(encoding="utf-8")
    assert "约谈通知书" in letter and "2026年4月1日" in letter and "青打非办〔2026〕" in letter
    assert "巡查台账" not in result.output  # the shared rules' patrol ledger is no duty of this plan


def test_a_blank_cell_or_unreadable_row_of_a_pack_ledger_is_read_in_the_unit_favour(tmp_path):
    folder = ledgers(tmp_path / "台账")
    book = load_workbook(folder / "河道巡查日志.xlsx")
    book.active.append(["R9999", "2026-13-01", "石门乡", "青石河"])
    book.save(folder / "河道巡查日志.xlsx")
    text = (folder / "责任书台账.csv").read_text(encoding="utf-8").replace("草拟", "")
    (folder / "责任书台账.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run("audit", folder, "--pack", PACK, "--as-of", "2026-06-30", "--out", out, "--no-history")
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    doubtful = {
        (f["rule"], f["unit"], f["period"]): f["doubtful"] for f in doc["findings"] if f["rule"] != "DATA-INVALID-ROW"
    }
    assert doubtful == {
        ("QS-PLEDGE", "T2", "2026-03-01~2026-06-08"): True,  # a blank 签订状态 may be 已签订
        ("QS-RIVER-DAILY", "T1", "2026-04-01"): False,
        ("QS-RIVER-DAILY", "T2", "2026-03-05"): True,  # the unreadable row of 石门乡 may be that day's
        ("QS-RIVER-DAILY", "T2", "2026-03-06"): True,
    }
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    assert {r["person"] for r in referrals if r["disposition"] != "reminder"} == {"P11", "P41"}


def _fill(path: Path, rows: list[list]) -> None:
    """A template filled in: its example row overwritten by the clerk's rows."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(3, sheet.max_row)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_templates_for_a_pack_hold_its_ledgers_and_read_back_filled_in(tmp_path):
    folder = tmp_path / "t"
    result = run("templates", "--pack", PACK, "--out", folder)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["单位名册.xlsx", "河道巡查日志.xlsx", "责任书台账.xlsx", "责任人名册.xlsx"]  # no patrol ledger
    sheet = load_workbook(folder / "河道巡查日志.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(max_row=2, values_only=True))
    assert rows[1] == ("巡查编号（必填）", "巡查日期（必填）", "巡查单位（必填）", "巡查河段", "带队人", "是否发现问题")
    _fill(folder / "单位名册.xlsx", [
        ["QS", "青石县", "县", None, None, None, None], ["T1", "河口镇", "乡镇", "青石县", "是", None, None],
        ["O1", "河口自然资源所", "自然资源所", "青石县", None, None, "河口镇"],
    ])  # fmt: skip
    _fill(folder / "责任人名册.xlsx", [["P1", "镇长乙", "河口镇", "镇长", "主要负责人", None]])
    days = [date(2026, 3, 1) + timedelta(days=i) for i in range(100)]
    _fill(folder / "河道巡查日志.xlsx", [
        [f"R{i}", day, "河口镇" if i % 7 else "河口自然资源所", "青石河", "镇长乙", "否"]
        for i, day in enumerate(days) if i != 10
    ])  # fmt: skip
    _fill(folder / "责任书台账.xlsx", [["Z1", "河口镇", None, date(2026, 3, 10), "已签订"]])
    out = tmp_path / "out"
    result = run("audit", folder, "--pack", PACK, "--as-of", "2026-06-30", "--out", out, "--no-history")
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    found = sorted((f["rule"], f["unit"], f["period"], f["record"]) for f in doc["findings"])
    # the 自然资源所 has no main leader on the register: that is reported, and nobody answers in its place
    assert found == [("DATA-ROLE-UNFILLED", "O1", "", "main_leader"), ("QS-RIVER-DAILY", "T1", "2026-03-11", "")]
    assert [f["responsible"] for f in doc["findings"] if f["rule"] == "QS-RIVER-DAILY"] == [["P1"]]
    plain_run = run("templates", "--out", tmp_path / "all")
    assert "河道巡查日志.xlsx" not in {p.name for p in (tmp_path / "all").iterdir()}, plain_run.output


def _pack_copy(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copytree(PACK.parent, tmp_path / "packs", dirs_exist_ok=True)
    path = tmp_path / "packs" / PACK.name
    text = PACK.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_ledger_named_as_a_builtin_one_is_refused_naming_both(tmp_path):
    path = _pack_copy(tmp_path, "  river_patrols:\n", "  patrols:\n")
    with pytest.raises(AccountabilityError, match="与内置台账「巡查台账」（patrols）同名"):
        load_pack(path)
    path = _pack_copy(tmp_path, "names: [河道巡查日志, 河道巡查记录]", "names: [河道巡查日志, 巡查记录]")
    with pytest.raises(AccountabilityError, match="「巡查记录」与内置台账「巡查台账」（patrols）的名称相同"):
        load_pack(path)


def test_a_quote_with_a_half_width_comma_says_which_character_differs(tmp_path):
    path = _pack_copy(tmp_path, "不少于1次，巡查情况记入", "不少于1次,巡查情况记入")
    with pytest.raises(AccountabilityError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert "规则 QS-RIVER-DAILY 的引文在方案原文中找不到" in message
    assert "不少于1次【，】巡查情况" in message
    assert "引文写作「,」（半角逗号），原文是「，」（全角逗号）" in message


def test_an_unknown_key_lists_the_allowed_ones(tmp_path):
    path = _pack_copy(tmp_path, "      match: unit_or_served", "      matsh: unit_or_served")
    with pytest.raises(AccountabilityError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert "未知字段「matsh」（位于 rules → 第1条 → params）" in message
    assert "是否应为「match」？" in message and "period" in message and "subjects" in message
    assert "docs/writing-packs.md「字段一览」" in message
    assert "## 字段一览" in (TESTS.parent / "docs" / "writing-packs.md").read_text(encoding="utf-8")
    path = _pack_copy(
        tmp_path, "{key: reach, headers: [巡查河段, 河段], type: text", "{key: reach, headers: [巡查河段], typ: text"
    )
    with pytest.raises(AccountabilityError, match=r"未知字段「typ」.*可选：example、future、headers、key"):
        load_pack(path)


def test_a_campaign_rule_needs_the_plan_end(tmp_path):
    path = _pack_copy(tmp_path, "effective: {from: 2026-03-01, to: 2026-06-08}", "effective: {from: 2026-03-01}")
    with pytest.raises(AccountabilityError, match="period: campaign"):
        load_pack(path)


def test_the_head_of_a_plan_is_read():
    head = read_head(PLAN.read_text(encoding="utf-8"))
    assert head.title == "青石县2026年打击非法采砂采石“百日攻坚”专项行动实施方案"
    assert (head.issuer, head.issued, head.number) == ("青石县人民政府办公室", "2026-02", "青政办发〔2026〕12号")
    assert (head.first, head.last) == (date(2026, 3, 1), date(2026, 6, 8))


def test_rules_new_drafts_a_pack_rules_check_accepts(tmp_path):
    shutil.copytree(PLAN.parent, tmp_path / "plans")
    out = tmp_path / "rules" / "qingshi-2026.yaml"
    result = run("rules", "new", "--plan", tmp_path / "plans" / PLAN.name, "--out", out)
    assert result.exit_code == 0, result.output
    assert run("rules", "check", out).exit_code == 0
    pack = load_pack(out)
    assert (pack.id, pack.title, pack.issuer, pack.date) == (
        "qingshi-2026", "青石县2026年打击非法采砂采石“百日攻坚”专项行动实施方案", "青石县人民政府办公室", "2026-02"
    )  # fmt: skip
    by_clause = {rule.clause: rule for rule in pack.rules}
    assert by_clause["二(二)"].quote == "各涉砂乡镇每天开展河道巡查不少于1次，巡查情况记入河道巡查日志；"
    assert all(rule.kind == "manual" for rule in pack.rules)
    text = out.read_text(encoding="utf-8")
    assert "    #   period: day\n    #   min: 1" in text  # the likely kind, filled from the sentence
    assert re.search(r"#\s+quote: \"对河道巡查不到位、责任书未签订的，一律约谈", text)
    assert "#     at_least: interview" in text
    assert run("rules", "new", "--plan", tmp_path / "plans" / PLAN.name, "--out", out).exit_code == 2  # no overwrite


@pytest.mark.parametrize("seed", SEED_PACKS)
def test_rules_new_on_each_seed_plan_quotes_what_the_real_pack_encodes(tmp_path, seed):
    out = tmp_path / f"{seed}.yaml"
    text, _, _ = draft_pack(SEEDS / "plans" / f"{seed}.txt", out)
    out.write_text(text, encoding="utf-8")
    draft = load_pack(out)  # what rules check runs
    drafted = [plain(rule.quote) for rule in draft.rules]
    real = load_pack(SEEDS / f"{seed}.yaml")
    encoded = [
        rule
        for rule in real.rules
        if rule.kind not in ("manual", "data")
        and (NUMBER.search(rule.quote) or DEADLINE.search(rule.quote) or FREQUENCY.search(rule.quote))
    ]
    assert encoded
    missed = [r.id for r in encoded if not any(plain(r.quote) in d or d in plain(r.quote) for d in drafted)]
    assert missed == []
    assert (
        draft.title == real.title or plain(draft.title) in plain(real.title) or plain(real.title) in plain(draft.title)
    )


def test_unit_links_choose_subjects_and_the_serving_units_of_a_village():
    units = UnitTree(
        pd.DataFrame(
            {
                "id": ["QS", "T1", "T2", "V11", "O1", "S1"],
                "name": ["青石县", "河口镇", "石门乡", "河口村", "河口自然资源所", "城关派出所"],
                "level": ["county", "township", "township", "village", "office", "department"],
                "parent": [None, "QS", "QS", "T1", "QS", "QS"],
                "mining": [None, True, True, None, None, None],
                "serves": [None, None, None, None, ["T1"], ["T1", "T2"]],
            }
        )
    )
    assert units.select(Subjects(serving=True)) == ["O1", "S1"]
    assert units.select(Subjects(levels=["township"], served_by=UnitFilter(levels=["office"]))) == ["T1"]
    assert units.select(Subjects(levels=["township"], serving=False)) == ["T1", "T2"]
    found = units.servers(pd.Series(["V11", "T2", "QS"]))
    assert sorted(map(tuple, found.to_numpy().tolist())) == [(0, "O1"), (0, "S1"), (1, "S1")]


def test_a_ledger_kept_in_two_files_counts_each_file_on_its_own(tmp_path):
    folder = ledgers(tmp_path / "台账")
    write_csv(
        folder / "补录河道巡查日志.csv",
        ["巡查编号", "巡查日期", "巡查单位"],
        [["B1", "2026-03-05", "石门乡"], ["B2", "2026-13-06", "石门乡"], ["B3", "2026-03-06", "查无此乡"]],
    )
    out = tmp_path / "out"
    result = run("audit", folder, "--pack", PACK, "--as-of", "2026-06-30", "--out", out, "--no-history")
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    files = {e["file"]: (e["rows_read"], e["rows_used"], e["rows_rejected"]) for e in doc["audit"]["ledgers"]}
    assert files["补录河道巡查日志.csv"] == (3, 1, 2)
    assert files["河道巡查日志.xlsx"][2] == 0
    assert "河道巡查日志（补录河道巡查日志.csv）：读取 3 行，剔除 2 行" in result.output
    assert "河道巡查日志.xlsx）" not in result.output.split("台账剔除行：", 1)[1].split("数据错误", 1)[0]


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_a_plan_saved_as_gbk_or_utf16_is_read_as_it_was_written(tmp_path, encoding):
    """What Word and Notepad write as plain text on a Chinese Windows is GBK, Notepad's “Unicode” UTF-16."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.txt").write_bytes(PLAN.read_text(encoding="utf-8").encode(encoding))
    out = tmp_path / "county-2026.yaml"
    result = run("rules", "new", "--plan", tmp_path / "plans" / "plan.txt", "--out", out)
    assert result.exit_code == 0, result.output
    pack = load_pack(out)
    assert pack.title == "青石县2026年打击非法采砂采石“百日攻坚”专项行动实施方案"
    assert "各涉砂乡镇每天开展河道巡查不少于1次，巡查情况记入河道巡查日志；" in [r.quote for r in pack.rules]


def test_a_plan_without_accountability_clauses_cites_its_own_duty_in_the_letter(tmp_path):
    shutil.copytree(PACK.parent, tmp_path / "packs")
    path = tmp_path / "packs" / PACK.name
    text = PACK.read_text(encoding="utf-8")
    path.write_text(text[: text.index("accountability:\n")] + text[text.index("rules:\n") :], encoding="utf-8")
    folder = ledgers(tmp_path / "台账")
    book = load_workbook(folder / "河道巡查日志.xlsx")
    book.active.append(["R9999", "2026-13-01", "石门乡", "青石河"])
    book.save(folder / "河道巡查日志.xlsx")
    out = tmp_path / "out"
    run("audit", folder, "--pack", path, "--as-of", "2026-06-30", "--out", out, "--no-history")
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    duty = "《青石县2026年打击非法采砂采石“百日攻坚”专项行动实施方案》二(二)“各涉砂乡镇每天开展河道巡查不少于1次"
    by_person = {r["person"]: r for r in referrals}
    assert by_person["P41"]["basis"].startswith(duty) and by_person["P41"]["basis_clause"] == "二(二)"
    pledge = "《青石县2026年打击非法采砂采石“百日攻坚”专项行动实施方案》二(一)“行动期间每个涉砂乡镇至少签订1份责任书”"
    assert by_person["P21"]["basis"] == pledge  # her strongest finding; her unreadable row cites no contract
    assert {f["rule"] for f in by_person["P21"]["findings"]} >= {"QS-PLEDGE", "DATA-INVALID-ROW"}
    letters = "".join(p.read_text(encoding="utf-8") for p in (out / "letters").glob("*.html"))
    assert "各方案问责条款" not in letters


@pytest.mark.parametrize("seed", ["hongjiang-2025", "jincheng-2021", "tangyuan-2022", "yanhu-2022"])
def test_rules_new_reads_the_span_the_real_pack_has(tmp_path, seed):
    """ "自2022年12月初起至2023年3月底", stages (2022年4月7日—7月15日) refining "从2022年4月至2023年3月底", or the day
    the plan was issued where it names no span."""
    head = read_head((SEEDS / "plans" / f"{seed}.txt").read_text(encoding="utf-8"))
    real = load_pack(SEEDS / f"{seed}.yaml").effective
    assert head.first == real.from_
    assert head.last in (None, real.to) and (head.last is None) == (seed in ("hongjiang-2025", "jincheng-2021"))

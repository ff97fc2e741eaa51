"""`accountability templates`: blank ledgers a clerk fills in, which ingest reads back as written and as filled."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from accountability.audit.pipeline import read_ledgers
from accountability.cli import cli
from accountability.contract.schema import ledger_specs
from accountability.forms.ledger_templates import INSTRUCTIONS_SHEET, VALUES_SHEET, WORKBOOK_NAME, sheet_name
from accountability.ingest.files import ledger_for_name

SPECS = ledger_specs()
REQUIRED = "（必填）"


def run(*args):
    result = CliRunner().invoke(cli, ["templates", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def test_one_file_per_ledger_named_so_ingest_recognises_it():
    result = run("--out", "模板")
    assert result.exit_code == 0, result.output
    names = {f"{sheet_name(spec)}.xlsx" for spec in SPECS.values()}
    assert {p.name for p in Path("模板").iterdir()} == names
    lines = result.output.strip().splitlines()
    assert sorted(lines[:-1]) == sorted(f"已写出 {Path('模板') / name}" for name in names)
    assert "填表说明" in lines[-1] and "accountability audit" in lines[-1]
    assert sheet_name(SPECS["closures"]) == "关闭矿井记录"
    for key, spec in SPECS.items():
        name = sheet_name(spec)
        assert ledger_for_name(name) == key and len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_workbook_has_a_sheet_per_ledger_the_instructions_and_the_hidden_lists():
    result = run("--out", "模板", "--workbook")
    assert result.exit_code == 0, result.output
    assert [p.name for p in Path("模板").iterdir()] == [WORKBOOK_NAME]
    book = load_workbook(Path("模板") / WORKBOOK_NAME)
    assert book.sheetnames == [*(sheet_name(s) for s in SPECS.values()), INSTRUCTIONS_SHEET, VALUES_SHEET]
    assert book[VALUES_SHEET].sheet_state == "hidden"
    notes = [row[0] for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True)]
    assert all(any(str(n).startswith(spec.title) for n in notes) for spec in SPECS.values())


def test_out_that_is_a_file_is_one_line_and_exit_2():
    Path("模板").write_text("x", encoding="utf-8")
    result = run("--out", "模板")
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "文件夹" in result.output


def test_a_filled_ledger_of_the_same_name_is_never_overwritten():
    Path("台账").mkdir()
    (Path("台账") / "巡查台账.xlsx").write_bytes(b"filled")
    result = run("--out", "台账")
    assert result.exit_code == 2 and "巡查台账.xlsx" in result.output
    assert (Path("台账") / "巡查台账.xlsx").read_bytes() == b"filled"
    assert len(list(Path("台账").iterdir())) == 1


@pytest.mark.parametrize("workbook", [False, True])
def test_the_template_set_as_written_reads_without_a_single_error(workbook):
    assert run("--out", "模板", *(["--workbook"] if workbook else [])).exit_code == 0
    ledgers = read_ledgers(Path("模板") / WORKBOOK_NAME if workbook else Path("模板"))
    assert ledgers.errors.empty, ledgers.errors.to_string()
    assert ledgers.problems == []
    assert {key: len(frame) for key, frame in ledgers.frames.items()} == dict.fromkeys(SPECS, 1)
    assert ledgers.frame("people")["unit"].tolist() == ledgers.frame("units")["id"].tolist()


def fill(path: Path, rows: list[dict[str, object]]) -> None:
    """What a clerk does: clear the example row, then type one record per row under the Chinese headers."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    columns = {str(cell.value).removesuffix(REQUIRED): cell.column for cell in sheet[2]}
    for cell in sheet[3]:
        cell.value = None
    for number, row in enumerate(rows, 3):
        for header, value in row.items():
            sheet.cell(number, columns[header], value)
    book.save(path)


def test_templates_filled_in_as_instructed_read_as_typed_values():
    assert run("--out", "模板").exit_code == 0
    folder = Path("模板")
    fill(folder / "单位名册.xlsx", [
        {"单位编码": "001", "单位名称": "示例镇", "层级": "乡镇", "涉矿": "是"},
        {"单位编码": "002", "单位名称": "示例村", "层级": "村", "上级单位": "示例镇", "涉矿": "否"},
    ])  # fmt: skip
    fill(folder / "责任人名册.xlsx", [
        {"人员编号": "001", "姓名": "张三", "所在单位": "示例镇", "职务": "镇长", "角色": "主要负责人、包片领导"},
        {"人员编号": "002", "姓名": "李四", "所在单位": "002", "角色": "村支部书记", "包联村": "示例村"},
    ])  # fmt: skip
    fill(folder / "巡查台账.xlsx", [
        {"巡查编号": "XC-1", "巡查日期": dt.date(2025, 9, 3), "巡查单位": "示例镇", "巡查类型": "交叉巡查",
         "巡查区域": "示例镇、示例村", "开始时间": dt.time(14, 30), "带队人": "张三", "参与人员": "张三、李四",
         "是否发现问题": "否"},
        {"巡查编号": "XC-2", "巡查日期": "2025年9月4日", "巡查单位": "001", "巡查类型": "日常巡查",
         "开始时间": "9时30分", "带队人": "002", "是否发现问题": "是", "问题编号": "2025-001、2025-002"},
    ])  # fmt: skip
    fill(folder / "废弃矿硐(矿井)封堵台账.xlsx", [
        {"矿硐编号": "KD-1", "所属乡镇": "示例镇", "所在村": "示例村", "关闭类型": "非法开采点",
         "封堵状态": "被重新打开", "封堵日期": "2025-09-03", "是否存在盗采": "是", "经度": 106.5, "纬度": "26.5"},
    ])  # fmt: skip
    fill(folder / "举报线索台账.xlsx", [
        {"线索编号": "JB-1", "受理日期": "2025/9/5", "受理单位": "示例镇", "核查结果": "不属实",
         "奖励金额": "0.2万元"},
    ])  # fmt: skip
    ledgers = read_ledgers(folder)
    assert ledgers.errors.empty, ledgers.errors.to_string()
    assert ledgers.problems == []

    units = ledgers.frame("units")
    assert units["level"].tolist() == ["township", "village"]
    assert units["parent"].tolist()[1] == "001"
    people = ledgers.frame("people")
    assert people["roles"].tolist() == [["main_leader", "area_leader"], ["party_secretary"]]
    assert people["covers"].tolist() == [[], ["002"]]
    patrols = ledgers.frame("patrols")
    assert patrols["date"].tolist() == [pd.Timestamp("2025-09-03"), pd.Timestamp("2025-09-04")]
    assert patrols["team"].tolist() == ["cross", "daily"]
    assert patrols["unit"].tolist() == ["001", "001"]
    assert patrols["areas"].tolist()[0] == ["001", "002"]
    assert patrols["start_time"].tolist() == ["14:30", "09:30"]
    assert patrols["leader"].tolist() == ["001", "002"]
    assert patrols["members"].tolist()[0] == ["001", "002"]
    assert patrols["problem_found"].tolist() == [False, True]
    assert patrols["problem_ids"].tolist()[1] == ["2025-001", "2025-002"]
    adit = ledgers.frame("adits").iloc[0]
    assert (adit["closure_type"], adit["sealed"], adit["village"]) == ("illegal", "reopened", "002")
    assert adit["sealed_date"] == pd.Timestamp("2025-09-03") and adit["theft"] and adit["lat"] == 26.5
    tip = ledgers.frame("tips").iloc[0]
    assert (tip["verified"], tip["reward_amount"], tip["received_date"]) == ("false", 2000, pd.Timestamp("2025-09-05"))


def validations(sheet):
    """Header → (validation, the words of its list when it is one)."""
    headers = {cell.column_letter: str(cell.value).removesuffix(REQUIRED) for cell in sheet[2]}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        assert str(validation.sqref) == f"{letter}3:{letter}1002"
        words = None
        if validation.type == "list":
            target, cells = validation.formula1.split("!")
            assert target == f"'{VALUES_SHEET}'"
            words = [c.value for (c,) in sheet.parent[VALUES_SHEET][cells.replace("$", "")]]
        found[headers[letter]] = (validation, words)
    return found


def test_drop_downs_date_checks_and_header_notes():
    assert run("--out", "模板").exit_code == 0
    book = load_workbook(Path("模板") / "巡查台账.xlsx")
    sheet = book["巡查台账"]
    found = validations(sheet)
    assert found["巡查类型"][1] == list(SPECS["patrols"].column("team").value_labels.values())
    assert found["是否发现问题"][1] == ["是", "否"]
    date_check = found["巡查日期"][0]
    assert date_check.type == "date" and date_check.error and date_check.prompt
    assert found["开始时间"][0].type == "time"
    assert "巡查区域" not in found and "带队人" not in found
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].number_format == "yyyy-mm-dd"
    comments = {str(cell.value): cell.comment.text for cell in sheet[2]}
    assert len(comments) == len(SPECS["patrols"].columns) and all(comments.values())
    assert comments["巡查日期（必填）"].startswith("必填") and "2025年9月3日" in comments["巡查日期（必填）"]
    assert "须在单位名册中" in comments["巡查单位（必填）"]
    assert all(cell.font.italic for cell in sheet[3])

    adits = load_workbook(Path("模板") / "废弃矿硐(矿井)封堵台账.xlsx").worksheets[0]
    note = next(cell.comment.text for cell in adits[2] if cell.value == "封堵状态")
    assert "已封堵" in note and SPECS["adits"].column("sealed").note in note
    people = load_workbook(Path("模板") / "责任人名册.xlsx").worksheets[0]
    assert "角色" not in validations(people)
    assert "多个时用、分隔" in next(cell.comment.text for cell in people[2] if cell.value == "角色")
    batches = load_workbook(Path("模板") / "八个一批.xlsx").worksheets[0]
    assert {v.type for v, _ in validations(batches).values()} == {"whole"}

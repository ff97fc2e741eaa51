"""Finding ledgers in a folder or workbook: names, title rows, header variants, encodings, bad files."""

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from workbooks import xlsx

from accountability.audit.pipeline import read_ledgers
from accountability.contract.schema import pack_headers
from accountability.errors import AccountabilityError
from accountability.ingest import ledgerset
from accountability.ingest.files import ledger_for_name, read_ledger_set

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNIT_HEADER = ["单位编码", "单位名称", "层级", "上级单位", "是否涉矿"]
UNIT_ROWS = [["HJ", "洪江市", "市", None, None], ["T1", "雪峰镇", "镇", "洪江市", "是"]]


@pytest.mark.parametrize(
    ("name", "ledger"),
    [
        ("patrols", "patrols"), ("PATROLS", "patrols"), ("巡查台账", "patrols"), ("巡查记录", "patrols"),
        ("洪江市2025年巡查台账", "patrols"), ("雪峰镇 巡查台账", "patrols"), ("排查记录台账", "patrols"),
        ("单位名册", "units"), ("组织机构", "units"), ("洪江市2025年废弃矿硐封堵台账", "adits"), ("封堵台账", "adits"),
        ("废弃矿井台账", "adits"), ("举报奖励台账", "tips"), ("问题整改台账", "problems"), ("整改台账", "problems"),
        ("八查记录", "eight_checks"), ("卫片图斑台账", "patches"), ("关闭坑口记录", "closures"),
        ("八个一批", "eight_batches"),
        ("黑名单", "blacklist"), ("key_persons", "key_persons"), ("data1", None), ("说明", None),
    ],
)  # fmt: skip
def test_ledger_names(name, ledger):
    assert ledger_for_name(name) == ledger


def test_title_rows_blank_first_row_and_exact_row_numbers(tmp_path):
    rows = [[None], ["洪江市单位名册"], UNIT_HEADER, *UNIT_ROWS, [None, None], ["V1", "雪峰村", "村", "雪峰镇", None]]
    xlsx(tmp_path / "洪江市2025年单位名册.xlsx", {"Sheet1": rows})
    tables, problems = read_ledger_set(tmp_path)
    assert problems == []
    [table] = tables
    assert (table.ledger, table.sheet, table.recognised_by) == ("units", "Sheet1", "name")
    assert table.frame["row"].tolist() == [4, 5, 7]
    assert table.frame["id"].tolist() == ["HJ", "T1", "V1"]
    assert len(table.sha256) == 64


def test_header_variants_are_normalised(tmp_path):
    header = ["巡查编号（必填）", "巡查\n日期", " 巡查单位 *", "巡查类型", "奇怪的列"]
    xlsx(tmp_path / "巡查台账.xlsx", {"Sheet1": [header, ["X1", dt.datetime(2025, 9, 1), "雪峰镇", "日常巡查", "x"]]})
    [table], problems = read_ledger_set(tmp_path)
    assert problems == []
    assert table.headers == {"id": "巡查编号（必填）", "date": "巡查\n日期", "unit": "巡查单位 *", "team": "巡查类型"}
    assert table.extra_headers == ["奇怪的列"]
    assert table.frame.loc[0, "date"] == dt.date(2025, 9, 1)


def test_workbook_of_sheets_and_instruction_sheet(tmp_path):
    path = xlsx(
        tmp_path / "台账.xlsx",
        {
            "填表说明": [["请按要求填写"]],
            "单位名册": [UNIT_HEADER, *UNIT_ROWS],
            "巡查记录": [["巡查编号", "巡查日期", "巡查单位"], ["X1", "2025-09-01", "T1"]],
            "杂项": [["甲", "乙"], [1, 2]],
        },
    )
    tables, problems = read_ledger_set(path)
    assert [(t.ledger, t.sheet) for t in tables] == [("units", "单位名册"), ("patrols", "巡查记录")]
    assert [(p.sheet, p.ledger, p.unreadable) for p in problems] == [("杂项", None, False)]
    assert "未识别为任何台账" in problems[0].message


def test_unnamed_file_recognised_by_header(tmp_path):
    xlsx(tmp_path / "data1.xlsx", {"Sheet1": [["矿硐编号", "所属乡镇", "封堵责任人"], ["A1", "雪峰镇", "张三"]]})
    [table], problems = read_ledger_set(tmp_path)
    assert (table.ledger, table.recognised_by, problems) == ("adits", "header", [])


def test_missing_required_column_is_reported(tmp_path):
    xlsx(tmp_path / "巡查台账.xlsx", {"Sheet1": [["巡查编号", "巡查单位", "巡查类型"], ["X1", "雪峰镇", "日常巡查"]]})
    tables, [problem] = read_ledger_set(tmp_path)
    assert tables == [] and "缺少必填列：巡查日期" in problem.message
    assert (problem.ledger, problem.unreadable) == ("patrols", True)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    text = "单位编码,单位名称,层级,上级单位\nHJ,洪江市,市,\nT1,雪峰镇,镇,洪江市\n"
    (tmp_path / "units.csv").write_bytes(text.encode(encoding))
    [table], problems = read_ledger_set(tmp_path)
    assert problems == []
    assert table.frame["name"].tolist() == ["洪江市", "雪峰镇"]
    assert table.frame["row"].tolist() == [2, 3]
    assert table.frame["parent"].isna().tolist() == [True, False] and table.frame["parent"][1] == "洪江市"


def test_parquet(tmp_path):
    pd.DataFrame({"id": ["HJ", "T1"], "name": ["洪江市", "雪峰镇"], "level": ["city", "township"]}).to_parquet(
        tmp_path / "units.parquet"
    )
    [table], problems = read_ledger_set(tmp_path)
    assert (
        problems == []
        and table.frame["row"].tolist() == [2, 3]
        and table.frame["level"].tolist() == ["city", "township"]
    )


def test_encrypted_corrupt_and_empty_files_are_named_unreadable_with_the_fix_for_their_cause(tmp_path):
    (tmp_path / "单位名册.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (tmp_path / "巡查台账.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "devices.xlsx").write_bytes(b"")
    _, problems = read_ledger_set(tmp_path)
    assert [(p.file, p.ledger, p.unreadable) for p in problems] == [
        ("devices.xlsx", "devices", True), ("单位名册.xlsx", "units", True), ("巡查台账.xlsx", "patrols", True),
    ]  # fmt: skip
    assert [p.message.removeprefix("无法读取文件：") for p in problems] == [
        "文件是空的（0 字节）", "文件设有打开密码（已加密）", "文件已损坏或不完整（CalamineError）",
    ]  # fmt: skip
    assert "重新复制" in problems[0].fix and "取消打开密码" in problems[1].fix and "另存" in problems[2].fix


def test_other_files_are_reported_and_lock_files_ignored(tmp_path):
    (tmp_path / "工作总结.docx").write_bytes(b"x")
    (tmp_path / "旧台账.xls").write_bytes(b"x")
    (tmp_path / "~$巡查台账.xlsx").write_bytes(b"x")
    _, problems = read_ledger_set(tmp_path)
    assert [(p.file, p.unreadable) for p in problems] == [("工作总结.docx", False), ("旧台账.xls", True)]
    assert problems[0].message == "已忽略不支持的文件类型 .docx"
    assert problems[1].message == "无法读取文件：文件内容不是 Excel 表格"
    assert problems[1].fix == "请确认文件类型，台账请存为 .xlsx"


def test_missing_path():
    with pytest.raises(AccountabilityError, match="找不到台账"):
        read_ledger_set(Path("/nonexistent/ledgers"))


def test_errors_name_the_header_each_file_wrote(tmp_path):
    xlsx(tmp_path / "单位名册.xlsx", {"Sheet1": [UNIT_HEADER, *UNIT_ROWS]})
    xlsx(tmp_path / "巡查台账-甲.xlsx", {"Sheet1": [["巡查编号", "巡查日期", "巡查单位"], ["X1", "九月", "T1"]]})
    other = [["编号", "日期", "单位", "巡查区域"], ["X2", "十月", "T1", "无此村"]]
    xlsx(tmp_path / "巡查台账-乙.xlsx", {"Sheet1": other})
    errors = read_ledgers(tmp_path).errors
    cells = errors[errors["ledger"] == "patrols"][["file", "row", "column", "value"]]
    assert cells.sort_values(["file", "column"]).values.tolist() == [
        ["巡查台账-乙.xlsx", 2, "巡查区域", "无此村"],
        ["巡查台账-乙.xlsx", 2, "日期", "十月"],
        ["巡查台账-甲.xlsx", 2, "巡查日期", "九月"],
    ]


def test_files_read_at_once_come_back_in_the_folders_order_with_the_packs_headers(tmp_path):
    """Files are read by several threads, the largest first; the tables and problems still come in the order of
    the files, and each thread sees the extra headers the packs name (here a closure standard's own name)."""
    closure_header = ["编号", "乡镇", "坑口名称", "关闭日期", "吊销证照"]
    xlsx(tmp_path / "a单位名册.xlsx", {"Sheet1": [UNIT_HEADER, *UNIT_ROWS]})
    xlsx(tmp_path / "b关闭坑口记录.xlsx", {"Sheet1": [closure_header, ["G1", "雪峰镇", "西沟", "2022-01-05", "是"]]})
    pd.DataFrame({"编号": [f"XC-{i}" for i in range(5000)]}).to_csv(tmp_path / "c巡查台账.csv", index=False)
    (tmp_path / "d.docx").write_bytes(b"")
    xlsx(tmp_path / "e封堵台账.xlsx", {"Sheet1": [["编号"], ["FD-1"]]})
    with pack_headers({"closures": {"s1": ["吊销证照"]}}):  # the contract says 吊销相关证照
        tables, problems = read_ledger_set(tmp_path, readers=3)
    assert [(t.file, t.ledger) for t in tables] == [("a单位名册.xlsx", "units"), ("b关闭坑口记录.xlsx", "closures")]
    assert tables[1].headers["s1"] == "吊销证照"
    assert [p.file for p in problems] == ["c巡查台账.csv", "d.docx", "e封堵台账.xlsx"]


@pytest.mark.parametrize(("fixture", "name"), [("单位名册.ods", "单位名册.ods"), ("洪江市单位名册.xls", "单位名册.xls"),
                                              ("洪江市单位名册.xls", "单位名册.et")])  # fmt: skip
def test_ods_xls_and_a_wps_file_that_is_xls_inside_are_read(tmp_path, fixture, name):
    shutil.copy(FIXTURES / fixture, tmp_path / name)
    [table], problems = read_ledger_set(tmp_path)
    assert (table.ledger, table.file, problems) == ("units", name, [])
    assert table.frame["id"].str.strip().tolist()[:2] == ["HJ", "HJ-XCD" if "洪江" in fixture else "T1"]


def test_a_wps_file_that_cannot_be_read_says_to_save_it_as_xlsx(tmp_path):
    (tmp_path / "巡查台账.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\1" * 700)
    _, [problem] = read_ledger_set(tmp_path)
    assert (problem.file, problem.ledger, problem.unreadable) == ("巡查台账.et", "patrols", True)
    assert (problem.message, problem.fix) == ("无法读取文件：WPS 表格文件（.et）无法读取", "请在 WPS 中另存为 .xlsx")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8"])
def test_tab_separated_text_as_excel_saves_unicode_text(tmp_path, encoding):
    text = "单位编码\t单位名称\t层级\t上级单位\r\nHJ\t洪江市\t市\t\r\nT1\t雪峰镇\t镇\t洪江市\r\n"
    data = text.encode(encoding) if encoding != "utf-16-le" else b"\xff\xfe" + text.encode("utf-16-le")
    (tmp_path / "单位名册.txt").write_bytes(data)
    [table], problems = read_ledger_set(tmp_path)
    assert problems == [] and table.frame["name"].tolist() == ["洪江市", "雪峰镇"]


def test_a_ledger_in_parquet_and_csv_files_joins_as_arrow_text_and_reads_the_same(tmp_path):
    """Parquet gives Arrow text and CSV pandas text: joined as they came they made one column of Python objects.
    Text columns are now Arrow text in the joined ledger; the dates, written as text in one file and as dates in
    the other, stay cells of either kind; and the ledger reads as it did, row by row."""
    units = {"单位编码": ["HJ", "T1"], "单位名称": ["洪江市", "雪峰镇"], "层级": ["市", "乡镇"],
             "上级单位": [None, "HJ"]}  # fmt: skip
    pd.DataFrame(units).to_csv(tmp_path / "单位名册.csv", index=False)
    first = {"巡查编号": ["XC-1", "XC-2"], "巡查日期": [dt.datetime(2025, 9, 1), dt.datetime(2025, 9, 2)],
             "巡查单位": ["雪峰镇", "T1"], "巡查类型": ["日常巡查", "交叉巡查"]}  # fmt: skip
    pd.DataFrame(first).to_parquet(tmp_path / "巡查台账-第1册.parquet")
    second = {"巡查编号": ["XC-3"], "巡查日期": ["2025年9月3日"], "巡查单位": ["雪峰镇"], "巡查类型": ["督导"]}
    pd.DataFrame(second).to_csv(tmp_path / "巡查台账-第2册.csv", index=False)
    tables, problems = read_ledger_set(tmp_path)
    assert problems == []
    patrols = ledgerset._concat_raw([t for t in tables if t.ledger == "patrols"])
    assert {str(patrols[key].dtype) for key in ("id", "unit", "team")} == {"large_string[pyarrow]"}
    assert patrols["date"].dtype == object
    ledgers = read_ledgers(tmp_path)
    frame = ledgers.frame("patrols")
    assert frame["id"].tolist() == ["XC-1", "XC-2", "XC-3"]
    assert frame["unit"].tolist() == ["T1", "T1", "T1"]
    assert frame["date"].tolist() == [pd.Timestamp(f"2025-09-0{d}") for d in (1, 2, 3)]
    assert frame["team"].tolist() == ["daily", "cross", "supervision"]
    assert frame["_file"].tolist() == ["巡查台账-第1册.parquet"] * 2 + ["巡查台账-第2册.csv"]

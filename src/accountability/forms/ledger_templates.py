"""Blank ledger templates for township clerks, generated from the ledger contract (ledgers.yaml).

Every header, drop-down, note and example comes from the contract, so a template always carries the headers,
words and formats ingest reads, and the template set as written reads back without a single data error."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from accountability.contract.schema import ColumnSpec, LedgerSpec, ledger_specs
from accountability.errors import AccountabilityError
from accountability.ingest.files import ledger_for_name
from accountability.report.outfiles import write_whole

WORKBOOK_NAME = "台账模板.xlsx"
INSTRUCTIONS_SHEET = "填表说明"
VALUES_SHEET = "取值"
HEADER_ROW, EXAMPLE_ROW, LAST_ROW = 2, 3, 1002
REQUIRED_MARK = "（必填）"
BAD_SHEET_CHARS = set("[]:*?/\\")
MAX_WIDTH = 24
COMMENT_LINE = 36  # display width one line of a 260-point comment box holds
YES_NO = ["是", "否"]
EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_RANGE = (dt.date(1950, 1, 1), dt.date(2099, 12, 31))

KIND_TEXT: dict[str, str] = {
    "text": "文字",
    "id": "编号",
    "date": "日期，如 2025-09-03 或 2025年9月3日",
    "time": "时间，如 09:30 或 9时30分",
    "bool": "是/否",
    "number": "数字，如 106.5",
    "integer": "整数，如 3",
    "money": "金额（元），如 2000 或 0.2万元",
    "enum": "从下拉列表中选择",
    "quarter": "季度，如 2025Q3 或 2025年第3季度",
    "month": "月份，如 2025-09 或 2025年9月",
    "unit": "单位编码或单位名称，须在单位名册中",
    "unit_list": "单位编码或单位名称，须在单位名册中；多个时用、分隔",
    "unit_or_text": "单位编码或单位名称；名册外的单位照写名称",
    "person": "人员编号或姓名，须在责任人名册中",
    "person_or_name": "人员编号或姓名；名册外的人照写姓名",
    "person_list": "人员编号或姓名；多个时用、分隔",
    "list": "多个时用、分隔",
    "enum_list": "从可选值中填写；多个时用、分隔",
}
# Values a generic example can take by type; enum, unit and person examples come from the contract instead.
GENERIC_EXAMPLES: dict[str, object] = {
    "id": "2025-001",
    "date": dt.date(2025, 9, 3),
    "time": dt.time(9, 30),
    "bool": "是",
    "number": 1.5,
    "integer": 1,
    "money": 2000,
    "quarter": "2025Q3",
    "month": "2025-09",
}
# Kept as text so Excel does not turn a code like 001 into the number 1, which would no longer match the register.
TEXT_TYPES = {"text", "id", "unit", "unit_list", "unit_or_text", "person", "person_or_name", "person_list", "list"}
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm", **dict.fromkeys(TEXT_TYPES, "@")}

GENERAL_RULES = [
    "每个台账填在以台账名称命名的工作表中：第1行为标题，第2行为列名，从第3行起每行填一条记录。",
    "第3行（灰色斜体）是示例，填写时请覆盖或删除该行。",
    "请勿修改或删除列名，不用的列留空即可；请勿合并单元格。",
    f"列名带“{REQUIRED_MARK}”的必须填写，否则该行不能采用。",
    "日期写成 2025-09-03 或 2025年9月3日（也可用 Excel 的日期格式），必须写明年份。",
    "时间写成 09:30 或 9时30分。",
    "是/否：从下拉列表选“是”或“否”（也可写 有/无、√/×）；情况不明的留空。",
    "带下拉列表的列请从列表中选择，可选值见下表。",
    "一格填多个时用顿号“、”分隔，如：张三、李四。",
    "单位填单位名册中的单位编码或单位名称，人员填责任人名册中的人员编号或姓名；重名时请填编码或编号。"
    "请先填好单位名册和责任人名册。",
    "同一台账内的编号不要重复。",
    "文件名或工作表名请保留台账名称，前面可加单位或年份，如“示例镇巡查台账.xlsx”。",
    f"隐藏的工作表“{VALUES_SHEET}”（如有）存放下拉列表的选项，请勿修改或删除。",
]
EXAMPLE_HINT = f"第{EXAMPLE_ROW}行为示例，填写时请覆盖或删除；填写方法见「{INSTRUCTIONS_SHEET}」工作表。"
HINT = EXAMPLE_HINT + "填好后把台账放在同一文件夹中，运行 accountability audit <文件夹> 检查。"

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")


def sheet_name(spec: LedgerSpec) -> str:
    """The ledger's title, else the first of its names, that ingest recognises and Excel allows as a sheet name."""
    for name in [spec.title, *spec.names]:
        if len(name) <= 31 and not BAD_SHEET_CHARS & set(name) and ledger_for_name(name) == spec.key:
            return name
    return spec.key


def choices(column: ColumnSpec) -> list[str]:
    """The words a drop-down offers: the first Chinese word of each code, or 是/否."""
    if column.type == "bool":
        return YES_NO
    return list(column.value_labels.values())


def describe(column: ColumnSpec) -> str:
    """What goes in the column, in plain Chinese: its type, uniqueness and the contract's note."""
    parts = [KIND_TEXT[column.type]]
    if column.unique:
        parts.append("同一台账内不得重复")
    if column.note:
        parts.append(column.note)
    return "；".join(parts)


def _example_name(ledger: str) -> str:
    """The name in the units or people example row, which every other example row refers to."""
    return str(ledger_specs()[ledger].column("name").example)


def example(column: ColumnSpec) -> object:
    """The example row's cell: the contract's `example` ("" = blank), else a value of the column's type."""
    if column.example is not None:
        return column.example if column.example != "" else None
    if column.type in ("enum", "enum_list"):
        return choices(column)[0]
    if column.type.startswith("unit"):
        return _example_name("units")
    if column.type.startswith("person"):
        return _example_name("people")
    return GENERIC_EXAMPLES.get(column.type)


def _width(value: object) -> int:
    """Display width in Excel character units: a Chinese character takes two."""
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


class ValueLists:
    """The drop-down lists of one workbook, kept in the hidden 取值 sheet and referenced by range, since Excel
    caps a list written into the validation itself at 255 characters. Equal lists share one column."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, ...], str] = {}

    def ref(self, title: str, words: list[str]) -> str:
        self.lists.setdefault(tuple(words), title)
        letter = get_column_letter(list(self.lists).index(tuple(words)) + 1)
        return f"{quote_sheetname(VALUES_SHEET)}!${letter}$2:${letter}${len(words) + 1}"

    def write(self, book: Workbook) -> None:
        if not self.lists:
            return
        sheet = book.create_sheet(VALUES_SHEET)
        sheet.sheet_state = "hidden"
        for index, (words, title) in enumerate(self.lists.items(), 1):
            for row, value in enumerate([title, *words], 1):
                sheet.cell(row, index, value)


def _validation(column: ColumnSpec, lists: ValueLists) -> DataValidation | None:
    """Drop-downs are strict; date, time and whole-number checks only warn, as ingest also reads forms Excel
    does not see as dates or numbers (2025.9.3, 20250903, 9时30分, ３)."""
    options = {"allow_blank": True, "showInputMessage": True, "showErrorMessage": True}
    prompt = {"promptTitle": column.label[:32], "prompt": KIND_TEXT[column.type]}
    if column.type in ("enum", "bool"):
        words = choices(column)
        title = "是/否" if column.type == "bool" else column.label
        return DataValidation(
            type="list", formula1=lists.ref(title, words), errorTitle="不在可选范围内",
            error=f"请从下拉列表中选择（{'、'.join(words)}）"[:255], **prompt, **options,
        )  # fmt: skip
    warn = {"errorStyle": "warning", **prompt, **options}
    if column.type == "date":
        low, high = (str(_serial(day)) for day in DATE_RANGE)
        return DataValidation(
            type="date", operator="between", formula1=low, formula2=high, errorTitle="日期格式",
            error=f"请填写日期，如 2025-09-03 或 2025年9月3日（{DATE_RANGE[0].year}—{DATE_RANGE[1].year}年）", **warn,
        )  # fmt: skip
    if column.type == "time":
        return DataValidation(
            type="time", operator="between", formula1="0", formula2="0.9999", errorTitle="时间格式",
            error="请填写时间，如 09:30 或 9时30分", **warn,
        )  # fmt: skip
    if column.type == "integer":
        return DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", errorTitle="应为整数",
            error="请填写不小于 0 的整数，如 3", **warn,
        )  # fmt: skip
    return None


def _header_note(column: ColumnSpec) -> str:
    lines = ["必填" if column.required else "选填", describe(column)]
    if column.type in ("enum", "enum_list"):
        lines.append("可选：" + "、".join(choices(column)))
    return "\n".join(lines)


def ledger_sheet(
    sheet: Worksheet,
    spec: LedgerSpec,
    lists: ValueLists,
    title: str | None = None,
    rows: list[list[object]] | None = None,
) -> None:
    """Title, headers with notes, then the grey example row, or `rows` (a ledger handed out to be completed, such
    as a spot-check sample, titled `title`), with the column formats and validations down to row 1002 or the last
    row. Text is written as text, so a value starting with = stays a value, not a formula."""
    rows = rows if rows is not None else [[example(column) for column in spec.columns]]
    last = max(LAST_ROW, EXAMPLE_ROW + len(rows) - 1)
    for offset, values in enumerate(rows):
        for index, value in enumerate(values, 1):
            cell = sheet.cell(EXAMPLE_ROW + offset, index, value)
            if isinstance(value, str):
                cell.data_type = "s"
            if title is None:
                cell.font = EXAMPLE_FONT
    widths = []
    for index, column in enumerate(spec.columns, 1):
        letter = get_column_letter(index)
        header = column.label + (REQUIRED_MARK if column.required else "")
        cell = sheet.cell(HEADER_ROW, index, header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill, cell.border = HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = _header_note(column)
        lines = sum(math.ceil(max(_width(line), 1) / COMMENT_LINE) for line in note.split("\n"))
        cell.comment = Comment(note, "填表说明", height=24 + 16 * lines, width=260)
        if column.type in NUMBER_FORMATS:
            sheet.column_dimensions[letter].number_format = NUMBER_FORMATS[column.type]
            for offset in range(len(rows)):
                sheet.cell(EXAMPLE_ROW + offset, index).number_format = NUMBER_FORMATS[column.type]
        validation = _validation(column, lists)
        if validation is not None:
            validation.add(f"{letter}{EXAMPLE_ROW}:{letter}{last}")
            sheet.add_data_validation(validation)
        value = rows[0][index - 1] if rows else None
        width = min(max(_width(header), _width("" if value is None else value), 6) + 2, MAX_WIDTH)
        sheet.column_dimensions[letter].width = width
        widths.append((width, _width(header)))
    header_lines = max(math.ceil(text / (width - 1)) for width, text in widths)
    sheet.row_dimensions[HEADER_ROW].height = 16 * header_lines + 4
    heading: CellRichText | str = title or CellRichText(
        TextBlock(InlineFont(b=True, sz=14), f"{spec.title}（填报模板）"),
        TextBlock(InlineFont(sz=10, color="808080"), f"  {EXAMPLE_HINT}"),
    )
    cell = sheet.cell(1, 1, heading)
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    if title:
        cell.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(spec.columns))
    title_lines = math.ceil((_width(str(heading)) + 12) / sum(width for width, _ in widths))
    sheet.row_dimensions[1].height = max(28, 16 * title_lines + 8)
    sheet.freeze_panes = sheet.cell(EXAMPLE_ROW, 1)


def _instructions(sheet: Worksheet, specs: list[LedgerSpec]) -> None:
    """General rules, then per ledger a table of its columns: 列名, 必填, 填写说明, 可选值."""
    sheet.append([INSTRUCTIONS_SHEET])
    sheet["A1"].font = Font(bold=True, size=14)
    for number, rule in enumerate(GENERAL_RULES, 1):
        sheet.append([f"{number}. {rule}"])
    for spec in specs:
        sheet.append([])
        sheet.append([f"{spec.title}（工作表“{sheet_name(spec)}”）"])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append(["列名", "必填", "填写说明", "可选值"])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        for column in spec.columns:
            listed = column.type in ("enum", "enum_list", "bool")
            sheet.append([column.label, "是" if column.required else "", describe(column),
                          "、".join(choices(column)) if listed else ""])  # fmt: skip
            for cell in sheet[sheet.max_row]:
                cell.border = BORDER
                cell.alignment = Alignment(vertical="top", wrap_text=cell.column > 1)
    for letter, width in zip("ABCD", (28, 6, 60, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _workbook(specs: list[LedgerSpec]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    lists = ValueLists()
    for spec in specs:
        ledger_sheet(book.create_sheet(sheet_name(spec)), spec, lists)
    _instructions(book.create_sheet(INSTRUCTIONS_SHEET), specs)
    lists.write(book)
    return book


def write_templates(out: Path, workbook: bool = False, ledgers: list[str] | None = None) -> list[Path]:
    """Write one template per ledger (or, with `workbook`, one workbook of them all) into `out`: every ledger of
    the contract, or only `ledgers` (those a plan reads); never overwrite a file already there, since a clerk's
    filled ledger may carry the same name."""
    if out.exists() and not out.is_dir():
        raise AccountabilityError("--out 指向的是一个文件，不是文件夹", file=str(out), fix="请用 --out 指定一个文件夹")
    specs = [spec for key, spec in ledger_specs().items() if ledgers is None or key in ledgers]
    books = {WORKBOOK_NAME: specs} if workbook else {f"{sheet_name(spec)}.xlsx": [spec] for spec in specs}
    existing = [name for name in books if (out / name).exists()]
    if existing:
        raise AccountabilityError(
            f"文件夹中已有同名文件：{'、'.join(existing[:3])}{'等' if len(existing) > 3 else ''}",
            file=str(out),
            fix="模板不覆盖已有文件，请换一个空文件夹或先移走这些文件",
        )
    return [write_whole(out / name, _workbook(group).save) for name, group in books.items()]

"""Writes example ledgers the way clerks keep them: one workbook per ledger, a merged title row above the
Chinese header row, dates as Excel date cells and times as time cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# The header rows of the two registers every example set has: units and people.
UNIT_HEADERS = ["单位编码", "单位名称", "层级", "上级单位", "是否涉矿", "举报电话"]
PEOPLE_HEADERS = ["人员编号", "姓名", "所在单位", "职务", "角色", "包联村"]


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from start to end, both included."""
    return [start + dt.timedelta(n) for n in range((end - start).days + 1)]


def write(folder: Path, name: str, title: str, headers: list[str], rows: list[list[object]]) -> None:
    """One workbook in `folder`: a merged title row, the header row, the rows."""
    folder.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells:
            if isinstance(cell.value, dt.datetime | dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, dt.time):
                cell.number_format = "hh:mm"
    for column in sheet.columns:
        sheet.column_dimensions[column[1].column_letter].width = 16
    book.save(folder / name)

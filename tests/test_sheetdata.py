"""TableSheet: a table's cells as xlsxwriter would have written them a cell at a time."""

import re
import zipfile

import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from openpyxl import load_workbook

from accountability.report.sheetdata import TableSheet

TABLE = pd.DataFrame(
    {
        "单位": ["雪峰镇", "", None, "雪峰镇", "  前后留空  "],
        "公式样": ["=SUM(A1)", "http://x.cn", "007", "1e3", "@x"],
        "空列": [None, None, "", None, None],
        "数": pd.array([3, None, 0, -2, 10**12], dtype="Int64"),
        "率": [0.5, np.nan, np.inf, 1 / 3, 1.0],
    }
)


def _cells(path):
    """Every cell of the first sheet as (value, type, bold, number format), and the shared strings' counts."""
    ws = load_workbook(path).worksheets[0]
    cells = {
        c.coordinate: (c.value, c.data_type, c.font.b, c.number_format)
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }
    with zipfile.ZipFile(path) as z:
        if "xl/sharedStrings.xml" not in z.namelist():
            return cells, ws.dimensions, None
        sst = re.search(r'count="(\d+)" uniqueCount="(\d+)"', z.read("xl/sharedStrings.xml").decode()).groups()
    return cells, ws.dimensions, sst


def _by_table_sheet(path, title, table):
    book = xlsxwriter.Workbook(str(path))
    bold, percent = book.add_format({"bold": True}), book.add_format({"num_format": "0.0%"})
    ws = book.add_worksheet("表", TableSheet)
    ws.put(0, pd.DataFrame([[title]]), {0: bold})
    ws.put(1, pd.DataFrame([list(table.columns)]), dict.fromkeys(range(len(table.columns)), bold))
    ws.put(2, table, {"率": percent})
    book.close()


def _by_cell(path, title, table):
    """The same cells through xlsxwriter's own calls, one per cell."""
    book = xlsxwriter.Workbook(str(path))
    bold, percent = book.add_format({"bold": True}), book.add_format({"num_format": "0.0%"})
    ws = book.add_worksheet("表")
    ws.write_string(0, 0, title, bold)
    for j, column in enumerate(table.columns):
        ws.write_string(1, j, column, bold)
        for i, value in enumerate(table[column]):
            if isinstance(value, str) and value:
                ws.write_string(2 + i, j, value)
            elif not isinstance(value, str) and pd.notna(value) and np.isfinite(float(value)):
                ws.write_number(2 + i, j, value, percent if column == "率" else None)
    book.close()


def test_cells_are_those_xlsxwriter_writes_a_cell_at_a_time(tmp_path):
    _by_table_sheet(tmp_path / "table.xlsx", "标题", TABLE)
    _by_cell(tmp_path / "cells.xlsx", "标题", TABLE)
    cells, dimensions, sst = _cells(tmp_path / "table.xlsx")
    assert (cells, dimensions, sst) == _cells(tmp_path / "cells.xlsx")
    assert dimensions == "A1:E7"
    assert sst == ("14", "13")  # 14 texts, 13 of them distinct: 雪峰镇 is there twice
    assert cells["A7"] == ("  前后留空  ", "s", False, "General")  # spaces kept
    assert cells["B3"] == ("=SUM(A1)", "s", False, "General")  # a text, never a formula
    assert cells["B5"] == ("007", "s", False, "General")  # nor a number
    assert cells["D7"] == (10**12, "n", False, "General")
    assert cells["E3"] == (0.5, "n", False, "0.0%")
    assert "A4" not in cells and "A5" not in cells and "E4" not in cells and "E5" not in cells  # "", None, NaN, inf
    assert not any(key.startswith("C") and key != "C2" for key in cells)  # a column with nothing in it


def test_an_empty_table_writes_no_rows(tmp_path):
    path = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("表", TableSheet)
    ws.put(0, pd.DataFrame([["单位", "数"]]))
    ws.put(1, TABLE.iloc[:0])
    book.close()
    cells, dimensions, _ = _cells(path)
    assert dimensions == "A1:B1"
    assert cells == {"A1": ("单位", "s", False, "General"), "B1": ("数", "s", False, "General")}


def test_a_sheet_without_tables_is_an_empty_sheet(tmp_path):
    path = tmp_path / "none.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("表", TableSheet)
    book.close()
    assert _cells(path) == ({}, "A1:A1", None)


def test_tables_go_top_to_bottom(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "order.xlsx"))
    ws = book.add_worksheet("表", TableSheet)
    ws.put(3, TABLE)
    with pytest.raises(ValueError, match="top to bottom"):
        ws.put(5, TABLE)
    book.close()

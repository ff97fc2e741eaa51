"""report/workbook.py: the column-wise xlsx writer, read back by openpyxl and by calamine as a reader of the
workbook would see it."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from accountability.report.workbook import Workbook, column_name, file_width


def _book(path, frames, **sheet):
    book = Workbook(path, "#EEF1F5")
    ws = book.sheet("问题清单")
    row = 0
    for df, styles in frames:
        ws.put(row, df, book.strings, styles)
        row += len(df)
    for key, value in sheet.items():
        setattr(ws, key, value)
    book.close()
    return path


def test_column_names_run_past_z():
    assert [column_name(j) for j in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_texts_stay_texts_and_numbers_numbers(tmp_path):
    texts = ["=SUM(A1)", "@x", "a & b < c > d", "_x000D_ kept", "  两头空格  ", "第一行\n第二行", "", None, "0012"]
    numbers = [1, 2.5, float("nan"), float("inf"), -3, 1e20, 0.1, None, 7]
    df = pd.DataFrame({"text": pd.Series(texts, dtype="string"), "number": pd.Series(numbers, dtype="float64")})
    path = _book(tmp_path / "b.xlsx", [(df, None)])
    ws = load_workbook(path)["问题清单"]
    read = [(c.value, c.data_type) for c in ws["A"]]
    assert read[:6] == [(t, "s") for t in texts[:6]]
    assert read[6][0] is None and read[7][0] is None  # empty text and missing: blank cells
    assert read[8] == ("0012", "s")
    shown = [c.value for c in ws["B"]]
    assert shown[0] == 1 and shown[1] == 2.5 and shown[4] == -3 and shown[5] == 1e20 and shown[6] == 0.1
    assert shown[2] is None and shown[3] is None and shown[7] is None  # NaN, infinite and missing: blank
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("问题清单").to_python()
    assert [r[0] for r in rows][:6] == texts[:6]


def test_styles_widths_frozen_row_and_filter(tmp_path):
    header = pd.DataFrame([["规则编号", "完成率"]])
    body = pd.DataFrame({"rule": ["HJ-1", "HJ-2"], "rate": [0.5, 0.25]})
    book = Workbook(tmp_path / "s.xlsx", "#EEF1F5")
    ws = book.sheet("进度")
    ws.put(0, pd.DataFrame([["标题"]]), book.strings, {0: "title"})
    ws.put(1, header, book.strings, dict.fromkeys(header.columns, "header"))
    ws.put(2, body, book.strings, {"rate": "percent"})
    ws.widths = {0: 12, 1: 6}
    ws.frozen, ws.filtered = 2, (1, 3, 1)
    book.close()
    sheet = load_workbook(tmp_path / "s.xlsx")["进度"]
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 12
    assert sheet["A2"].font.bold and sheet["A2"].fill.fgColor.rgb == "FFEEF1F5"
    assert sheet["B3"].number_format == "0.0%" and sheet["B3"].value == 0.5
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:B4"
    assert sheet.column_dimensions["A"].width == pytest.approx(12 + 0.7109375)
    assert file_width(6) == 6.7109375


def test_each_columns_distinct_texts_are_shared_once(tmp_path):
    df = pd.DataFrame({"a": ["镇甲", "镇乙", "镇甲"], "b": ["镇乙", "x", "镇甲"]})
    book = Workbook(tmp_path / "d.xlsx", "#EEF1F5")
    book.sheet("一").put(0, df, book.strings)
    book.sheet("二").put(0, df[["b"]], book.strings)
    book.close()
    listed = [["镇甲", "镇乙"], ["镇乙", "x", "镇甲"], ["镇乙", "x", "镇甲"]]
    assert [part.to_pylist() for part in book.strings.parts] == listed and book.strings.count == 8
    wb = load_workbook(tmp_path / "d.xlsx")
    assert wb.sheetnames == ["一", "二"]
    assert [c.value for c in wb["一"]["B"]] == ["镇乙", "x", "镇甲"]
    assert [c.value for c in wb["二"]["A"]] == ["镇乙", "x", "镇甲"]


def test_a_row_written_twice_is_refused(tmp_path):
    book = Workbook(tmp_path / "o.xlsx", "#EEF1F5")
    ws = book.sheet("一")
    ws.put(0, pd.DataFrame({"a": ["1", "2"]}), book.strings)
    ws.put(1, pd.DataFrame({"a": ["3"]}), book.strings)
    with pytest.raises(ValueError, match="第 2 行写了两次"):
        book.close()


def test_a_workbook_with_no_rows_still_opens(tmp_path):
    book = Workbook(tmp_path / "e.xlsx", "#EEF1F5")
    book.sheet("空").put(0, pd.DataFrame({"a": []}), book.strings)
    book.close()
    assert load_workbook(tmp_path / "e.xlsx").sheetnames == ["空"]


_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"), max_size=30
).map(lambda s: "".join(ch for ch in s if ch in "\t\n\r" or ord(ch) >= 0x20))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_XML_TEXT, min_size=1, max_size=8), numbers=st.lists(st.floats(allow_nan=True), max_size=8))
def test_any_text_and_number_reads_back_as_written(tmp_path, texts, numbers):
    """Any XML-legal text comes back as written (an empty one blank), any finite number as the same number."""
    size = max(len(texts), len(numbers))
    df = pd.DataFrame(
        {
            "t": pd.Series(texts + [""] * (size - len(texts)), dtype="string"),
            "n": pd.Series(numbers + [math.nan] * (size - len(numbers)), dtype="float64"),
        }
    )
    ws = load_workbook(_book(tmp_path / "p.xlsx", [(df, None)]))["问题清单"]
    cells = {(c.row - 1, c.column - 1): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    for i, text in enumerate(df["t"]):
        assert cells.get((i, 0)) == (text.replace("\r\n", "\n").replace("\r", "\n") if text else None)
    for i, number in enumerate(df["n"]):
        assert cells.get((i, 1)) == (number if math.isfinite(number) else None)

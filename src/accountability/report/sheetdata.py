"""report.xlsx's cells as sheet XML, built a column at a time with Arrow, for xlsxwriter to package.

xlsxwriter stores each cell with a Python call and writes it out with another: 4.4 s of a province's 6.6-second
workbook went to its 900,000 cells. A TableSheet builds each table's rows at once and writes them where
xlsxwriter would write its cells; the book, its styles, shared strings, panes, filters and widths stay
xlsxwriter's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from accountability.ingest.values import arrow_array


class TableSheet(Worksheet):
    """A worksheet whose cells are whole tables, written with `put` one under another."""

    def __init__(self) -> None:
        super().__init__()
        self._xml: list[str] = []
        self._next_row = 0

    def put(self, row: int, df: pd.DataFrame, styles: dict[str, Format] | None = None) -> None:
        """The frame's cells from `row` (0-based) down, without a header: text as shared strings ("" and
        missing values as blank cells), numbers as numbers (not finite: blank), the columns in `styles` with
        their format."""
        if row < self._next_row:
            raise ValueError(f"rows are written top to bottom: row {row} is above row {self._next_row}")
        if df.empty:
            return
        styles = styles or {}
        numbers = pa.array(np.arange(row + 1, row + 1 + len(df))).cast(pa.string())
        cells = [
            self._cells(xl_col_to_name(j), numbers, df[column], styles.get(column))
            for j, column in enumerate(df.columns)
        ]
        rows = pc.binary_join_element_wise('<row r="', numbers, '">', *cells, "</row>", "")
        self._xml.append("".join(rows.to_pylist()))
        self._check_dimensions(row, 0)
        self._check_dimensions(row + len(df) - 1, len(df.columns) - 1)
        self._next_row = row + len(df)

    def _cells(self, letter: str, numbers: pa.Array, column: pd.Series, style: Format | None) -> pa.Array:
        """One column's cells, "" where a cell is blank."""
        attributes = "" if style is None else f' s="{style._get_xf_index()}"'
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            values = self._shared(column)
            attributes += ' t="s"'
        else:
            values = _numbers(column)
        cells = pc.binary_join_element_wise(f'<c r="{letter}', numbers, f'"{attributes}><v>', values, "</v></c>", "")
        return pc.fill_null(cells, "")

    def _shared(self, column: pd.Series) -> pa.Array:
        """The texts' places in the book's shared strings, null where blank. Each distinct text is added once, in
        the order of first use; the count of uses is raised by the repeats, as a call per cell would have raised
        it."""
        text = arrow_array(column.astype("string")).combine_chunks()
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
        encoded = text.dictionary_encode()
        distinct = encoded.dictionary.to_pylist()
        places = pa.array([self.str_table._get_shared_string_index(s) for s in distinct], type=pa.int64())
        self.str_table.count += len(text) - text.null_count - len(distinct)
        return places.take(encoded.indices).cast(pa.string())

    def _write_sheet_data(self) -> None:
        if not self._xml:
            super()._write_sheet_data()
            return
        self.fh.write("<sheetData>")
        self.fh.writelines(self._xml)
        self.fh.write("</sheetData>")


def _numbers(column: pd.Series) -> pa.Array:
    """Numbers as xlsxwriter writes them (16 significant digits), null where missing or not finite."""
    values = pd.to_numeric(column, errors="coerce").astype("float64").to_numpy(na_value=np.nan)
    finite = np.isfinite(values)
    text = np.full(len(values), None, dtype=object)
    text[finite] = np.char.mod("%.16G", values[finite]).astype(object)
    return pa.array(text, type=pa.string())

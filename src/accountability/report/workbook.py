"""report.xlsx written column by column: each sheet's XML is built by Arrow's string kernels over whole columns,
then zipped as the Office Open XML package Excel, WPS, openpyxl and calamine read.

Why not a writer library: xlsxwriter (and pyexcelerate, measured the same) spend about 5 µs of Python on each
cell, and a province's workbook holds two to five million cells (docs/performance.md). Here a cell costs a share
of a few Arrow kernels over its column, and the package is the few parts a workbook needs: the sheets, one shared
string table, four cell styles (plain, header, title, percent), column widths, a frozen header row and an
autofilter. Every text is a shared string, so nothing is ever read as a formula, a number or a link; numbers are
numbers; an empty text, a missing or an infinite number is a blank cell."""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Cell styles by name: their position in styles.xml's cellXfs.
STYLES = {"plain": 0, "header": 1, "title": 2, "percent": 3}
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Excel reads "_x000D_" in a text as the character it names; a text that holds such a run literally has its
# underscore written that way too.
_ESCAPED_RUN = r"_(x[0-9A-Fa-f]{4}_)"


def column_name(j: int) -> str:
    """A, B, …, Z, AA, …: the letters of the 0-based column j."""
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(65 + rest) + name
    return name


def file_width(width: float) -> float:
    """A width in characters as Excel stores it: the digits' pixels (7 each) plus 5 of padding, in 1/256ths."""
    return int((int(width * 7 + 0.5) + 5) / 7 * 256) / 256


class SharedStrings:
    """The texts cells point at by position: each column's distinct texts once, in the order first met. A text in
    two columns is listed twice, which the format allows; finding it among every text listed before would cost a
    Python step per distinct text, and a province's findings have 600,000 (a message each)."""

    def __init__(self) -> None:
        self.parts: list[pa.Array] = []
        self.count = 0

    def index(self, texts: pa.Array) -> np.ndarray:
        """Each text's position in the table, its column's distinct texts added after those listed before."""
        distinct = pc.unique(texts)
        positions = pc.index_in(texts, value_set=distinct).to_numpy(zero_copy_only=False) + self.count
        self.parts.append(distinct)
        self.count += len(distinct)
        return positions

    def xml(self) -> bytes:
        texts = pa.concat_arrays(
            [pc.cast(part, pa.large_string()) for part in self.parts] or [pa.array([], pa.large_string())]
        )
        shown = _escaped(texts)
        spaced = pc.match_substring_regex(texts, r"^\s|\s$")
        preserved, plain, closing, none = (
            pa.scalar(tag, pa.large_string()) for tag in ('<si><t xml:space="preserve">', "<si><t>", "</t></si>", "")
        )
        items = pc.binary_join_element_wise(pc.if_else(spaced, preserved, plain), shown, closing, none)
        head = f'{_HEAD}<sst xmlns="{_MAIN}" uniqueCount="{self.count}">'
        return head.encode() + _joined(items) + b"</sst>"


def _escaped(texts: pa.Array) -> pa.Array:
    for plain, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        texts = pc.replace_substring(texts, plain, entity)
    return pc.replace_substring_regex(texts, _ESCAPED_RUN, r"_x005F_\1")


def _joined(items: pa.Array) -> bytes:
    """The texts of an array one after another, straight from its data buffer."""
    if not len(items):
        return b""
    items = pc.cast(items, pa.large_string())
    offsets = np.frombuffer(items.buffers()[1], np.int64)[items.offset : items.offset + len(items) + 1]
    return bytes(memoryview(items.buffers()[2])[offsets[0] : offsets[-1]])


def is_text(values: pd.Series) -> bool:
    """A column written as text cells (Python objects or pandas text); any other is written as numbers."""
    return values.dtype == object or pd.api.types.is_string_dtype(values)


@dataclass
class Sheet:
    """One worksheet: blocks of rows as they are put, widths, a frozen row and an autofilter."""

    name: str
    blocks: list[tuple[int, int, bytes]] = field(default_factory=list)  # first row, rows, the rows' XML
    widths: dict[int, float] = field(default_factory=dict)
    frozen: int = 0  # rows frozen at the top
    filtered: tuple[int, int, int] | None = None  # header row, last row, last column (0-based)

    def put(self, row: int, df: pd.DataFrame, strings: SharedStrings, styles: Mapping[Any, str] | None = None):
        """The frame's cells from `row` (0-based) down, without a header; the columns in `styles` in that style."""
        if df.empty or not len(df.columns):
            return
        styles = styles or {}
        numbers = pc.cast(pa.array(np.arange(row + 1, row + len(df) + 1)), pa.string())
        cells = []
        for j, column in enumerate(df.columns):
            style = STYLES[styles.get(column, "plain")]
            attrs = f' s="{style}"' if style else ""
            values = df[column]
            if is_text(values):
                texts = pa.array(values.astype("string").fillna(""), pa.large_string())
                empty = pc.equal(texts, "").to_numpy(zero_copy_only=False)
                value = pa.array(strings.index(texts), mask=empty)
                attrs += ' t="s"'
            else:
                floats = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy(na_value=np.nan)
                value = pa.array(floats, mask=~np.isfinite(floats))
            shown = pc.cast(value, pa.string())
            opening = f'<c r="{column_name(j)}'
            cell = pc.binary_join_element_wise(opening, numbers, f'"{attrs}><v>', shown, "</v></c>", "")
            cells.append(pc.fill_null(cell, ""))
        rows = pc.binary_join_element_wise('<row r="', numbers, '">', *cells, "</row>", "")
        self.blocks.append((row, len(df), _joined(rows)))

    def xml(self) -> bytes:
        blocks = sorted(self.blocks, key=lambda block: block[0])
        for (first, count, _), (after, _, _) in itertools.pairwise(blocks):
            if first + count > after:
                raise ValueError(f"工作表「{self.name}」第 {after + 1} 行写了两次")
        parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetViews><sheetView workbookViewId="0">']
        if self.frozen:
            cell = f"A{self.frozen + 1}"
            parts.append(
                f'<pane ySplit="{self.frozen}" topLeftCell="{cell}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{cell}" sqref="{cell}"/>'
            )
        parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            cols = "".join(
                f'<col min="{j + 1}" max="{j + 1}" width="{file_width(w)}" customWidth="1"/>'
                for j, w in sorted(self.widths.items())
            )
            parts.append(f"<cols>{cols}</cols>")
        head = "".join(parts) + "<sheetData>"
        tail = "</sheetData>"
        if self.filtered:
            tail += f'<autoFilter ref="{self.filter_range()}"/>'
        tail += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
        return head.encode() + b"".join(block for _, _, block in blocks) + tail.encode()

    def filter_range(self, absolute: bool = False) -> str:
        header, last_row, last_column = self.filtered or (0, 0, 0)
        mark = "$" if absolute else ""
        first, last = f"{mark}A{mark}{header + 1}", f"{mark}{column_name(last_column)}{mark}{last_row + 1}"
        return f"{first}:{last}"


class Workbook:
    """The sheets in the order first asked for, their shared strings, and the package written at close."""

    def __init__(self, path: Path, header_fill: str) -> None:
        self.path = path
        self.header_fill = header_fill.lstrip("#").upper()
        self.sheets: dict[str, Sheet] = {}
        self.strings = SharedStrings()

    def sheet(self, name: str) -> Sheet:
        return self.sheets.setdefault(name, Sheet(name))

    def close(self) -> None:
        sheets = list(self.sheets.values()) or [Sheet("Sheet1")]
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            package.writestr("[Content_Types].xml", _content_types(len(sheets)))
            package.writestr("_rels/.rels", _package_rels())
            package.writestr("xl/workbook.xml", _workbook_xml(sheets))
            package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
            package.writestr("xl/styles.xml", _styles_xml(self.header_fill))
            package.writestr("xl/sharedStrings.xml", self.strings.xml())
            for i, sheet in enumerate(sheets, 1):
                package.writestr(f"xl/worksheets/sheet{i}.xml", sheet.xml())


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>{sheets}'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/></Types>'
    )


def _package_rels() -> str:
    return (
        f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )


def _workbook_rels(count: int) -> str:
    parts = [
        f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    ]
    parts.append(f'<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/>')
    parts.append(f'<Relationship Id="rId{count + 2}" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>')
    return f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">{"".join(parts)}</Relationships>'


def _workbook_xml(sheets: list[Sheet]) -> str:
    listed = "".join(
        f'<sheet name={quoteattr(sheet.name)} sheetId="{i}" r:id="rId{i}"/>' for i, sheet in enumerate(sheets, 1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(sheet.name))}!{sheet.filter_range(absolute=True)}</definedName>"
        for i, sheet in enumerate(sheets)
        if sheet.filtered
    )
    defined = f"<definedNames>{names}</definedNames>" if names else ""
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{listed}</sheets>{defined}</workbook>"
    )


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _styles_xml(fill: str) -> str:
    font = '<sz val="{size}"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
    fonts = (
        f"<font>{font.format(size=11)}</font><font><b/>{font.format(size=11)}</font>"
        f"<font><b/>{font.format(size=12)}</font>"
    )
    fills = (
        '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fill}"/><bgColor indexed="64"/></patternFill></fill>'
    )
    xfs = (
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
        'applyAlignment="1"><alignment vertical="center"/></xf>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    )
    return (
        f'{_HEAD}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
        f'<fonts count="3">{fonts}</fonts><fills count="3">{fills}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(STYLES)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )

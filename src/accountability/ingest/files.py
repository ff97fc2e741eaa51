"""The file layer of ingest: find the ledgers in a folder or workbook, their header rows, their raw cells."""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextvars import copy_context
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
from pandas.api.types import infer_dtype
from python_calamine import CalamineWorkbook

from accountability import progress
from accountability.contract.schema import LedgerSpec, fold, ledger_specs, normalize_header
from accountability.errors import AccountabilityError
from accountability.ingest.values import arrow_array, is_empty
from accountability.tuning import Tuning

EXCEL = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"}
TEXT = {".csv", ".tsv", ".txt"}
SUPPORTED = EXCEL | TEXT | {".parquet"}
HEADER_SCAN_ROWS = 30
# Sheets that are never ledgers: instructions, and the hidden drop-down lists of the templates (取值).
NON_LEDGER_SHEETS = {
    fold(name) for name in ("说明", "填表说明", "填报说明", "抽样说明", "取值", "instructions", "readme")
}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Rows of a printed table that are not records (LEDGERS.md, "Rows that are not data"), by their first non-empty cell.
TOTALS = r"^(?:合计|小计|总计|共计|累计)[:：]?$|^共\d+(?:条|处|个|件|人|次)"
FOOTER_WORDS = "填表人|填报人|制表人|审核人|负责人|联系人|联系电话|填报日期|制表日期|填报单位|备注|注[:：]|说明[:：]"
FOOTERS = rf"^(?:{FOOTER_WORDS})|\(盖章\)"


@dataclass
class RawTable:
    """One ledger's cells as read from one file or sheet, each row with its Excel row number (`row`)."""

    ledger: str
    file: str
    sheet: str | None
    headers: dict[str, str]
    frame: pd.DataFrame
    extra_headers: list[str] = field(default_factory=list)
    sha256: str = ""
    recognised_by: str = "name"
    skipped: list[dict] = field(default_factory=list)


@dataclass
class FileProblem:
    """A file or sheet that could not be used. `unreadable`: its records could be anything (a file that did not
    open, a ledger without its required columns), so nothing the rules judge from `ledger` is confirmed (None:
    a file whose name does not say its ledger, which could be any)."""

    file: str
    sheet: str | None
    message: str
    fix: str
    ledger: str | None = None
    unreadable: bool = False


def _names() -> list[tuple[str, str]]:
    """(folded name, ledger key), longest first so the most specific name wins."""
    pairs = []
    for key, spec in ledger_specs().items():
        pairs.append((fold(key), key))
        pairs += [(fold(name), key) for name in spec.names]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def ledger_for_name(name: str) -> str | None:
    """A file or sheet name → ledger key: the English key, or a Chinese name, after any unit or year prefix."""
    folded = fold(name)
    for alias, key in _names():
        if folded == alias or (not alias.isascii() and folded.endswith(alias)):
            return key
    return None


def _header_row(rows: list[list[object]], spec: LedgerSpec | None) -> tuple[int, str] | None:
    """The first row naming at least two known columns of the ledger (any ledger when `spec` is None)."""
    specs = [spec] if spec else list(ledger_specs().values())
    lookups = [(s.key, s.header_lookup()) for s in specs]
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = {normalize_header(c) for c in row if c is not None and str(c).strip()}
        scored = []
        for key, lookup in lookups:
            named = {lookup[c] for c in cells if c in lookup}
            required = set(ledger_specs()[key].required_keys)
            scored.append((len(named), required <= named, key))
        good = [s for s in scored if s[0] >= 2]
        if not good:
            continue
        if spec:
            return index, spec.key
        complete = sorted([s for s in good if s[1]], reverse=True)
        if complete and (len(complete) == 1 or complete[0][0] > complete[1][0]):
            return index, complete[0][2]
        return None
    return None


def _header_cells(rows: list[list[object]], index: int, lookup: dict[str, str]) -> tuple[list[object], int]:
    """The header's cells and how many rows it takes: a second header row below (a merged two-row header whose
    lower row names the columns) is merged in, its names taking the place of the merged cell above."""
    header = list(rows[index])
    lower = list(rows[index + 1]) if index + 1 < len(rows) else []
    filled = [c for c in lower if not _blank(c)]
    named = [c for c in filled if normalize_header(c) in lookup]
    if len(named) < 2 or len(named) * 2 < len(filled):
        return header, 1
    width = max(len(header), len(lower))
    header += [None] * (width - len(header))
    lower += [None] * (width - len(lower))
    return [below if not _blank(below) else above for above, below in zip(header, lower, strict=True)], 2


def _blank(cell: object) -> bool:
    return cell is None or not str(cell).strip()


def _columns(header: list[object], grid: pd.DataFrame, spec: LedgerSpec) -> tuple[dict, dict, list[str]]:
    """(key → header as written, key → position, extra headers). Where two columns name one key, a 序号-like
    column holding only 1, 2, 3 … gives way to the other, else the header the contract lists first wins."""
    lookup = spec.header_lookup()
    found: dict[str, list[tuple[int, str]]] = {}
    extra = []
    for position, cell in enumerate(header):
        if _blank(cell):
            continue
        key = lookup.get(normalize_header(cell))
        if key is None:
            extra.append(str(cell).strip())
        else:
            found.setdefault(key, []).append((position, str(cell).strip()))
    headers, positions = {}, {}
    for key, candidates in found.items():
        if len(candidates) > 1:
            real = [c for c in candidates if not _counting(grid.get(c[0]))] or candidates
            listed = [normalize_header(h) for h in spec.column(key).headers] if key in spec.column_keys else []
            real.sort(key=lambda c: listed.index(normalize_header(c[1])) if normalize_header(c[1]) in listed else 99)
            extra += [h for c in candidates if c is not real[0] for h in [c[1]]]
            candidates = real[:1]
        positions[key], headers[key] = candidates[0]
    return headers, positions, extra


def _counting(cells: pd.Series | None) -> bool:
    """A column of 1, 2, 3 … (a row counter, not an id)."""
    if cells is None:
        return False
    numbers = pd.to_numeric(cells.astype("string").str.strip(), errors="coerce").dropna()
    return len(numbers) > 0 and bool((numbers.to_numpy() == range(1, len(numbers) + 1)).all())


def _row_kinds(grid: pd.DataFrame, known: pd.DataFrame) -> pd.Series:
    """Why each row below the header is not a record ('' for a record): totals, footers and blank rows
    (LEDGERS.md, "Rows that are not data"), told by the first non-empty cell and by the ledger's columns (`known`,
    as `_column` made them: its text already Arrow's)."""
    first = pd.Series(pd.NA, index=grid.index, dtype="string")
    for position in grid.columns:  # each column only where no cell to the left had text: most rows stop at the first
        empty = first.isna().to_numpy()
        if not empty.any():
            break
        cells = grid[position] if empty.all() else grid[position][empty]
        first[empty] = cells.astype("string").str.replace(r"\s+", "", regex=True).replace("", pd.NA)
    folded = pd.Series(pd.arrays.ArrowStringArray(pc.utf8_normalize(arrow_array(first), "NFKC")), index=grid.index)
    filled = pd.concat([~is_empty(known[c]) for c in known] + [pd.Series(False, index=grid.index)], axis=1).any(axis=1)
    why = pd.Series("", index=grid.index, dtype=object)
    why[~filled.to_numpy()] = "空行"
    why[folded.str.contains(FOOTERS).fillna(False).to_numpy(dtype=bool)] = "表尾（填表人、备注等）"
    why[folded.str.contains(TOTALS).fillna(False).to_numpy(dtype=bool)] = "合计行"
    return why


def _table(rows: list[list[object]], spec: LedgerSpec, header_index: int, file: str, sheet: str | None) -> RawTable:
    """The records below the header row as columns named by key; the rows that are not records set aside."""
    header, depth = _header_cells(rows, header_index, spec.header_lookup())
    start = header_index + depth
    grid = pd.DataFrame(rows[start:], dtype=object)
    headers, positions, extra = _columns(header, grid, spec)
    frame = pd.DataFrame({key: _column(grid.get(pos)) for key, pos in positions.items()}, index=grid.index)
    why = _row_kinds(grid, frame)
    frame["row"] = range(start + 1, start + 1 + len(frame))
    last = why.ne("空行").to_numpy().nonzero()[0]
    why = why.iloc[: last[-1] + 1 if len(last) else 0]  # blank rows below the table are not rows of it
    above = [
        (i + 1, "表头上方的标题或填报信息行")
        for i, row in enumerate(rows[:header_index])
        if any(not _blank(c) for c in row)
    ]
    above += [(header_index + 2, "表头第二行")] if depth == 2 else []
    aside = why[why != ""]
    skipped = [{"file": file, "sheet": sheet, "row": row, "why": reason} for row, reason in above]
    skipped += [
        {"file": file, "sheet": sheet, "row": int(row), "why": reason}
        for row, reason in zip(frame["row"].reindex(aside.index), aside, strict=True)
    ]
    frame = frame.loc[why.index[why == ""]].reset_index(drop=True)
    return RawTable(spec.key, file, sheet, headers, frame, extra, skipped=skipped)


def _column(cells: pd.Series | None) -> pd.Series | None:
    """A column of text cells becomes Arrow text once, here, for the string kernels of typing; a column holding
    numbers or dates as Excel gave them stays as Python objects."""
    if cells is not None and infer_dtype(cells, skipna=True) == "string":
        return cells.astype("string")
    return cells


def _missing_required(table: RawTable, spec: LedgerSpec) -> list[str]:
    return [spec.column(key).label for key in spec.required_keys if key not in table.headers]


def _sheet_tables(
    rows: list[list[object]], name_hint: str | None, file: str, sheet: str | None
) -> tuple[RawTable | None, FileProblem | None]:
    """Recognise one grid by its name, else by its header row."""
    if not any(c is not None and str(c).strip() for row in rows for c in row):
        return None, None
    specs = ledger_specs()
    key = ledger_for_name(name_hint) if name_hint else None
    found = _header_row(rows, specs[key] if key else None)
    where = f"工作表「{sheet}」" if sheet else "文件"
    if found is None:
        if key:
            return None, FileProblem(
                file, sheet, f"{where}找不到表头行（前{HEADER_SCAN_ROWS}行中没有一行写出两个以上该台账的列名）",
                f"请按「{specs[key].title}」的列名填写表头，如：{'、'.join(c.label for c in specs[key].columns[:5])}",
                ledger=key, unreadable=True,
            )  # fmt: skip
        return None, FileProblem(
            file, sheet, f"{where}未识别为任何台账（名称与表头都不匹配）",
            "请把文件或工作表命名为台账名称（如“巡查台账”），或使用台账的中文表头",
        )  # fmt: skip
    header_index, ledger = found
    spec = specs[ledger]
    table = _table(rows, spec, header_index, file, sheet)
    table.recognised_by = "name" if key else "header"
    missing = _missing_required(table, spec)
    if missing:
        return None, FileProblem(
            file, sheet, f"{where}（{spec.title}）缺少必填列：{'、'.join(missing)}", "请在表头行补上这些列",
            ledger=spec.key, unreadable=True,
        )  # fmt: skip
    return table, None


def _read_excel(path: Path, file: str) -> tuple[list[RawTable], list[FileProblem]]:
    """.xlsx, .xlsm, .xls, .xlsb, .ods and WPS .et, told apart by their content (a .xls renamed .xlsx reads)."""
    data = path.read_bytes()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            (name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in workbook.sheet_names
        ]
    except Exception as exc:
        return [], [_unreadable(file, path.stem, *_excel_cause(data, path.suffix.lower(), exc))]
    tables, problems = [], []
    file_key = ledger_for_name(path.stem)
    for index, (name, rows) in enumerate(sheets):
        if fold(name) in NON_LEDGER_SHEETS:
            continue
        sheet_key = ledger_for_name(name)
        hint = name if sheet_key else (path.stem if file_key and index == 0 else None)
        table, problem = _sheet_tables(rows, hint, file, name)
        tables += [table] if table else []
        problems += [problem] if problem else []
    return tables, problems


def _excel_cause(data: bytes, suffix: str, exc: Exception) -> tuple[str, str]:
    """Why a workbook could not be opened, and the fix that fits that cause."""
    if not data:
        return "文件是空的（0 字节）", "请从原处重新复制或导出这份台账"
    if suffix == ".et":
        return "WPS 表格文件（.et）无法读取", "请在 WPS 中另存为 .xlsx"
    if data[:4] == OLE_MAGIC and suffix in (".xlsx", ".xlsm"):
        return "文件设有打开密码（已加密）", "请在 Excel 中取消打开密码（文件→信息→保护工作簿）后另存为 .xlsx"
    if data[:2] == b"PK" or data[:4] == OLE_MAGIC:
        return f"文件已损坏或不完整（{type(exc).__name__}）", "请用 Excel 打开后另存一份，或从原处重新复制这份台账"
    return "文件内容不是 Excel 表格", "请确认文件类型，台账请存为 .xlsx"


def _decoded(data: bytes) -> str | None:
    """Text in UTF-16 (Excel's “Unicode 文本”), UTF-8 (with or without BOM) or GB18030."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_text(path: Path, file: str) -> tuple[list[RawTable], list[FileProblem]]:
    """CSV, and tab-separated text (Excel's “文本文件（制表符分隔）” and “Unicode 文本”), by its first line."""
    data = path.read_bytes()
    text = _decoded(data)
    if text is None:
        return [], [
            _unreadable(file, path.stem, "无法识别文件编码", "请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或 .xlsx")
        ]
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = "\t" if first.count("\t") > first.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False, sep=separator)
    except pd.errors.EmptyDataError:
        return [], [_unreadable(file, path.stem, "文件是空的", "请从原处重新复制或导出这份台账")]
    except pd.errors.ParserError as exc:
        return [], [_unreadable(file, path.stem, f"表格格式有误（{exc}）", "请在 Excel 中打开后另存为 .xlsx")]
    rows = frame.astype(object).where(frame != "", None).to_numpy().tolist()
    table, problem = _sheet_tables(rows, path.stem, file, None)
    return ([table] if table else []), ([problem] if problem else [])


def _read_parquet(path: Path, file: str) -> tuple[list[RawTable], list[FileProblem]]:
    try:
        frame = pd.read_parquet(path, dtype_backend="pyarrow")
    except Exception as exc:
        return [], [_unreadable(file, path.stem, f"Parquet 文件无法读取（{type(exc).__name__}）", "请重新导出这份台账")]
    key = ledger_for_name(path.stem)
    rows = [list(frame.columns)]
    found = _header_row(rows, ledger_specs()[key] if key else None)
    if found is None:
        return [], [
            FileProblem(
                file, None, "文件未识别为任何台账（名称与列名都不匹配）", "请用台账名称命名文件，或使用台账的列名"
            )
        ]
    spec = ledger_specs()[found[1]]
    lookup = spec.header_lookup()
    headers = {}
    for column in frame.columns:
        key_for = lookup.get(normalize_header(column))
        if key_for and key_for not in headers:
            headers[key_for] = str(column)
    data = pd.DataFrame({k: frame[h] for k, h in headers.items()})
    data["row"] = range(2, len(data) + 2)
    extra = [str(c) for c in frame.columns if str(c) not in headers.values()]
    table = RawTable(spec.key, file, None, headers, data, extra, recognised_by="name" if key else "header")
    missing = _missing_required(table, spec)
    if missing:
        message = f"文件（{spec.title}）缺少必填列：{'、'.join(missing)}"
        return [], [FileProblem(file, None, message, "请补上这些列", ledger=spec.key, unreadable=True)]
    return [table], []


def _unreadable(file: str, stem: str, reason: str, fix: str) -> FileProblem:
    """A file seen but not read: its ledger (by its name, when the name tells) counts as unreadable."""
    return FileProblem(file, None, f"无法读取文件：{reason}", fix, ledger=ledger_for_name(stem), unreadable=True)


READERS = {**dict.fromkeys(EXCEL, _read_excel), **dict.fromkeys(TEXT, _read_text), ".parquet": _read_parquet}


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def read_ledger_set(path: Path, readers: int = Tuning.readers) -> tuple[list[RawTable], list[FileProblem]]:
    """Every ledger table in a folder (or one workbook), and what could not be used, in the files' order. The
    files are read by `readers` threads (Tuning.readers), largest first so that the last to finish is a small one;
    each runs in a copy of this context, which holds the packs' extra headers (schema.pack_headers)."""
    if not path.exists():
        raise AccountabilityError("找不到台账文件夹或文件", file=str(path), fix="请检查路径")
    files = _files(path)
    largest_first = sorted(files, key=lambda f: f.stat().st_size, reverse=True)
    read: dict[Path, tuple[list[RawTable], list[FileProblem]]] = {}
    with (
        progress.stage("读取台账文件", len(files)) as advance,
        ThreadPoolExecutor(max(1, min(readers, len(files)))) as pool,
    ):
        reading = {pool.submit(copy_context().run, _read_file, f): f for f in largest_first}
        for done in as_completed(reading):
            read[reading[done]] = done.result()
            advance(1)
    tables = [table for f in files for table in read[f][0]]
    problems = [problem for f in files for problem in read[f][1]]
    return tables, problems


def _read_file(file_path: Path) -> tuple[list[RawTable], list[FileProblem]]:
    """One file's ledger tables, each with the file's content hash, and its problems."""
    file = file_path.name
    suffix = file_path.suffix.lower()
    if suffix not in SUPPORTED:
        fix = "台账请使用 .xlsx、.xls、.et、.ods、.csv 或 .parquet"
        return [], [FileProblem(file, None, f"已忽略不支持的文件类型 {suffix or '（无扩展名）'}", fix)]
    found, issues = READERS[suffix](file_path, file)
    digest = hashlib.sha256(file_path.read_bytes()).hexdigest()
    for table in found:
        table.sha256 = digest
    return found, issues

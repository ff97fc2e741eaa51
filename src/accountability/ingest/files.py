"""The file layer of ingest: find the ledgers in a folder or workbook, their header rows, their raw cells."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextvars import copy_context
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pandas.api.types import infer_dtype
from python_calamine import CalamineWorkbook

from accountability import progress
from accountability.contract.schema import LedgerSpec, fold, ledger_specs, normalize_header
from accountability.errors import AccountabilityError
from accountability.ingest.values import is_empty
from accountability.tuning import Tuning

SUPPORTED = {".csv", ".xlsx", ".xlsm", ".parquet"}
HEADER_SCAN_ROWS = 30
# Sheets that are never ledgers: instructions, and the hidden drop-down lists of the templates (取值).
NON_LEDGER_SHEETS = {
    fold(name) for name in ("说明", "填表说明", "填报说明", "抽样说明", "取值", "instructions", "readme")
}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


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


@dataclass
class FileProblem:
    """A file or sheet that could not be used; `fatal` when the input as a whole cannot be trusted."""

    file: str
    sheet: str | None
    message: str
    fix: str
    fatal: bool = False


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


def _table(rows: list[list[object]], spec: LedgerSpec, header_index: int, file: str, sheet: str | None) -> RawTable:
    """Cells below the header row as columns named by key; fully empty rows dropped."""
    lookup = spec.header_lookup()
    header = rows[header_index]
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    extra = []
    for position, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        key = lookup.get(normalize_header(cell))
        if key is None or key in headers:
            extra.append(str(cell).strip())
            continue
        headers[key] = str(cell).strip()
        positions[key] = position
    grid = pd.DataFrame(rows[header_index + 1 :], dtype=object)
    frame = pd.DataFrame({key: _column(grid.get(pos)) for key, pos in positions.items()}, index=grid.index)
    frame["row"] = range(header_index + 2, header_index + 2 + len(frame))
    filled = pd.concat([~is_empty(frame[key]) for key in positions] + [pd.Series(False, index=frame.index)], axis=1)
    frame = frame[filled.any(axis=1).to_numpy()].reset_index(drop=True)
    return RawTable(spec.key, file, sheet, headers, frame, extra)


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
            file, sheet, f"{where}（{spec.title}）缺少必填列：{'、'.join(missing)}", "请在表头行补上这些列"
        )
    return table, None


def _read_xlsx(path: Path, file: str) -> tuple[list[RawTable], list[FileProblem]]:
    if path.read_bytes()[:4] == OLE_MAGIC:
        return [], [_unreadable(file, "文件设有打开密码（已加密）或不是 .xlsx 格式")]
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [
            (name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in workbook.sheet_names
        ]
    except Exception as exc:
        return [], [_unreadable(file, f"文件已损坏或不是 Excel 文件（{type(exc).__name__}）")]
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


def _read_csv(path: Path, file: str) -> tuple[list[RawTable], list[FileProblem]]:
    for encoding in CSV_ENCODINGS:
        try:
            frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            return [], [_unreadable(file, f"CSV 格式有误（{exc}）")]
    else:
        return [], [_unreadable(file, "无法识别文件编码（支持 UTF-8 与 GB18030）")]
    rows = frame.astype(object).where(frame != "", None).to_numpy().tolist()
    table, problem = _sheet_tables(rows, path.stem, file, None)
    return ([table] if table else []), ([problem] if problem else [])


def _read_parquet(path: Path, file: str) -> tuple[list[RawTable], list[FileProblem]]:
    try:
        frame = pd.read_parquet(path, dtype_backend="pyarrow")
    except Exception as exc:
        return [], [_unreadable(file, f"Parquet 文件无法读取（{type(exc).__name__}）")]
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
        return [], [FileProblem(file, None, f"文件（{spec.title}）缺少必填列：{'、'.join(missing)}", "请补上这些列")]
    return [table], []


def _unreadable(file: str, reason: str) -> FileProblem:
    return FileProblem(
        file, None, f"无法读取文件：{reason}", "请在 Excel 中取消打开密码后另存为 .xlsx，或换一份完好的文件", fatal=True
    )


READERS = {".csv": _read_csv, ".xlsx": _read_xlsx, ".xlsm": _read_xlsx, ".parquet": _read_parquet}


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
        fix = "请在 Excel 中另存为 .xlsx" if suffix == ".xls" else "台账请使用 .xlsx、.csv 或 .parquet"
        return [], [FileProblem(file, None, f"已忽略不支持的文件类型 {suffix or '（无扩展名）'}", fix)]
    found, issues = READERS[suffix](file_path, file)
    digest = hashlib.sha256(file_path.read_bytes()).hexdigest()
    for table in found:
        table.sha256 = digest
    return found, issues

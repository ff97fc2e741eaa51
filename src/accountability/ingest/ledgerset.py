"""Raw tables → typed ledgers: every cell parsed by its column type, references resolved, bad rows kept as errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from difflib import get_close_matches

import numpy as np
import pandas as pd
import pyarrow as pa

from accountability import progress
from accountability.contract.schema import ColumnSpec, LedgerSpec, ledger_specs, shown_header
from accountability.errors import AccountabilityError
from accountability.ingest import values as v
from accountability.ingest.files import FileProblem, RawTable
from accountability.ingest.references import Directory
from accountability.ingest.units import UnitTree

ERROR_COLUMNS = [
    "ledger", "file", "sheet", "row", "column", "key", "value", "reason", "fix", "rejected", "unit", "record",
]  # fmt: skip
SIMPLE_PARSERS = {
    "text": v.parse_text,
    "id": v.parse_id,
    "date": v.parse_date,
    "time": v.parse_time,
    "bool": v.parse_bool,
    "number": v.parse_number,
    "integer": v.parse_integer,
    "money": v.parse_money,
    "quarter": v.parse_quarter,
    "month": v.parse_month,
}
# Column types whose parsers are Arrow's kernels only (see values.Distinct).
ARROW_PARSED = ("text", "id")
REFERENCE_FIX = {
    "unit": "请填写单位名册中的单位编码或完整名称；重名单位请填编码",
    "person": "请填写责任人名册中的人员编号或姓名；重名人员请填编号",
}


@dataclass
class LedgerStat:
    """What was read of one ledger: rows read = rows used + rows rejected."""

    ledger: str
    title: str
    files: list[dict[str, str | None]]
    rows_read: int = 0
    rows_used: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    extra_headers: list[str] = field(default_factory=list)


@dataclass
class Typed:
    frame: pd.DataFrame
    errors: list[pd.DataFrame]


def _errors(raw: pd.DataFrame, spec: LedgerSpec, column: ColumnSpec, mask: pd.Series, reason, fix: str) -> pd.DataFrame:
    """One error row per cell of `column` flagged in `mask`."""
    if not mask.any():
        return pd.DataFrame(columns=ERROR_COLUMNS)
    needed = [c for c in ("_file", "_sheet", "_row", column.key, "_header_" + column.key) if c in raw]
    bad = raw.loc[mask, needed]  # these columns only: a ledger's others are not copied
    cells = bad[column.key] if column.key in bad else pd.Series(pd.NA, index=bad.index)
    return pd.DataFrame(
        {
            "ledger": spec.key,
            "file": bad["_file"],
            "sheet": bad["_sheet"],
            "row": bad["_row"],
            "column": bad["_header_" + column.key].astype("str") if "_header_" + column.key in bad else column.label,
            "key": column.key,
            "value": cells.astype("string").str.strip().fillna(""),  # as a clerk reads it
            "reason": reason[mask] if isinstance(reason, pd.Series) else reason,
            "fix": fix,
            "rejected": column.required,
        },
        index=bad.index,
    )


class Typer:
    """Types the columns of one ledger, given the unit and person directories known so far and the audit's as_of
    (a date after it, but for a deadline, is a typo for another year: the row is unreadable, LEDGERS.md)."""

    def __init__(self, units: Directory | None, people: Directory | None, as_of: dt.date | None = None) -> None:
        self.units = units
        self.people = people
        self.as_of = as_of

    def column(self, raw: pd.DataFrame, spec: LedgerSpec, column: ColumnSpec, out: Typed) -> None:
        cells = raw[column.key] if column.key in raw else pd.Series(None, index=raw.index, dtype=object)
        kind = column.type
        distinct = v.Distinct(cells, arrow_parsed=kind in ARROW_PARSED)
        if kind in SIMPLE_PARSERS or kind in ("enum", "enum_list"):
            parsed = distinct.parsed(self._simple(distinct.uniques, column))
            reason, fix = self._reason(column)
            out.errors.append(_errors(raw, spec, column, parsed.bad, reason, fix))
            if kind == "date" and self.as_of is not None and not column.future:
                late = (parsed.values > pd.Timestamp(self.as_of)).fillna(False).astype(bool)
                found = _errors(raw, spec, column, late, "日期晚于检查截止日", f"请核对年份（检查截止日 {self.as_of}）")
                out.errors.append(found.assign(rejected=True))
                parsed = v.Parsed(parsed.values.mask(late), parsed.bad)
            out.frame[column.key] = parsed.values
        elif kind == "list":
            out.frame[column.key] = distinct.expand(v.split_list(distinct.uniques))
        elif kind in ("unit", "person", "person_or_name", "unit_or_text"):
            self._reference(raw, spec, column, distinct, out)
        else:
            self._reference_list(raw, spec, column, distinct, out)
        if column.required:
            empty = distinct.expand(v.is_empty(distinct.uniques))
            out.errors.append(_errors(raw, spec, column, empty, "必填项为空", f"请填写「{column.label}」"))

    @staticmethod
    def _simple(cells: pd.Series, column: ColumnSpec) -> v.Parsed:
        if column.type == "enum":
            return v.parse_enum(cells, column.enum_lookup())
        if column.type == "enum_list":
            return v.parse_enum_list(cells, column.enum_lookup())
        return SIMPLE_PARSERS[column.type](cells)

    @staticmethod
    def _reason(column: ColumnSpec) -> tuple[str, str]:
        if column.type in ("enum", "enum_list"):
            return "无法识别的取值", v.enum_fix(column.enum_lookup())
        return v.REASONS[column.type]

    def _directory(self, kind: str) -> tuple[Directory | None, str]:
        return (self.units, "unit") if kind.startswith("unit") else (self.people, "person")

    def _reference(
        self, raw: pd.DataFrame, spec: LedgerSpec, column: ColumnSpec, distinct: v.Distinct, out: Typed
    ) -> None:
        """`col` = the resolved id, else the text as written; `col_id` = the id; `col_text` = as written."""
        text = v.parse_text(distinct.uniques).values.astype("string")
        directory, noun = self._directory(column.type)
        if directory is None:
            resolved_ids = pd.Series(pd.NA, index=text.index, dtype="string")
            reason = pd.Series(pd.NA, index=text.index, dtype="string").mask(text.notna(), "名册缺失，无法核对")
        else:
            resolved = directory.resolve(text)
            resolved_ids, reason = resolved.ids, resolved.reason
        ids = distinct.expand(resolved_ids)
        out.frame[column.key] = ids if column.type == "unit" else distinct.expand(resolved_ids.fillna(text))
        out.frame[f"{column.key}_id"] = ids
        out.frame[f"{column.key}_text"] = distinct.expand(text)
        if column.type in ("unit", "person"):
            reason = distinct.expand(reason)
            out.errors.append(_errors(raw, spec, column, reason.notna(), reason, REFERENCE_FIX[noun]))

    def _reference_list(
        self, raw: pd.DataFrame, spec: LedgerSpec, column: ColumnSpec, distinct: v.Distinct, out: Typed
    ) -> None:
        lists = v.split_list(distinct.uniques)
        directory, noun = self._directory(column.type)
        if directory is None:
            out.frame[column.key] = distinct.expand(lists)
            return
        ids, keys, reason = directory.resolve_lists(lists)
        out.frame[column.key] = distinct.expand(ids if column.type == "unit_list" else keys)
        if column.type == "unit_list":
            reason = distinct.expand(reason)
            out.errors.append(_errors(raw, spec, column, reason.notna(), reason, REFERENCE_FIX[noun]))

    def ledger(self, raw: pd.DataFrame, spec: LedgerSpec) -> Typed:
        """Every column of the contract typed in its order, with the file, sheet and row of each raw row."""
        out = Typed(pd.DataFrame(index=raw.index), [])
        for column in spec.columns:
            self.column(raw, spec, column, out)
        frame = pd.concat([out.frame, raw[["_file", "_sheet", "_row"]]], axis=1)
        return Typed(frame, out.errors)


def _concat_raw(tables: list[RawTable]) -> pd.DataFrame:
    """All tables of one ledger stacked, each row keeping file, sheet, row and the headers as written (the headers
    as categories: the same few texts on a million rows, read only for the rows in error)."""
    parts = [t.frame.rename(columns={"row": "_row"}).assign(_file=t.file, _sheet=t.sheet) for t in tables]
    raw = pd.concat(_alike(parts), ignore_index=True)
    table = np.repeat(np.arange(len(tables)), [len(t.frame) for t in tables])
    keys = dict.fromkeys(key for t in tables for key in t.headers)
    return raw.assign(
        **{"_header_" + key: _per_table([_shown(t.headers.get(key)) for t in tables], table) for key in keys}
    )


def _alike(parts: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """A column that is text in every file (Arrow text from Parquet, pandas text from Excel and CSV) made Arrow
    text of one kind in each, so the files join as text: joined as they come, the two kinds make one column of
    Python objects, which typing then pays for on every row (600,000 patrols in ten files: 1.9 s)."""
    if len(parts) < 2:
        return parts
    keys = dict.fromkeys(key for part in parts for key in part.columns)
    text = [key for key in keys if all(key not in p or v.arrow_text(p[key]) for p in parts)]
    mixed = [key for key in text if len({str(p[key].dtype) for p in parts if key in p}) > 1]
    if not mixed:
        return parts
    large = pd.ArrowDtype(pa.large_string())
    return [p.astype({key: large for key in mixed if key in p}) for p in parts]


def _shown(header: str | None) -> str | None:
    return None if header is None else shown_header(header)


def _per_table(values: list[str | None], table: np.ndarray) -> pd.Categorical:
    """Each table's value (None: none) on each of its rows."""
    categories = list(dict.fromkeys(value for value in values if value is not None))
    codes = np.array([-1 if value is None else categories.index(value) for value in values])
    return pd.Categorical.from_codes(codes[table], categories)


class LedgerSet:
    """The typed ledgers of one audit, with what could not be read.

    `frames` hold the rows in use; `rejected` the rows that could not be used, typed as far as they could be (NA
    where a cell could not be read), for reading them in a unit's favour; `locations` the file, sheet, row and id
    of every row read, rejected ones too, so evidence can point at a row that could not be used; `skipped` the rows
    that are not records (totals, footers, blank rows: LEDGERS.md, "Rows that are not data")."""

    def __init__(self, name: str, problems: list[FileProblem] | None = None) -> None:
        self.name = name
        self.frames: dict[str, pd.DataFrame] = {}
        self.rejected: dict[str, pd.DataFrame] = {}
        self.locations: dict[str, pd.DataFrame] = {}
        self.skipped: list[dict] = []
        self.invalid: dict[tuple[str, str], pd.Index] = {}
        self.candidates: dict[str, pd.Series] = {}
        self.stats: list[LedgerStat] = []
        self.problems = problems or []
        self.errors = pd.DataFrame(columns=ERROR_COLUMNS)
        self.units: UnitTree
        self.people = pd.DataFrame({"id": pd.Series(dtype="string"), "name": [], "unit": [], "roles": [], "covers": []})

    def has(self, ledger: str) -> bool:
        return ledger in self.frames

    def frame(self, ledger: str) -> pd.DataFrame:
        return self.frames[ledger]

    def invalid_cells(self, ledger: str, column: str) -> pd.Index:
        """The rows (labels) of a ledger whose cell in `column` could not be read."""
        return self.invalid.get((ledger, column), pd.Index([]))

    def unreadable(self, ledger: str, named: bool = False) -> list[FileProblem]:
        """Files seen but not read that may hold this ledger's records: theirs by name, and (unless `named`) those
        whose name says no ledger."""
        return [p for p in self.problems if p.unreadable and p.ledger in ((ledger,) if named else (ledger, None))]


def _hand_back(raw: pd.DataFrame, spec: LedgerSpec, typed: pd.DataFrame, ledger_set: LedgerSet) -> pd.DataFrame:
    """The city inspector's record handed back: a problem it names with a 抽查日期 is spot-checked, whatever the
    problems ledger's own column says (the inspector's record is the evidence, see ledgers.yaml); a 问题编号 the
    problems ledger does not have (rejected rows included) is an error of that row."""
    problems = ledger_set.frames["problems"]
    checked = typed.loc[typed["checked_date"].notna(), "problem"]
    ledger_set.frames["problems"] = problems.assign(
        spot_checked=problems["spot_checked"].mask(v.isin(problems["id"], checked), True)
    )
    unknown = typed["problem"].notna() & ~v.isin(typed["problem"], ledger_set.locations["problems"]["id"].dropna())
    fix = "请填写问题整改台账中已有的问题编号（按抽查样本原样填写），或先在问题整改台账中登记该问题"
    return _errors(raw, spec, spec.column("problem"), unknown, "问题整改台账中没有此问题编号", fix)


def _stat(spec: LedgerSpec, tables: list[RawTable], raw: pd.DataFrame, rejected: pd.Series) -> LedgerStat:
    """The ledger's counts, and each file's (sheet's) own: a ledger kept in ten files is read ten times over."""
    table = np.repeat(np.arange(len(tables)), [len(t.frame) for t in tables])
    read = np.bincount(table, minlength=len(tables))
    dropped = np.bincount(table, weights=rejected.to_numpy(dtype=float), minlength=len(tables)).astype(int)
    files = [
        {"file": t.file, "sheet": t.sheet, "sha256": t.sha256, "rows_read": int(n), "rows_used": int(n - r),
         "rows_rejected": int(r), "rows_skipped": len(t.skipped)}
        for t, n, r in zip(tables, read, dropped, strict=True)
    ]  # fmt: skip
    return LedgerStat(
        ledger=spec.key,
        title=spec.title,
        files=files,
        rows_read=len(raw),
        rows_used=int((~rejected).sum()),
        rows_rejected=int(rejected.sum()),
        rows_skipped=sum(len(t.skipped) for t in tables),
        extra_headers=sorted({h for t in tables for h in t.extra_headers}),
    )


def _type_ledger(
    ledger_set: LedgerSet, typer: Typer, spec: LedgerSpec, tables: list[RawTable], errors: list[pd.DataFrame]
) -> None:
    """Type one ledger into the set; the units and people it brings become the directories later ledgers use."""
    key = spec.key
    raw = _concat_raw(tables)
    if key == "units":
        ids, names = (v.Distinct(raw[column]) for column in ("id", "name"))
        typer.units = Directory(
            ids.expand(v.parse_id(ids.uniques).values), names.expand(v.parse_text(names.uniques).values), "单位"
        )
    typed = typer.ledger(raw, spec)
    typed.frame = v.one_chunk(typed.frame)
    if key == "spot_checks" and ledger_set.has("problems"):
        typed.errors.append(_hand_back(raw, spec, typed.frame, ledger_set))
    ledger_errors = pd.concat([e for e in typed.errors if not e.empty] or [pd.DataFrame(columns=ERROR_COLUMNS)])
    rejected = pd.Series(raw.index.isin(ledger_errors.index[ledger_errors["rejected"].astype(bool)]), index=raw.index)
    frame = typed.frame[~rejected.to_numpy()]
    if not ledger_errors.empty:
        ledger_errors["unit"] = typed.frame["unit"].reindex(ledger_errors.index) if "unit" in typed.frame else pd.NA
        ledger_errors["record"] = typed.frame["id"].reindex(ledger_errors.index) if "id" in typed.frame else pd.NA
        ledger_errors["_index"] = ledger_errors.index
        errors.append(ledger_errors)
    ledger_set.frames[key] = frame
    ledger_set.rejected[key] = typed.frame[rejected.to_numpy()]
    ledger_set.locations[key] = typed.frame[[c for c in ("_file", "_sheet", "_row", "id") if c in typed.frame]]
    ledger_set.stats.append(_stat(spec, tables, raw, rejected))
    if key == "units":
        if frame.empty:
            raise AccountabilityError(
                "单位名册中没有可用的行", file=tables[0].file, fix="请检查单位编码、单位名称、层级三列"
            )
        typer.units = Directory(frame["id"], frame["name"], "单位")
        ledger_set.units = UnitTree(frame)
    elif key == "people":
        typer.people = Directory(frame["id"], frame["name"], "人员")
        ledger_set.people = ledger_set.frames[key] = _city_leaders(frame, ledger_set.units.frame)


def _city_leaders(people: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """A 市领导 is any leader of the city itself: the main and deputy leaders of a unit of level city hold the role
    city_leader whether or not the register writes it (a mayor's own 督导 is a city leader's 督导)."""
    city = units.index[units["level"].eq("city")]
    roles = people["roles"].explode()
    leads = roles.isin(["main_leader", "deputy_leader"]).groupby(level=0).any()
    named = roles.eq("city_leader").groupby(level=0).any()
    add = (v.isin(people["unit"], city).fillna(False).astype(bool) & leads & ~named).to_numpy()
    if not add.any():
        return people
    people = people.copy()
    people.loc[add, "roles"] = pd.Series(
        [[*r, "city_leader"] for r in people.loc[add, "roles"]], index=people.index[add], dtype=people["roles"].dtype
    )
    return people


def _candidates(ledgers: LedgerSet, ledger: str) -> pd.Series:
    """For each rejected row, the units it may belong to: its own when known; else the units its text may name
    (one of a name two units share, or a close spelling); else the units of the other rows of its file; else
    every unit that ledger's rows belong to; else (rows of no unit) one record of no unit. A careful auditor gives the
    row to each unit it could help."""
    rejected = ledgers.rejected.get(ledger, pd.DataFrame())
    if rejected.empty or "unit" not in rejected:
        return pd.Series([[pd.NA] for _ in range(len(rejected))], index=rejected.index, dtype=object)
    units = ledgers.units.frame
    names = units["name"].astype("string").str.strip()
    kept = ledgers.frames[ledger]
    pairs = kept[["_file", "unit"]].dropna().drop_duplicates()  # once per (file, unit): files hold 60,000 rows
    by_file = pairs.groupby("_file", observed=True, sort=False)["unit"].agg(list)
    every = list(dict.fromkeys(pairs["unit"]))
    by_name: dict[str, list[str]] = {}
    for unit_id, name in zip(units["id"], names, strict=True):
        by_name.setdefault(str(name), []).append(str(unit_id))
    text = rejected.get("unit_text", pd.Series(pd.NA, index=rejected.index)).astype("string").str.strip()
    found = {}
    for value in text[rejected["unit"].isna().to_numpy()].dropna().unique():  # only rows whose unit is unknown
        found[value] = by_name.get(value) or [
            unit for close in get_close_matches(value, list(by_name), n=3, cutoff=0.6) for unit in by_name[close]
        ]
    out = []
    for unit, written, file in zip(rejected["unit"], text, rejected["_file"], strict=True):
        if pd.notna(unit):
            out.append([unit])
        else:
            guess = found.get(written) if pd.notna(written) and found.get(written) else by_file.get(file) or every
            out.append(guess or [pd.NA])  # a ledger whose rows name no unit: still one record, of no unit
    return pd.Series(out, index=rejected.index, dtype=object)


def _no_units(name: str, problems: list[FileProblem]) -> AccountabilityError:
    """Without a usable units ledger nothing can be checked (exit 2): say why, naming the file when one was seen."""
    seen = [p for p in problems if p.unreadable and p.ledger in ("units", None)]
    if seen:
        first = seen[0]
        where = first.file + (f" 工作表「{first.sheet}」" if first.sheet else "")
        return AccountabilityError(f"单位名册无法使用：{first.message}", file=where, fix=first.fix)
    return AccountabilityError(
        "缺少单位名册（units），无法进行检查",
        file=name,
        fix="请在台账文件夹中放入「单位名册.xlsx」（列：单位编码、单位名称、层级、上级单位、是否涉矿）",
    )


def build_ledger_set(
    name: str, tables: list[RawTable], problems: list[FileProblem] | None = None, as_of: dt.date | None = None
) -> LedgerSet:
    """Type every ledger, units first (everything refers to them), then people, then the rest. With `as_of`, a date
    after it is a typo and its row unreadable."""
    specs = ledger_specs()
    by_ledger: dict[str, list[RawTable]] = {}
    for table in tables:
        by_ledger.setdefault(table.ledger, []).append(table)
    if "units" not in by_ledger:
        raise _no_units(name, problems or [])
    ledger_set = LedgerSet(name, problems)
    ledger_set.skipped = [row for table in tables for row in table.skipped]
    errors: list[pd.DataFrame] = []
    typer = Typer(None, None, as_of)
    with progress.stage("核对台账内容", len(by_ledger)) as advance:
        for key in (k for k in specs if k in by_ledger):
            _type_ledger(ledger_set, typer, specs[key], by_ledger[key], errors)
            advance(1)
    if errors:
        ledger_set.errors = pd.concat(errors, ignore_index=True)
        grouped = ledger_set.errors.groupby(["ledger", "key"], sort=False)["_index"]
        ledger_set.invalid = {key: pd.Index(rows) for key, rows in grouped}
        ledger_set.errors["rejected"] = ledger_set.errors["rejected"].astype(bool)
    ledger_set.candidates = {ledger: _candidates(ledger_set, ledger) for ledger in ledger_set.rejected}
    return ledger_set

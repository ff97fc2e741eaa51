"""Cell parsers for every column type of the ledger contract, over whole columns (no per-row Python)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import infer_dtype

from accountability.contract.schema import fold


class Parsed(NamedTuple):
    """Parsed values (missing where empty or unreadable) and where a non-empty cell could not be read."""

    values: pd.Series
    bad: pd.Series


REASONS: dict[str, tuple[str, str]] = {
    "text": ("无法识别的文字", "请填写文字"),
    "id": ("无法识别的编号", "请填写编号"),
    "date": ("无法识别的日期", "请写成 2025-09-03 或 2025年9月3日"),
    "time": ("无法识别的时间", "请写成 20:30 或 20时30分"),
    "bool": ("无法识别的是/否", "请填写 是 或 否（也可用 有/无、√/×）"),
    "number": ("无法识别的数字", "请填写数字，如 110.5"),
    "integer": ("应为整数", "请填写整数，如 3"),
    "money": ("无法识别的金额", "请填写金额，如 2000、2,000元 或 0.2万元"),
    "quarter": ("无法识别的季度", "请写成 2022Q3 或 2022年第3季度"),
    "month": ("无法识别的月份", "请写成 2023-05 或 2023年5月"),
}
TRUE_WORDS = {"是", "有", "已", "√", "✓", "✔", "y", "yes", "true", "1", "1.0", "对"}
FALSE_WORDS = {"否", "无", "未", "×", "✗", "✘", "n", "no", "false", "0", "0.0", "没有"}
LIST_SEPARATORS = r"\s*(?:[;；、,，\n\r]\s*)+"
CHINESE_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_RANGE = (20000, 80000)
# Cell kinds whose equal values always parse alike. In other columns True, 1 and 1.0 are equal keys to a hash
# table but not to the parsers, so the distinct values are taken per Python type.
ONE_KIND = {"empty", "string", "floating", "integer", "boolean", "datetime", "date", "time"}
NUMBER_TYPES = (int, float, np.int64, np.float64)
# Rows looked at, spread evenly down the column, to tell a column of nearly all distinct cells (ids, photo names):
# there finding the distinct cells costs more than it saves. A column with fewer than about ten times this many
# distinct cells shows repeats in the sample.
SAMPLE_ROWS = 10_000
DISTINCT_SHARE = 0.95


class Distinct:
    """A column's distinct cells, and which of them each row holds.

    Ledgers repeat the same dates, units, names and words on thousands of rows, so every parser runs on the
    distinct cells and `expand` spreads the result back over the rows."""

    def __init__(self, cells: pd.Series, arrow_parsed: bool = False) -> None:
        """`arrow_parsed`: the parser is Arrow's kernels only (text, ids), which over an Arrow text column cost less
        than finding its distinct cells and spreading the result back (a province's patrol notes: 0.13 s → 0.02 s).
        """
        self.index = cells.index
        if isinstance(cells.dtype, np.dtype) and cells.dtype.kind == "M":  # dates in checks: hashing them is cheap
            self.codes, uniques = pd.factorize(cells, use_na_sentinel=False)
            self.uniques = pd.Series(uniques)
        elif (arrow_parsed and arrow_text(cells)) or _mostly_distinct(cells):
            self.codes = None  # every row its own: expand keeps the values as they are
            self.uniques = _text_or_objects(cells.reset_index(drop=True))
        elif isinstance(cells.dtype, pd.ArrowDtype) or getattr(cells.dtype, "storage", None) == "pyarrow":
            encoded = arrow_array(cells).combine_chunks().dictionary_encode("encode")
            self.codes = encoded.indices.to_numpy(zero_copy_only=False)
            self.uniques = _text_or_objects(pd.Series(encoded.dictionary, dtype=pd.ArrowDtype(encoded.dictionary.type)))
        else:
            self.codes, self.uniques = _factorize(cells.astype(object))

    def expand(self, values: pd.Series) -> pd.Series:
        """Values worked out per distinct cell → one per row. A take of a mostly distinct column (ids, photos,
        notes) would only copy it."""
        return pd.Series(values.array if self.codes is None else values.array.take(self.codes), index=self.index)

    def parsed(self, parsed: Parsed) -> Parsed:
        return Parsed(self.expand(parsed.values), self.expand(parsed.bad))


def arrow_array(cells: pd.Series) -> pa.ChunkedArray:
    """An Arrow-backed column's own Arrow data, for pyarrow.compute (no copy for Parquet text)."""
    return pa.chunked_array(pa.array(cells.array))


def arrow_text(cells: pd.Series) -> bool:
    """Text held by Arrow (Parquet's, or pandas text), which Arrow's string kernels take as it is."""
    dtype = cells.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """Each Arrow column held in one piece. A ledger kept in ten files types into columns of ten pieces, and Arrow
    takes rows out of a text column in pieces far more slowly than out of one: dropping the rejected rows of a
    province's 600,000 patrols took 0.58 s for their notes alone, 0.03 s once joined."""
    pieces = {}
    for key in frame.columns:
        array = frame[key].array
        if isinstance(array, pd.arrays.ArrowExtensionArray) and (chunked := arrow_array(frame[key])).num_chunks > 1:
            joined = chunked.combine_chunks()
            whole = (
                pd.arrays.ArrowStringArray(joined, dtype=array.dtype)
                if isinstance(array, pd.arrays.ArrowStringArray)
                else pd.arrays.ArrowExtensionArray(joined)
            )
            pieces[key] = pd.Series(whole, index=frame.index)
    return frame.assign(**pieces) if pieces else frame


def isin(cells: pd.Series, allowed: Iterable[Any]) -> pd.Series:
    """`cells.isin(allowed)`, by Arrow's hash lookup when the cells are Arrow text. For Arrow text pandas first
    makes an Arrow scalar of every allowed value in Python: seconds against a province's ids and people."""
    if not arrow_text(cells):
        return cells.isin(allowed)
    text = arrow_array(cells)
    hit = pc.is_in(text, value_set=_value_set(allowed, text.type))
    return pd.Series(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), index=cells.index)


def positions(cells: pd.Series, among: Iterable[Any]) -> np.ndarray:
    """Where each text cell stands among the distinct texts `among`, -1 where absent: `Index.get_indexer` by
    Arrow's hash lookup, without turning a province's Arrow text into Python strings."""
    text = arrow_array(cells.astype("string"))
    found = pc.index_in(text, value_set=_value_set(among, text.type))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def text_codes(cells: pd.Series) -> np.ndarray:
    """One integer per distinct text, -1 for a missing cell: grouping a province's names and units on integers
    instead of text, by Arrow's hash kernel."""
    encoded = arrow_array(cells.astype("string")).combine_chunks().dictionary_encode()
    return pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Each date as the number of days after the earliest, -1 where there is none: dates as codes for grouping."""
    stamps = dates.to_numpy(dtype="datetime64[ns]")
    dated = ~np.isnat(stamps)
    days = stamps.astype("datetime64[D]").astype(np.int64)
    return np.where(dated, days - (days[dated].min() if dated.any() else 0), -1)


def combined(first: np.ndarray, second: np.ndarray, size: int) -> np.ndarray:
    """One code per pair of codes, the second below `size`; -1 where either is missing (-1)."""
    return np.where((first < 0) | (second < 0), -1, first.astype(np.int64) * size + second)


def distinct_per_code(codes: np.ndarray, items: np.ndarray) -> pd.Series:
    """How many distinct items each code has (both integer codes, -1 missing and left out), indexed by code.
    Counting distinct values per group on integers: a province groups millions of pairs of names and days."""
    size = int(items.max(initial=0)) + 1
    pairs = combined(codes, items, size)
    return pd.Series(pd.unique(pairs[pairs >= 0]) // size).value_counts()


def spread(codes: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Whether each row's code holds two or more distinct items among its rows (both integer codes, -1 missing: a
    row without a code is never spread, a missing item is not counted). The codes are numbered by one hash pass;
    then one item per code is kept, and a code is spread where any of its items differs from it. Counting the
    distinct items of every code (distinct_per_code) took 0.5 s on a province's patrols, to ask "two or more"."""
    keyed = np.flatnonzero(codes >= 0)
    dense = pd.factorize(codes[keyed])[0]
    held = items[keyed]
    counted = held >= 0
    size = int(dense.max(initial=-1)) + 1
    one = np.full(size, -1, dtype=np.int64)
    one[dense[counted]] = held[counted]
    wide = np.zeros(size, dtype=bool)
    wide[dense[counted & (held != one[dense])]] = True
    out = np.zeros(len(codes), dtype=bool)
    out[keyed] = wide[dense]
    return out


def _value_set(allowed: Iterable[Any], kind: pa.DataType) -> pa.Array:
    """The text (and missing) values of `allowed` as one Arrow array of type `kind`; other values match no text."""
    wanted = allowed if isinstance(allowed, pd.Series | pd.Index) else pd.Index(list(allowed), dtype=object)
    wanted = pd.Series(wanted.to_numpy() if isinstance(wanted, pd.Index) else wanted.array)
    if not arrow_text(wanted):
        wanted = wanted[(wanted.map(type).eq(str) | wanted.isna()).to_numpy(dtype=bool)].astype("string")
    return arrow_array(wanted).combine_chunks().cast(kind)


def _mostly_distinct(cells: pd.Series) -> bool:
    """Over DISTINCT_SHARE of an evenly spaced sample of SAMPLE_ROWS cells distinct (a long column only)."""
    if len(cells) <= SAMPLE_ROWS:
        return False
    sample = cells.take(np.arange(0, len(cells), len(cells) // SAMPLE_ROWS))  # a step slice of Arrow text is 8× slower
    return sample.nunique(dropna=False) > DISTINCT_SHARE * len(sample)


def _text_or_objects(cells: pd.Series) -> pd.Series:
    """Text stays Arrow text for the string kernels; any other Arrow type becomes the Python objects Excel gives."""
    if pd.api.types.is_string_dtype(cells.dtype) and cells.dtype != object:
        return cells.astype("string")
    return pd.Series(cells.astype(object).to_numpy(), dtype=object).where(cells.notna().to_numpy(), None)


def _factorize(cells: pd.Series) -> tuple[np.ndarray, pd.Series]:
    if infer_dtype(cells, skipna=True) in ONE_KIND:
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        return codes, pd.Series(uniques.to_numpy(dtype=object), dtype=object)
    by_value = pd.factorize(cells, use_na_sentinel=False)[0].astype(np.int64)
    by_type = pd.factorize(cells.map(type), use_na_sentinel=False)[0]
    codes = pd.factorize(by_value * (int(by_type.max(initial=0)) + 1) + by_type)[0]
    first = np.unique(codes, return_index=True)[1]
    return codes, pd.Series(cells.to_numpy()[first], dtype=object)


def _all_text(cells: pd.Series) -> bool:
    return infer_dtype(cells, skipna=True) in ("string", "empty")


def _kind_mask(cells: pd.Series, kinds: tuple[type, ...]) -> pd.Series:
    """Cells holding Python objects of these types (exact types: a datetime is not a date here)."""
    if _all_text(cells):
        return pd.Series(False, index=cells.index)
    return cells.map(type).isin(kinds).astype(bool)


def _trimmed(cells: pd.Series, nfkc: bool = False) -> pd.Series:
    """Cells as text, trimmed, and with full-width letters and digits folded when `nfkc`: Arrow's kernels."""
    text = arrow_array(cells.astype("string"))
    if nfkc:
        text = pc.utf8_normalize(text, "NFKC")
    return pd.Series(pd.arrays.ArrowStringArray(pc.utf8_trim_whitespace(text)), index=cells.index)


def is_empty(cells: pd.Series) -> pd.Series:
    """None, NaN, NA, or text that is blank after trimming. A number cell is never blank, so it is not made text."""
    empty = np.array(cells.isna(), dtype=bool)
    numbers = _kind_mask(cells, NUMBER_TYPES).to_numpy()
    if not numbers.any():
        return pd.Series(empty | _trimmed(cells).eq("").fillna(False).to_numpy(dtype=bool), index=cells.index)
    text = ~empty & ~numbers
    if text.any():
        empty[text] = _trimmed(cells[text]).eq("").fillna(False).to_numpy(dtype=bool)
    return pd.Series(empty, index=cells.index)


def _text(cells: pd.Series, nfkc: bool) -> pd.Series:
    """Every non-empty cell as trimmed text, whole numbers without `.0`; NA where empty."""
    text = _trimmed(cells, nfkc)
    held = _kind_mask(cells, NUMBER_TYPES)
    if held.any():  # number cells from Excel; a column of text has none
        numbers = pd.to_numeric(cells.where(held), errors="coerce")
        integral = numbers.notna() & (numbers % 1 == 0) & numbers.abs().lt(2**63)  # beyond, no Int64 holds it
        text = text.mask(integral, numbers[integral].astype("Int64").astype("string"))
    return text.mask(cells.isna().astype(bool) | text.eq("").fillna(False).astype(bool))


def _as_text(cells: pd.Series) -> pd.Series:
    """Every non-empty cell as folded-width text: integral numbers without `.0`, full-width digits to ASCII."""
    return _text(cells, nfkc=True)


def _finish(values: pd.Series, cells: pd.Series) -> Parsed:
    empty = is_empty(cells)
    bad = (values.isna() & ~empty).astype(bool)
    return Parsed(values.mask(empty), bad)


def parse_text(cells: pd.Series) -> Parsed:
    return Parsed(_text(cells, nfkc=False), pd.Series(False, index=cells.index))


def parse_id(cells: pd.Series) -> Parsed:
    return Parsed(_as_text(cells), pd.Series(False, index=cells.index))


def parse_date(cells: pd.Series) -> Parsed:
    """Chinese and ISO date texts, 20250903, Excel date cells and serial numbers → datetime64 at midnight."""
    result = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    objects = _kind_mask(cells, (dt.date, dt.datetime, pd.Timestamp))
    if objects.any():
        result[objects] = pd.to_datetime(cells[objects].map(str), format="mixed", errors="coerce").dt.normalize()
    text = _as_text(cells.where(~objects))
    parts = text.str.extract(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$")
    compact = text.str.extract(r"^(\d{4})(\d{2})(\d{2})$")
    parts = parts.fillna(compact)
    found = parts[0].notna()
    if found.any():
        assembled = pd.to_datetime(
            {"year": parts.loc[found, 0].astype(int), "month": parts.loc[found, 1].astype(int),
             "day": parts.loc[found, 2].astype(int)},
            errors="coerce",
        )  # fmt: skip
        result[found] = assembled
    serial = pd.to_numeric(text.where(~found & text.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False)), errors="coerce")
    serial = serial.where(serial.between(*SERIAL_RANGE))
    if serial.notna().any():
        result[serial.notna()] = EXCEL_EPOCH + pd.to_timedelta(serial[serial.notna()].astype(float).round(), unit="D")
    return _finish(result, cells)


def parse_time(cells: pd.Series) -> Parsed:
    """20:30, 20时30分, 20时, time/datetime cells, Excel day fractions → "HH:MM"."""
    hours = pd.Series(np.nan, index=cells.index)
    minutes = pd.Series(np.nan, index=cells.index)
    objects = _kind_mask(cells, (dt.time, dt.datetime))
    if objects.any():
        hours[objects] = cells[objects].map(lambda t: t.hour)
        minutes[objects] = cells[objects].map(lambda t: t.minute)
    fraction = pd.to_numeric(cells.where(_kind_mask(cells, (float, np.float64)) & ~objects), errors="coerce")
    fraction = fraction.astype(float)
    fraction = fraction.where(fraction.ge(0) & fraction.lt(1))
    total = (fraction * 24 * 60).round()
    hours = hours.fillna(total // 60)
    minutes = minutes.fillna(total % 60)
    text = _as_text(cells.where(~objects & fraction.isna())).str.replace("：", ":")
    parts = text.str.extract(r"^(\d{1,2})\s*(?::|时|点)\s*(?:(\d{1,2})\s*分?)?(?::\d{1,2})?$")
    text_hours = pd.to_numeric(parts[0], errors="coerce").astype(float)
    text_minutes = (
        pd.to_numeric(parts[1], errors="coerce").astype(float).where(text_hours.isna(), lambda m: m.fillna(0))
    )
    hours = hours.fillna(text_hours)
    minutes = minutes.fillna(text_minutes)
    valid = hours.between(0, 23) & minutes.between(0, 59)
    labels = (
        hours.astype("Int64").astype("string").str.zfill(2)
        + ":"
        + minutes.astype("Int64").astype("string").str.zfill(2)
    )
    return _finish(labels.where(valid), cells)


def parse_bool(cells: pd.Series) -> Parsed:
    text = _as_text(cells).str.lower()
    booleans = _kind_mask(cells, (bool, np.bool_))
    values = pd.Series(pd.NA, index=cells.index, dtype="boolean")
    values[text.isin(TRUE_WORDS).fillna(False).astype(bool)] = True
    values[text.isin(FALSE_WORDS).fillna(False).astype(bool)] = False
    if booleans.any():
        values[booleans] = cells[booleans].astype(bool)
    return _finish(values, cells)


def _numbers(cells: pd.Series) -> pd.Series:
    """Each cell as a float, NaN where none: number cells as they are, text without its thousands separators.
    Coordinates are number cells, mostly distinct, on every adit and patch: making text of them and parsing it
    back took a second on a province. An infinite number is not one."""
    held = _kind_mask(cells, NUMBER_TYPES).to_numpy()
    numbers = np.full(len(cells), np.nan)
    if held.any():
        numbers[held] = pd.to_numeric(cells[held]).to_numpy(dtype=float, na_value=np.nan)
    if not held.all():
        text = _as_text(cells[~held]).str.replace(r"[,，\s]", "", regex=True)
        text = text.where(text.str.fullmatch(r"[-+]?\d+(\.\d+)?").fillna(False))
        numbers[~held] = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(np.where(np.isfinite(numbers), numbers, np.nan), index=cells.index)


def parse_number(cells: pd.Series) -> Parsed:
    return _finish(_numbers(cells).astype("Float64"), cells)


def parse_integer(cells: pd.Series) -> Parsed:
    numbers = _numbers(cells)
    whole = (numbers % 1 == 0) & numbers.abs().lt(2**63)
    return _finish(numbers.where(whole).astype("Float64").astype("Int64"), cells)


def parse_money(cells: pd.Series) -> Parsed:
    """2000, 2,000, 2000元, ￥2000, 0.2万元 → yuan."""
    text = _as_text(cells).str.replace(r"[,，\s¥￥]|人民币", "", regex=True)
    parts = text.str.extract(r"^([-+]?\d+(?:\.\d+)?)(万)?元?$")
    amount = pd.to_numeric(parts[0], errors="coerce") * parts[1].notna().map({True: 10000, False: 1})
    return _finish(amount.astype("Float64"), cells)


def enum_fix(lookup: dict[str, str]) -> str:
    """The accepted words, grouped by code, for a message."""
    by_code: dict[str, list[str]] = {}
    for word, code in lookup.items():
        by_code.setdefault(code, []).append(word)
    options = "；".join(f"{'/'.join(w for w in words if w != code) or code}" for code, words in by_code.items())
    return f"可填：{options}"


def enum_code(word: str, lookup: dict[str, str]) -> str | None:
    """A folded word's code: a listed word or code, else the one listed word it begins (日常 → 日常巡查), at least
    two characters typed; a beginning shared by words of two codes names neither."""
    if word in lookup:
        return lookup[word]
    codes = {code for listed, code in lookup.items() if len(word) >= 2 and listed.startswith(word)}
    return codes.pop() if len(codes) == 1 else None


def parse_enum(cells: pd.Series, lookup: dict[str, str]) -> Parsed:
    """Words → codes, on the distinct words only (the callers pass a column's distinct cells, see Distinct)."""
    folded = _as_text(cells).map(fold, na_action="ignore")
    return _finish(folded.map(lambda word: enum_code(word, lookup), na_action="ignore").astype("string"), cells)


def parse_quarter(cells: pd.Series) -> Parsed:
    """2022Q3, 2022-Q3, 2022年第3季度, 2022年三季度 → "2022-Q3"."""
    text = _as_text(cells).str.upper()
    for word, digit in CHINESE_DIGITS.items():
        text = text.str.replace(word, digit)
    parts = text.str.extract(r"^(\d{4})\s*(?:-?Q|年第?)([1-4])(?:季度)?$")
    return _finish((parts[0] + "-Q" + parts[1]).astype("string"), cells)


def parse_month(cells: pd.Series) -> Parsed:
    """2023-05, 2023/5, 2023.05, 2023年5月, 202305, a date cell → "2023-05"."""
    objects = _kind_mask(cells, (dt.date, dt.datetime, pd.Timestamp))
    text = _as_text(cells.where(~objects))
    parts = text.str.extract(r"^(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?$")
    month = pd.to_numeric(parts[1], errors="coerce")
    labels = (parts[0] + "-" + month.astype("Int64").astype("string").str.zfill(2)).where(month.between(1, 12))
    if objects.any():
        labels[objects] = pd.to_datetime(cells[objects].map(str), format="mixed", errors="coerce").dt.strftime("%Y-%m")
    return _finish(labels.astype("string"), cells)


def as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """`frame.to_dict("records")`, the same values (Python scalars, None where missing), built from each column's
    list. pandas takes the rows of Arrow columns one Arrow scalar at a time: a province's findings took 0.4 s as
    records, 0.1 s this way."""
    keys = frame.columns.tolist()
    if not keys:
        return [{} for _ in range(len(frame))]
    columns = [_natives(frame.iloc[:, i]) for i in range(len(keys))]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def _natives(column: pd.Series) -> list[Any]:
    """A column's values as to_dict gives them: numpy scalars in objects as Python ones, pandas' NA as None."""
    values = column.tolist()
    if column.dtype != object and (isinstance(column.dtype, np.dtype) or not column.hasnans):
        return values  # Python scalars already (or Timestamps, as to_dict gives): nothing missing to make None
    return [None if v is pd.NA else v.item() if isinstance(v, np.generic) else v for v in values]


def list_array(items: pd.Series, index: pd.Index) -> pa.LargeListArray:
    """Text items labelled by their row → one Arrow list per row of `index` (empty where none), items in order.

    Offsets into one Arrow list array instead of a Python aggregation per group: lists are on every patrol row."""
    positions = index.get_indexer(items.index)
    order = np.argsort(positions, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(positions, minlength=len(index)))]).astype(np.int64)
    values = pa.array(items.to_numpy(dtype=object)[order], type=pa.large_string(), from_pandas=True)
    return pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), values)


def arrow_lists(cells: pd.Series) -> bool:
    """A typed list column: Arrow lists of text (`regroup`)."""
    return isinstance(cells.dtype, pd.ArrowDtype) and pa.types.is_large_list(cells.dtype.pyarrow_dtype)


def is_list(cells: pd.Series) -> bool:
    """A column of lists: typed, or tuples in a frame built by hand."""
    if arrow_lists(cells):
        return True
    first = cells.dropna().head(1)
    return len(first) == 1 and isinstance(first.iloc[0], tuple)


def item_counts(cells: pd.Series) -> pd.Series:
    """The items in each cell of a list column, the characters in each cell of a text one; 0 where empty."""
    return (cells.list.len() if arrow_lists(cells) else cells.str.len()).fillna(0)


def list_items(column: pd.Series) -> pd.Series:
    """The items of a list column as text, each labelled by its row (rows without items drop out); a column of
    single values gives its non-empty values. A column of lists of text goes through Arrow's list kernels;
    anything else is exploded and turned to text in one pass over the cells."""
    if arrow_lists(column):
        return _flat(arrow_array(column).combine_chunks(), column.index)
    if column.dtype != object:
        return column.dropna().astype("string")
    cells = column.to_numpy()
    if pd.Series(cells).dropna().map(type).isin([tuple, list]).all():
        try:
            lists = pa.array(cells, type=pa.large_list(pa.large_string()), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # items that are not text
            return _mixed_items(column)
        return _flat(lists, column.index)
    return _mixed_items(column)


def _flat(lists: pa.Array, index: pd.Index) -> pd.Series:
    rows = index[pc.list_parent_indices(lists).to_numpy()]
    return pd.Series(pd.arrays.ArrowStringArray(pc.list_flatten(lists)), index=rows).dropna()


def _mixed_items(column: pd.Series) -> pd.Series:
    cells = [c if isinstance(c, tuple | list) else () if c is None or c != c else (c,) for c in column.to_numpy()]
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    flat = [str(item) if item is not None else None for item in chain.from_iterable(cells)]
    items = pd.arrays.ArrowStringArray(pa.array(flat, type=pa.large_string()))
    return pd.Series(items, index=column.index.repeat(lengths)).dropna()


def regroup(items: pd.Series, index: pd.Index) -> pd.Series:
    """Exploded items (labelled by their row) back into one Arrow list per row of `index`, empty where none.

    Lists stay Arrow lists in the typed ledgers: as Python tuples, making them cost half a second of typing a
    province, and turning them back into Arrow 0.2 to 0.4 s each time a check read a patrol's areas or members."""
    return pd.Series(pd.arrays.ArrowExtensionArray(list_array(items, index)), index=index)


def join_per_row(parts: pd.Series, index: pd.Index, sep: str) -> pd.Series:
    """Join the text `parts` of each row of `index` (parts labelled by row, in order) with `sep`; '' for none."""
    joined = pc.binary_join(list_array(parts, index), pa.scalar(sep, type=pa.large_string()))
    return pd.Series(joined.to_numpy(zero_copy_only=False), index=index, dtype=object)


def split_list(cells: pd.Series) -> pd.Series:
    """Lists separated by ; ； 、 , ， or line breaks → lists of trimmed items (empty for an empty cell)."""
    lists = pc.split_pattern_regex(arrow_array(_as_text(cells)), LIST_SEPARATORS)
    items = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    kept = pc.fill_null(pc.not_equal(items, ""), False)
    rows = cells.index[pc.list_parent_indices(lists).filter(kept).to_numpy()]
    return regroup(pd.Series(pd.arrays.ArrowStringArray(items.filter(kept)), index=rows), cells.index)


def parse_enum_list(cells: pd.Series, lookup: dict[str, str]) -> Parsed:
    items = split_list(cells).explode().dropna()
    codes = items.map(fold).map(lambda word: enum_code(word, lookup))
    bad = codes.isna().groupby(level=0).any().reindex(cells.index, fill_value=False).astype(bool)
    kept = codes[~bad.reindex(codes.index).to_numpy()].dropna()
    return Parsed(regroup(kept, cells.index), bad)

"""Every value format of the ledger contract: dates, times, booleans, money, lists, enumerations, empty cells."""

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from accountability.ingest import values as v

EMPTY = [None, np.nan, pd.NA, "", "   "]


def cells(*items):
    return pd.Series(list(items), dtype=object)


@pytest.mark.parametrize(
    "cell",
    ["2025-09-03", "2025/9/3", "2025.9.3", "2025年9月3日", "2025 年 9 月 3 日", "20250903", "２０２５-０９-０３",
     "2025-09-03 10:00:00", dt.date(2025, 9, 3), dt.datetime(2025, 9, 3, 10, 5), pd.Timestamp("2025-09-03"),
     45903, 45903.0, "45903"],
)  # fmt: skip
def test_dates(cell):
    parsed = v.parse_date(cells(cell))
    assert parsed.values.iloc[0] == pd.Timestamp("2025-09-03")
    assert not parsed.bad.iloc[0]


@pytest.mark.parametrize("cell", ["2025-02-30", "2025-13-01", "abc", "9月3日", 12, True])
def test_bad_dates(cell):
    parsed = v.parse_date(cells(cell))
    assert pd.isna(parsed.values.iloc[0]) and parsed.bad.iloc[0]


@pytest.mark.parametrize(
    "parser",
    [v.parse_date, v.parse_time, v.parse_bool, v.parse_number, v.parse_integer, v.parse_money, v.parse_quarter,
     v.parse_month, v.parse_text, v.parse_id],
)  # fmt: skip
def test_empty_cells_are_empty_not_bad(parser):
    parsed = parser(cells(*EMPTY))
    assert parsed.values.isna().all()
    assert not parsed.bad.any()


def test_index_is_kept():
    series = pd.Series(["2025-09-03", "x"], index=[10, 20], dtype=object)
    parsed = v.parse_date(series)
    assert parsed.values.index.tolist() == [10, 20] and parsed.bad.tolist() == [False, True]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("20:30", "20:30"), ("20：30", "20:30"), ("20时30分", "20:30"), ("20时", "20:00"), ("8:05", "08:05"),
     (dt.time(21, 15), "21:15"), (dt.datetime(2025, 1, 1, 5, 0), "05:00"), (0.854166, "20:30"), ("２０:３０", "20:30")],
)  # fmt: skip
def test_times(cell, expected):
    assert v.parse_time(cells(cell)).values.iloc[0] == expected


@pytest.mark.parametrize("cell", ["25:00", "20:75", "晚上"])
def test_bad_times(cell):
    assert v.parse_time(cells(cell)).bad.iloc[0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("是", True), ("否", False), ("有", True), ("无", False), ("已", True), ("未", False), ("√", True), ("×", False),
     ("Y", True), ("n", False), ("Yes", True), ("FALSE", False), ("true", True), (1, True), (0, False), (1.0, True),
     (True, True), (False, False), (" 是 ", True)],
)  # fmt: skip
def test_booleans(cell, expected):
    parsed = v.parse_bool(cells(cell))
    assert parsed.values.iloc[0] == expected and not parsed.bad.iloc[0]


def test_bad_boolean():
    assert v.parse_bool(cells("也许")).bad.iloc[0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("2000", 2000), ("2,000", 2000), ("2000元", 2000), ("2000.00", 2000), ("0.2万元", 2000), ("2万", 20000),
     ("￥2000", 2000), ("¥2,000元", 2000), (2000, 2000), ("２０００元", 2000)],
)  # fmt: skip
def test_money(cell, expected):
    assert v.parse_money(cells(cell)).values.iloc[0] == expected


def test_bad_money():
    assert v.parse_money(cells("两千元")).bad.iloc[0]


def test_numbers_and_integers():
    assert v.parse_number(cells("110.25", "1,234.5", "１２")).values.tolist() == [110.25, 1234.5, 12.0]
    parsed = v.parse_integer(cells(3, "3", "3.0", 3.5, "x"))
    assert parsed.values.iloc[:3].tolist() == [3, 3, 3]
    assert parsed.bad.tolist() == [False, False, False, True, True]


def test_number_cells_are_kept_as_they_are_beside_text():
    """Coordinates arrive as number cells: kept as they are, text beside them parsed; inf and 1e30 never crash."""
    column = cells(106.713215, 26, "1,234.5", " ", np.inf, True, 10**30, "x", np.nan)
    parsed = v.parse_number(column)
    assert parsed.values.iloc[:3].tolist() == [106.713215, 26.0, 1234.5] and parsed.values.iloc[6] == 1e30
    assert parsed.bad.tolist() == [False, False, False, False, True, True, False, True, False]
    assert v.parse_integer(column).values.iloc[:3].tolist() == [pd.NA, 26, pd.NA]
    assert v.parse_integer(column).bad.iloc[6]  # no Int64 holds it
    assert v.parse_id(cells(10.0**30, 7.0)).values.tolist() == ["1e+30", "7"]
    assert v.is_empty(column).tolist() == [False, False, False, True, False, False, False, False, True]


def test_lists_with_every_separator():
    result = v.split_list(cells("a;b", "a；b、c", "x,y，z", "p\nq", None, "", 101.0, "  a  ; ; b "))
    assert result.tolist() == [["a", "b"], ["a", "b", "c"], ["x", "y", "z"], ["p", "q"], [], [], ["101"], ["a", "b"]]
    assert v.arrow_lists(result) and v.is_list(result)  # Arrow lists, which the checks read without conversion
    assert v.item_counts(result).tolist() == [2, 3, 3, 2, 0, 0, 1, 2]
    assert v.list_items(result).tolist() == ["a", "b", "a", "b", "c", "x", "y", "z", "p", "q", "101", "a", "b"]
    assert v.list_items(result).index.tolist() == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 6, 7, 7]


def test_ids_from_excel_numbers_and_full_width():
    assert v.parse_id(cells(101.0, "A-01", " x ", 7, "０１２")).values.tolist() == ["101", "A-01", "x", "7", "012"]


def test_quarters_and_months():
    quarters = v.parse_quarter(
        cells("2022Q3", "2022-Q3", "2022q3", "2022年第3季度", "2022年三季度", "2022年第三季度", "2022Q5")
    )
    assert quarters.values.iloc[:6].tolist() == ["2022-Q3"] * 6 and quarters.bad.tolist() == [False] * 6 + [True]
    months = v.parse_month(
        cells("2023-05", "2023-5", "2023/5", "2023.05", "2023年5月", "202305", dt.date(2023, 5, 9), "2023-13")
    )
    assert months.values.iloc[:7].tolist() == ["2023-05"] * 7 and months.bad.tolist() == [False] * 7 + [True]


LOOKUP = {"daily": "daily", "日常巡查": "daily", "cross": "cross", "交叉巡查": "cross", "村(社区)": "village"}


def test_enumerations_ignore_spaces_case_and_bracket_width():
    parsed = v.parse_enum(cells("日常巡查", " 日常 巡查 ", "daily", "DAILY", "村（社区）", "巡逻"), LOOKUP)
    assert parsed.values.iloc[:5].tolist() == ["daily", "daily", "daily", "daily", "village"]
    assert parsed.bad.tolist() == [False] * 5 + [True]
    assert "日常巡查" in v.enum_fix(LOOKUP)


def test_enumeration_lists():
    parsed = v.parse_enum_list(cells("日常巡查、交叉巡查", "日常巡查、巡逻", None), LOOKUP)
    assert parsed.values.tolist() == [["daily", "cross"], [], []]
    assert parsed.bad.tolist() == [False, True, False]


PARSERS = [v.parse_date, v.parse_time, v.parse_bool, v.parse_number, v.parse_integer, v.parse_money,
           v.parse_quarter, v.parse_month, v.parse_text, v.parse_id]  # fmt: skip
# Cells equal to a hash table but not to the parsers (True, 1, 1.0), every kind Excel gives, blanks, repeats.
MIXED = [True, 1, 1.0, "1", "是", 0, 0.0, False, "否", "2025-09-03", dt.date(2025, 9, 3), pd.Timestamp("2025-09-03"),
         45903, 45903.0, "45903", None, np.nan, "", "  ", "20:30", 0.5, dt.time(20, 30), "２０２５-０９-０３",
         "2022Q3", "2023年5月", "2,000元", " 铁山乡 "] * 2  # fmt: skip


def _same(left, right) -> bool:
    return (pd.isna(left) and pd.isna(right)) or left == right


@pytest.mark.parametrize("parser", PARSERS)
def test_distinct_cells_parse_as_each_cell_alone(parser):
    distinct = v.Distinct(cells(*MIXED))
    parsed = distinct.parsed(parser(distinct.uniques))
    assert len(distinct.uniques) < len(MIXED)
    for i, cell in enumerate(MIXED):
        alone = parser(cells(cell))
        assert _same(parsed.values.iloc[i], alone.values.iloc[0]), (cell, parsed.values.iloc[i])
        assert parsed.bad.iloc[i] == alone.bad.iloc[0], cell


def _typed(parser, column: pd.Series) -> v.Parsed:
    distinct = v.Distinct(column)
    return distinct.parsed(parser(distinct.uniques))


@pytest.mark.parametrize("parser", PARSERS)
def test_arrow_text_columns_parse_as_excel_cells(parser):
    """Parquet text arrives as Arrow strings, Excel text as Python objects: the same words give the same values."""
    words = [w for w in MIXED if isinstance(w, str)] + [None]
    arrow = pd.Series(words, dtype=pd.ArrowDtype(pa.large_string()), index=range(10, 10 + len(words)))
    from_arrow, from_excel = _typed(parser, arrow), _typed(parser, cells(*words).set_axis(arrow.index))
    assert list(from_arrow.values.index) == list(arrow.index)
    for i in range(len(words)):
        assert _same(from_arrow.values.iloc[i], from_excel.values.iloc[i]), words[i]
    assert from_arrow.bad.tolist() == from_excel.bad.tolist()


def test_columns_of_nearly_all_distinct_cells_are_parsed_whole():
    """Ids: no distinct-cell table is built (it would cost more than it saves), and the values are the same."""
    ids = [f"ＰＸ{i:06d} " for i in range(v.SAMPLE_ROWS * 3)] + ["", None, 7.0]
    column = cells(*ids)
    distinct = v.Distinct(column)
    assert len(distinct.uniques) == len(column)
    parsed = distinct.parsed(v.parse_id(distinct.uniques))
    assert parsed.values.iloc[0] == "PX000000" and parsed.values.iloc[-1] == "7"
    assert parsed.values.iloc[-3:-1].isna().all() and not parsed.bad.any()


def test_timestamp_and_number_columns_from_parquet():
    stamps = pd.Series(pd.to_datetime(["2025-09-03 10:00", None, "2025-09-03 00:00"]))
    stamps = stamps.astype(pd.ArrowDtype(pa.timestamp("ns")))
    assert _typed(v.parse_date, stamps).values.tolist()[::2] == [pd.Timestamp("2025-09-03")] * 2
    numbers = pd.Series([2000, None, 2000], dtype=pd.ArrowDtype(pa.int64()))
    parsed = _typed(v.parse_money, numbers)
    assert parsed.values.tolist()[::2] == [2000, 2000] and pd.isna(parsed.values.iloc[1]) and not parsed.bad.any()


def test_lists_from_arrow_text():
    lists = pd.Series(["甲、乙；丙", " ", None, "丁,,戊\n"], dtype=pd.ArrowDtype(pa.large_string()))
    assert _typed_lists(lists) == [["甲", "乙", "丙"], [], [], ["丁", "戊"]]


def _typed_lists(column: pd.Series) -> list:
    distinct = v.Distinct(column)
    return distinct.expand(v.split_list(distinct.uniques)).tolist()


def test_dates_in_checks_keep_their_type():
    """Typed dates (datetime64) are counted per distinct day, NaT included, and stay dates for the period labels."""
    days = pd.Series(pd.to_datetime(["2025-09-03", None, "2025-09-03", "2025-09-04"]), index=[4, 5, 6, 7])
    distinct = v.Distinct(days)
    assert distinct.uniques.dtype.kind == "M" and len(distinct.uniques) == 3
    assert distinct.expand(distinct.uniques.dt.day).tolist()[::2] == [3, 3]


def test_list_items_label_each_item_by_its_row():
    column = pd.Series([("甲", "乙"), (), None, "丙", np.nan, ("丁",)], index=[10, 11, 12, 13, 14, 15], dtype=object)
    items = v.list_items(column)
    assert list(zip(items.index, items, strict=True)) == [(10, "甲"), (10, "乙"), (13, "丙"), (15, "丁")]
    units = pd.Series(["K1", None, "K2"], dtype="string")
    assert v.list_items(units).tolist() == ["K1", "K2"] and v.list_items(units).index.tolist() == [0, 2]


def test_list_items_of_lists_of_text_and_of_other_items():
    """Lists of text take Arrow's list kernels, other lists the general path: both label items alike, and a text
    cell is one item, never split into its characters."""
    lists = pd.Series([("甲", "乙"), (), None, np.nan, ["丙", None]], index=[1, 2, 3, 4, 5], dtype=object)
    items = v.list_items(lists)
    assert list(zip(items.index, items, strict=True)) == [(1, "甲"), (1, "乙"), (5, "丙")]
    mixed = pd.Series([("甲", 3), "乙丙"], dtype=object)
    assert list(zip(v.list_items(mixed).index, v.list_items(mixed), strict=True)) == [(0, "甲"), (0, "3"), (1, "乙丙")]
    assert v.list_items(pd.Series([], dtype=object)).tolist() == []


ARROW_TEXT = ["string[pyarrow]", "str", pd.ArrowDtype(pa.large_string())]


@pytest.mark.parametrize("dtype", ARROW_TEXT)
@pytest.mark.parametrize(
    "allowed",
    [["甲", 1, None], {"丙"}, pd.Series(["乙"], dtype="str"), pd.Index(["甲"]), set(), [np.nan],
     pd.Series(["甲", None], dtype="string")],
)  # fmt: skip
def test_isin_text_and_missing_cells(dtype, allowed):
    """Text matches the same text, a missing cell matches a missing value (None, NaN, NA), a number matches no
    text."""
    cells = pd.Series(["甲", "乙", None, "丙"], index=[7, 8, 9, 10], dtype=dtype)
    texts = [w for w in allowed if isinstance(w, str)]
    expected = ["甲" in texts, "乙" in texts, any(not isinstance(w, str | int) for w in allowed), "丙" in texts]
    result = v.isin(cells, allowed)
    assert result.index.equals(cells.index) and result.dtype == bool
    assert result.tolist() == expected


def test_positions_among_distinct_text():
    cells = pd.Series(["乙", None, "丁", "甲"], dtype="str")
    assert v.positions(cells, pd.Index(["甲", "乙", "丙"])).tolist() == [1, -1, -1, 0]
    assert v.positions(cells, []).tolist() == [-1, -1, -1, -1]


def test_integer_codes_for_grouping():
    """Text and dates as integer codes (-1 missing), pairs of codes as one, and distinct items counted per code."""
    names = pd.Series(["甲", None, "乙", "甲"], dtype="str")
    codes = v.text_codes(names)
    assert codes[1] == -1 and codes[0] == codes[3] != codes[2] >= 0
    days = v.day_numbers(pd.Series(pd.to_datetime(["2025-09-03", None, "2025-09-01", "2025-09-03"])))
    assert days.tolist() == [2, -1, 0, 2]
    assert v.combined(np.array([0, 1, -1, 2]), np.array([1, 0, 1, -1]), 3).tolist() == [1, 3, -1, -1]
    counts = v.distinct_per_code(np.array([0, 0, 0, 1, 1, -1, 2]), np.array([5, 5, 7, 5, -1, 9, 0]))
    assert counts.sort_index().to_dict() == {0: 2, 1: 1, 2: 1}
    assert v.distinct_per_code(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).empty


def test_spread_codes_hold_two_distinct_items_or_more():
    """Per row, whether its code holds two distinct items: a missing item is not counted but its row still says
    what its code holds; a row without a code never does. Codes need not be dense, and agree with
    distinct_per_code on random codes."""
    codes = np.array([40, 40, 40, 7, 7, -1, 900, 900, 3, 3])
    items = np.array([5, 5, 7, 5, -1, 9, 0, 0, -1, -1])
    assert v.spread(codes, items).tolist() == [True, True, True, False, False, False, False, False, False, False]
    assert v.spread(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []
    rng = np.random.default_rng(1)
    codes, items = rng.integers(-1, 500, 20_000) * 1_000_003, rng.integers(-1, 4, 20_000)
    codes[codes < 0] = -1
    counts = v.distinct_per_code(codes, items)
    expected = (codes >= 0) & np.isin(codes, counts.index[counts >= 2].to_numpy())
    assert (v.spread(codes, items) == expected).all()


def test_as_records_gives_what_to_dict_gives_for_every_kind_of_column():
    """Findings, evidence and referrals become dicts by as_records: the values and their types must be those of
    `to_dict("records")`, missing cells included."""
    frame = pd.DataFrame(
        {
            "str": pd.Series(["甲", None, "丙"], dtype="str"),
            "string": pd.Series(["a", None, "c"], dtype="string"),
            "arrow": pd.Series(["x", None, "z"], dtype=pd.ArrowDtype(pa.string())),
            "Int64": pd.Series([1, None, 3], dtype="Int64"),
            "int": np.array([1, 2, 3]),
            "float": [1.5, np.nan, 2.0],
            "bool": [True, False, True],
            "boolean": pd.Series([True, None, False], dtype="boolean"),
            "object": pd.Series([np.int64(5), None, ["P1", np.float64(2.5)]], dtype=object),
            "objects": pd.Series([np.bool_(True), pd.NA, {"row": 3}], dtype=object),
            "date": pd.to_datetime(["2025-01-01", None, "2025-01-03"]),
            "category": pd.Categorical(["x", None, "x"]),
            "lists": pd.Series([["a"], [], None], dtype=pd.ArrowDtype(pa.large_list(pa.large_string()))),
        }
    )
    expected, got = frame.to_dict("records"), v.as_records(frame)
    assert [list(row) for row in got] == [list(row) for row in expected]
    for want, have in zip(expected, got, strict=True):
        for key, value in want.items():
            assert type(have[key]) is type(value) and repr(have[key]) == repr(value), key
    assert v.as_records(frame.iloc[:0]) == [] and v.as_records(pd.DataFrame(index=range(2))) == [{}, {}]


@pytest.mark.parametrize("parser", [v.parse_text, v.parse_id])
def test_text_and_ids_parsed_over_every_row_match_the_distinct_cells(parser):
    """Arrow text parsed row by row (arrow_parsed) gives what parsing the distinct cells and spreading them gives:
    trimmed, full-width digits folded for ids, empty and blank cells missing."""
    cells = pd.Series(
        [" 甲 ", "甲", "", "   ", None, "ＡＢ１２", "a\u3000", "乙", "乙", "12"] * 3, dtype=pd.ArrowDtype(pa.string())
    )
    spread, every_row = v.Distinct(cells), v.Distinct(cells, arrow_parsed=True)
    assert spread.codes is not None and every_row.codes is None
    expected, got = spread.parsed(parser(spread.uniques)), every_row.parsed(parser(every_row.uniques))
    pd.testing.assert_series_equal(got.values, expected.values)
    pd.testing.assert_series_equal(got.bad, expected.bad)
    pd.testing.assert_series_equal(
        every_row.expand(v.is_empty(every_row.uniques)), spread.expand(v.is_empty(spread.uniques))
    )
    objects = v.Distinct(cells.astype(object), arrow_parsed=True)  # Excel's cells: still their distinct cells
    assert objects.codes is not None


def test_an_enumeration_may_be_written_short_when_one_word_starts_with_it():
    words = {**LOOKUP, "日常检查": "check"}
    parsed = v.parse_enum(cells("交叉", "交叉巡", "日常巡", "日常", "日", "巡逻"), words)
    # 日常 starts both 日常巡查 and 日常检查: which one cannot be told, so it is a cell error, as is 巡逻
    assert parsed.values.iloc[:3].tolist() == ["cross", "cross", "daily"]
    assert parsed.bad.tolist() == [False, False, False, True, True, True]


def test_columns_in_pieces_are_joined_with_their_values_and_types():
    """A ledger read from two files types into columns of two pieces; joined, every column keeps its values and its
    type, pandas' text, Arrow's text and Arrow's lists alike, and a column not Arrow's is left as it is."""
    lists = pd.ArrowDtype(pa.large_list(pa.large_string()))
    parts = [
        pd.DataFrame({"str": pd.Series(part, dtype="str"), "text": pd.Series(part, dtype="string"),
                      "lists": pd.Series([[x] if x else None for x in part], dtype=lists),
                      "row": pd.Series(range(len(part)), dtype="int64")})
        for part in (["a", None], ["b"])
    ]  # fmt: skip
    frame = pd.concat(parts, ignore_index=True)
    assert v.arrow_array(frame["text"]).num_chunks == 2
    joined = v.one_chunk(frame)
    pd.testing.assert_frame_equal(joined, frame)
    assert [v.arrow_array(joined[key]).num_chunks for key in ("str", "text", "lists")] == [1, 1, 1]
    assert v.one_chunk(joined) is joined

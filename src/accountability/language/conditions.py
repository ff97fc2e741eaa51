"""The small condition language rules filter records with (`where:`), evaluated on whole columns."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import pandas as pd
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from accountability.ingest.values import arrow_array, is_list, isin, item_counts

OPERATORS = (
    "eq", "ne", "in_", "not_in", "is_", "is_not", "empty", "older_than_days", "on_or_after", "on_or_before",
    "before", "after", "eq_column", "ne_column", "has_role", "min_length", "at_least", "at_most", "time_in", "contains",
)  # fmt: skip
TIME = r"^\d{2}:\d{2}$"
# Python's \s (the characters str.isspace accepts) for Arrow's RE2, whose \s is ASCII white space only; a test
# compares the two over every character.
WHITE_SPACE_CHARS = r"\t\n\x0b\x0c\r\x1c-\x1f\x85\p{Z}"
WHITE_SPACE = f"[{WHITE_SPACE_CHARS}]+"


class Condition(BaseModel):
    """`{column: team, in: [daily]}`: a column and exactly one test of its value (`contains: [盗采]` looks for
    words in free text such as a case's 违法类型)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    column: str
    eq: Any = None
    ne: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    not_in: list[Any] | None = None
    is_: bool | None = Field(None, alias="is")
    is_not: bool | None = None
    empty: bool | None = None
    older_than_days: int | None = None
    on_or_after: date | None = None
    on_or_before: date | None = None
    before: date | None = None
    after: date | None = None
    eq_column: str | None = None
    ne_column: str | None = None
    has_role: str | None = None
    min_length: int | None = None
    at_least: float | None = None
    at_most: float | None = None
    time_in: (
        tuple[Annotated[str, StringConstraints(pattern=TIME)], Annotated[str, StringConstraints(pattern=TIME)]] | None
    ) = None
    contains: list[Annotated[str, StringConstraints(min_length=1)]] | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        given = [name for name in OPERATORS if getattr(self, name) is not None]
        if len(given) != 1:
            names = "、".join(name.rstrip("_") for name in OPERATORS)
            raise ValueError(f"每个条件写一个列名和恰好一个判断（{names}），这里有 {len(given)} 个")
        return self

    @property
    def operator(self) -> str:
        return next(name for name in OPERATORS if getattr(self, name) is not None)

    @property
    def columns(self) -> list[str]:
        return [c for c in (self.column, self.eq_column, self.ne_column) if c]

    @property
    def values(self) -> list[Any]:
        """The literal values it compares with (checked against enumerations at load time)."""
        value = getattr(self, self.operator)
        if self.operator in ("eq", "ne"):
            return [value]
        return list(value) if self.operator in ("in_", "not_in") else []


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """The text as written (person columns keep it in `<col>_text`), folded for comparison: full-width forms
    folded (NFKC) and white space removed, by Arrow's kernels. pandas normalises Arrow text a cell at a time, 0.2 s
    a column of a province's adits."""
    series = frame[f"{column}_text"] if f"{column}_text" in frame else frame[column]
    text = pc.utf8_normalize(arrow_array(series.astype("string")), "NFKC")
    folded = pc.replace_substring_regex(text, WHITE_SPACE, "")
    return pd.Series(pd.arrays.ArrowStringArray(folded), index=series.index).fillna("")


def member(series: pd.Series, values: list[Any]) -> pd.Series:
    wanted = [v for v in values if v is not None]
    if is_list(series):
        exploded = series.explode()
        hit = isin(exploded, wanted).groupby(level=0).any()
        result = hit.reindex(series.index, fill_value=False)
        if None in values:
            result |= item_counts(series).eq(0)
        return result
    if pd.api.types.is_bool_dtype(series.dtype):
        wanted = [bool(v) for v in wanted]
    result = isin(series, wanted).fillna(False).astype(bool)
    if None in values:
        result |= series.isna()
    return result


def _empty(series: pd.Series) -> pd.Series:
    if is_list(series):
        return item_counts(series).eq(0)
    return series.isna()


def evaluate(condition: Condition, frame: pd.DataFrame, as_of: date, people: pd.DataFrame | None) -> pd.Series:
    """True where the record meets the condition; an empty cell meets only `empty`, `in: [null]` and `is_not`."""
    series = frame[condition.column]
    op = condition.operator
    if op in ("eq", "in_"):
        return member(series, condition.values)
    if op in ("ne", "not_in"):
        return ~member(series, condition.values)
    if op == "is_":
        return series.eq(condition.is_).fillna(False).astype(bool)
    if op == "is_not":
        return ~series.eq(condition.is_not).fillna(False).astype(bool)
    if op == "empty":
        return _empty(series) == condition.empty
    if op == "older_than_days":
        limit = pd.Timestamp(as_of) - pd.Timedelta(days=condition.older_than_days)
        return (series < limit).fillna(False).astype(bool)
    if op == "on_or_after":
        return (series >= pd.Timestamp(condition.on_or_after)).fillna(False).astype(bool)
    if op == "on_or_before":
        return (series <= pd.Timestamp(condition.on_or_before)).fillna(False).astype(bool)
    if op == "before":
        return (series < pd.Timestamp(condition.before)).fillna(False).astype(bool)
    if op == "after":
        return (series > pd.Timestamp(condition.after)).fillna(False).astype(bool)
    if op in ("eq_column", "ne_column"):
        same = _text(frame, condition.column) == _text(frame, condition.eq_column or condition.ne_column)
        return same if op == "eq_column" else ~same
    if op == "contains":
        text = _text(frame, condition.column)
        hit = pd.Series(False, index=frame.index)
        for word in condition.contains:
            hit |= text.str.contains(word, regex=False)
        return hit.fillna(False).astype(bool)
    if op == "min_length":
        return _text(frame, condition.column).str.len().ge(condition.min_length)
    if op in ("at_least", "at_most"):
        number = pd.to_numeric(series, errors="coerce")
        hit = number >= condition.at_least if op == "at_least" else number <= condition.at_most
        return hit.fillna(False).astype(bool)
    if op == "time_in":
        return _time_in(series, *condition.time_in)
    holders = set() if people is None else set(people.loc[member(people["roles"], [condition.has_role]), "id"])
    ids = frame.get(f"{condition.column}_id", series)
    return isin(ids, holders).fillna(False).astype(bool)


def _time_in(series: pd.Series, start: str, end: str) -> pd.Series:
    """ "HH:MM" times from start (included) to end (excluded); a span past midnight (20:00–06:00) wraps."""
    times = series.astype("string")
    after, before = times >= start, times < end
    hit = (after & before) if start <= end else (after | before)
    return hit.fillna(False).astype(bool)


def select(frame: pd.DataFrame, conditions: list[Condition], as_of: date, people: pd.DataFrame | None) -> pd.Series:
    """All conditions together (AND); no conditions selects every record."""
    mask = pd.Series(True, index=frame.index)
    for condition in conditions:
        mask &= evaluate(condition, frame, as_of, people)
    return mask

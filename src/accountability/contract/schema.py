"""The ledger contract (ledgers.yaml) as typed models, with the header and name normalisation ingest matches on."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from accountability.contract.yamlfile import FastSafeLoader

ColumnType = Literal[
    "text",
    "id",
    "date",
    "time",
    "bool",
    "number",
    "integer",
    "money",
    "enum",
    "quarter",
    "month",
    "unit",
    "unit_list",
    "unit_or_text",
    "person",
    "person_or_name",
    "person_list",
    "list",
    "enum_list",
]
LIST_TYPES = {"unit_list", "person_list", "list", "enum_list"}

_MARKERS = re.compile(r"(\(必填\)|\*|＊)+$")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), no white space anywhere, ASCII lower-cased."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def shown_header(text: str) -> str:
    """A header as a message names it: as written, less its line breaks, spaces and （必填）/* markers."""
    return re.sub(r"[（(]必填[)）]|[*＊]", "", _SPACE.sub("", str(text)))


def normalize_header(text: str) -> str:
    """A header as written, reduced to what matching compares: no spaces, line breaks or （必填）/* markers."""
    return _MARKERS.sub("", fold(text))


class ColumnSpec(BaseModel):
    """One column of a ledger: English key, accepted Chinese headers, value type; `note` and `example` tell a
    clerk filling a template what goes in it (`example: ""` leaves the template's example cell blank)."""

    model_config = ConfigDict(extra="forbid")

    key: str
    headers: list[str]
    type: ColumnType
    required: bool = False
    unique: bool = False
    future: bool = False  # a date that may lie after the audit's as_of (a deadline); any other such date is a typo
    values: dict[str, list[str]] | None = None
    note: str | None = None
    example: str | int | float | dt.date | None = None

    @property
    def label(self) -> str:
        """The Chinese header a template writes and a message names."""
        return self.headers[0]

    @property
    def value_labels(self) -> dict[str, str]:
        """Code → the Chinese word a message shows for it (the first word listed)."""
        return {code: words[0] for code, words in (self.values or {}).items()}

    def enum_lookup(self) -> dict[str, str]:
        """Folded word or code → code."""
        lookup: dict[str, str] = {}
        for code, words in (self.values or {}).items():
            lookup[fold(code)] = code
            for word in words:
                lookup[fold(word)] = code
        return lookup


class LedgerSpec(BaseModel):
    """One ledger: its key, the names its files and sheets may carry, its columns."""

    model_config = ConfigDict(extra="forbid")

    key: str = ""
    title: str
    names: list[str]
    required: bool = False
    columns: list[ColumnSpec]

    def column(self, key: str) -> ColumnSpec:
        return next(c for c in self.columns if c.key == key)

    @property
    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def required_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.required]

    def header_lookup(self) -> dict[str, str]:
        """Normalised header (Chinese or the English key) → column key; headers the audited packs name for
        their own columns (`pack_headers`) come first."""
        lookup: dict[str, str] = {}
        for key, headers in (PACK_HEADERS.get() or {}).get(self.key, {}).items():
            for header in headers:
                lookup.setdefault(normalize_header(header), key)
        for column in self.columns:
            lookup[normalize_header(column.key)] = column.key
            for header in column.headers:
                lookup.setdefault(normalize_header(header), column.key)
        return lookup


PACK_HEADERS: ContextVar[dict[str, dict[str, list[str]]] | None] = ContextVar("pack_headers", default=None)


@contextmanager
def pack_headers(headers: dict[str, dict[str, list[str]]]) -> Iterator[None]:
    """While reading ledgers for an audit: extra headers by ledger and column, such as the names a city gives
    the six closure standards, so a ledger headed with those names is read."""
    token = PACK_HEADERS.set(headers)
    try:
        yield
    finally:
        PACK_HEADERS.reset(token)


PACK_LEDGERS: ContextVar[dict[str, LedgerSpec] | None] = ContextVar("pack_ledgers", default=None)


@contextmanager
def pack_ledgers(ledgers: dict[str, LedgerSpec]) -> Iterator[None]:
    """While loading, reading, checking and reporting for an audit: the ledgers its packs declare beside the
    contract's (a pack's `ledgers:`), so a new plan's own records are read like the contract's own."""
    token = PACK_LEDGERS.set(ledgers)
    try:
        yield
    finally:
        PACK_LEDGERS.reset(token)


@cache
def contract_ledgers() -> dict[str, LedgerSpec]:
    """Every ledger of the contract itself, by key, in the contract's order."""
    data = yaml.load((Path(__file__).parent / "ledgers.yaml").read_text(encoding="utf-8"), Loader=FastSafeLoader)
    return {key: LedgerSpec(key=key, **spec) for key, spec in data["ledgers"].items()}


def ledger_specs() -> dict[str, LedgerSpec]:
    """Every ledger an audit reads: the contract's, then those its packs declare (pack_ledgers)."""
    extra = PACK_LEDGERS.get()
    return {**contract_ledgers(), **extra} if extra else contract_ledgers()

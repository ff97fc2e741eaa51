"""The check-kind registry: each kind registers its YAML name, its parameter model and the function that runs it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd
from pydantic import BaseModel, ConfigDict

from accountability.checks.columns import FINDING_COLUMNS, PROGRESS_COLUMNS
from accountability.language.conditions import Condition
from accountability.language.workdays import WorkCalendar

if TYPE_CHECKING:
    from accountability.ingest.ledgerset import LedgerSet
    from accountability.language.periods import Window


class KindParams(BaseModel):
    """Base of every kind's parameters: which ledgers they read and which of their fields name columns."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    COLUMN_FIELDS: ClassVar[tuple[str, ...]] = ()

    def ledgers(self) -> list[str]:
        """The ledgers the rule needs; one of them absent → DATA-LEDGER-MISSING and the rule is not run."""
        return []

    def optional_ledgers(self) -> list[str]:
        """Ledgers read when present, not required."""
        return []

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        return []

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        return []


Ref = tuple[tuple[Any, ...], str, str]


def condition_refs(path: tuple[Any, ...], ledger: str, conditions: list[Condition]) -> list[Ref]:
    """(path, ledger, column) of every column a list of conditions names, for load-time checks."""
    return [((*path, i), ledger, column) for i, c in enumerate(conditions) for column in c.columns]


def condition_items(
    path: tuple[Any, ...], ledger: str, conditions: list[Condition]
) -> list[tuple[tuple[Any, ...], str, Condition]]:
    """(path, ledger, condition) of a list of conditions, for the enumeration checks at load time."""
    return [((*path, i), ledger, c) for i, c in enumerate(conditions)]


class LedgerParams(KindParams):
    """Parameters of a kind over one ledger: the ledger, an optional filter (`where`), the columns it names."""

    ledger: str
    where: list[Condition] = []

    def ledgers(self) -> list[str]:
        return [self.ledger]

    def references(self) -> list[tuple[tuple[Any, ...], str, str]]:
        """(path inside params, ledger, column) of every column the parameters name, for load-time checks."""
        refs: list[tuple[tuple[Any, ...], str, str]] = []
        for name in self.COLUMN_FIELDS:
            value = getattr(self, name)
            for index, column in enumerate(value if isinstance(value, list) else [value]):
                if column:
                    refs.append(((name, index) if isinstance(value, list) else (name,), self.ledger, column))
        return refs + condition_refs(("where",), self.ledger, self.where)

    def conditions(self) -> list[tuple[tuple[Any, ...], str, Condition]]:
        """(path, ledger, condition) for enumeration checks at load time."""
        return condition_items(("where",), self.ledger, self.where)


@dataclass
class CheckContext:
    """What a check sees: the typed ledgers, the pack's audit window, the day of the audit, the working days; and
    the reading: plain, or in the unit's favour (`favour`, see favour.py), which logs what it read so in
    `favoured`."""

    ledgers: LedgerSet
    window: Window
    as_of: date
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    favour: bool = False
    favoured: list[pd.DataFrame] = field(default_factory=list)


@dataclass
class CheckResult:
    """Findings (FINDING_COLUMNS; `rows` lists (ledger, row index) evidence; `provisional` when a due date fell
    in a year the working-day calendar does not know), progress before deadlines, and what was judged: one row
    (unit, period) per item the rule looked at, of which each finding is one that failed; None for rules that
    list occurrences (a theft, a clash), where a compliance rate means nothing."""

    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FINDING_COLUMNS))
    progress: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROGRESS_COLUMNS))
    judged: pd.DataFrame | None = None


@dataclass(frozen=True)
class CheckKind:
    name: str
    params: type[KindParams]
    run: Callable[[CheckContext, Any], CheckResult]
    message: str
    summary: str


CHECK_KINDS: dict[str, CheckKind] = {}


def check_kind(name: str, params: type[KindParams], message: str) -> Callable:
    """Register a check kind under its YAML name with its default Chinese message template."""

    def register(func: Callable[[CheckContext, Any], CheckResult]) -> Callable[[CheckContext, Any], CheckResult]:
        CHECK_KINDS[name] = CheckKind(name, params, func, message, (func.__doc__ or "").strip().splitlines()[0])
        return func

    return register

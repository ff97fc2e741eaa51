"""Rule packs: the YAML of one plan as validated models, every error with its file:line and the fix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

from accountability.checks.registry import KindParams
from accountability.contract.schema import LedgerSpec, pack_headers, pack_ledgers
from accountability.errors import AccountabilityError
from accountability.language.periods import AuditWindow, Window, on_month_day

COMMON_PACK = "common"
Severity = Literal["low", "medium", "high"]
Code = Literal["reminder", "interview", "notice", "discipline", "judicial"]  # dispositions, mildest first
SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2}
# A rule's severity as a reader sees it, in Chinese and English (report.labels.LANGS).
SEVERITY_LABELS = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class RoleSpec(Strict):
    """Who answers: a role of a unit (`role` + `of`), or the person a record names (`person`: a column).

    `of`: `finding` (the finding's unit, the default), `top` (the top unit), `serving` (the units whose 服务乡镇
    names the finding's unit or a unit above it), or a unit column of the evidence records (`village`,
    `power_supplier`, `unit` …). `level` (e.g. `county`): the nearest unit of that level at or above the finding's
    unit; with `serving`, only serving units of that level. `ledger` limits both to one ledger's records. `otherwise`: a
    role of the finding's unit that answers where this one names nobody ("责任人，未填写的由主要负责人")."""

    role: str | None = None
    of: str = "finding"
    level: str | None = None
    person: str | None = None
    ledger: str | None = None
    otherwise: str | None = None

    @model_validator(mode="after")
    def _one(self) -> RoleSpec:
        if (self.role is None) == (self.person is None):
            raise ValueError("写 role（角色，可加 of）或 person（记录中的人员列）其中一个")
        return self


class ExpectedFinding(Strict):
    unit: str = ""
    period: str = ""
    record: str = ""
    expected: str | None = None
    actual: str | None = None
    responsible: list[str] | None = None
    provisional: bool | None = None
    doubtful: bool | None = None  # 待核实: holds as read, not in the unit's favour (INTERFACE.md, "Trust")


class ExpectedProgress(Strict):
    unit: str
    target: int
    actual: int
    deadline: str


class Holidays(Strict):
    """An example's own holiday notice, for a year the working-day calendar does not know."""

    holidays: list[date] = []
    workdays: list[date] = []


class Example(Strict):
    """A tiny ledger set and the exact findings the rule must give on it."""

    name: str
    from_: date | None = Field(None, alias="from")
    as_of: date
    params: dict[str, Any] = {}
    holidays: Holidays | None = None
    ledgers: dict[str, list[dict[str, Any]]] = {}
    expect: list[ExpectedFinding]
    progress: list[ExpectedProgress] | None = None


class Rule(Strict):
    id: str = Field(pattern=r"^[A-Z]+(-[A-Z0-9]+)+$")
    title: str
    clause: str
    quote: str
    kind: str
    severity: Severity = "medium"
    accountable: list[RoleSpec] = []
    params: dict[str, Any] = {}
    message: str | None = None
    note: str | None = None
    tags: list[str] = []  # what the plan's accountability sentences call such a failure (不整改, 弄虚作假 …)
    examples: list[Example] = []

    _checked: KindParams | None = PrivateAttr(None)

    @property
    def checked(self) -> KindParams:
        """The kind's validated parameters (pack parameters substituted)."""
        if self._checked is None:
            raise RuntimeError(f"rule {self.id} was not validated")
        return self._checked

    @property
    def ledgers(self) -> list[str]:
        return self._checked.ledgers() if self._checked is not None else []

    @property
    def reads(self) -> list[str]:
        """Every ledger the rule reads: those it needs, and those it reads when present."""
        return self.ledgers + (self._checked.optional_ledgers() if self._checked is not None else [])


class ClauseFinding(Strict):
    """One finding of a clause example: its rule, severity, the disposition the shared ladder gives it before
    the clause, and the disposition the clause must leave it at."""

    rule: str
    severity: Severity = "medium"
    expect: Code


class ClauseExample(Strict):
    name: str
    findings: list[ClauseFinding] = Field(min_length=1)


class AccountabilityClause(Strict):
    """One of the plan's accountability sentences (责任追究), quoted word for word: the findings it governs
    (`rules`: rule ids, id prefixes such as INT-, or tags the rules carry) and the bounds it sets on their
    disposition; the shared ladder and step-ups apply inside them. A referral it bounds cites it."""

    clause: str
    quote: str
    rules: list[str] = Field(min_length=1)
    at_least: Code | None = None
    at_most: Code | None = None
    note: str | None = None
    examples: list[ClauseExample] = []

    @model_validator(mode="after")
    def _bounds(self) -> AccountabilityClause:
        if self.at_least is None and self.at_most is None:
            raise ValueError("问责条款应写 at_least（至少到哪一档）或 at_most（至多到哪一档）")
        return self

    def governs(self, rule: str, tags: list[str]) -> bool:
        return any(rule == r or (r.endswith("-") and rule.startswith(r)) or r in tags for r in self.rules)


class Param(Strict):
    """A figure or date a rule reads. `assumed`: the plan does not state it, the pack supplies it; `note` then says
    why this value is the one a careful auditor can defend, and the report marks it 推定."""

    value: Any
    title: str
    clause: str | None = None
    assumed: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _argued(self) -> Param:
        if self.assumed and not self.note:
            raise ValueError("推定的参数（assumed: true）应写 note，说明为何取这个值")
        return self


MonthDay = Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{2}$")]


class Effective(Strict):
    """The plan's dates. A plan reissued every year (Yiyuan) writes `from: "01-01"`, `to: "12-31"` and
    `year: $year`: the year is a parameter, empty meaning the year of the audit's as_of."""

    from_: date | MonthDay = Field(alias="from")
    to: date | MonthDay | None = None
    year: str | None = None

    @staticmethod
    def _day(value: date | str, year: int) -> date:
        return value if isinstance(value, date) else on_month_day(value, year)

    def span(self, params: dict[str, Any], as_of: date) -> tuple[date, date | None]:
        """The first and last day the plan is in force, for an audit as of `as_of`."""
        year = params.get(self.year.lstrip("$")) if self.year else None
        year = int(year or as_of.year)
        return self._day(self.from_, year), self._day(self.to, year) if self.to is not None else None


class Pack(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    issuer: str
    date: str
    version: str
    effective: Effective
    source: list[str] = []
    letter_prefix: str | None = None  # 字号 of the letters' numbers, <字号>〔YEAR〕N号
    params: dict[str, Param] = {}
    headers: dict[str, dict[str, Any]] = {}
    ledgers: dict[str, LedgerSpec] = {}  # the plan's own records, in the contract's form (ledgers.yaml)
    fixtures: dict[str, list[dict[str, Any]]] = {}
    accountability: list[AccountabilityClause] = []
    rules: list[Rule]

    _path: Path | None = PrivateAttr(None)
    _headers: dict[str, dict[str, list[str]]] = PrivateAttr(default_factory=dict)

    @property
    def path(self) -> Path | None:
        return self._path

    def param_values(self) -> dict[str, Any]:
        return {name: param.value for name, param in self.params.items()}

    def span(self, as_of: date) -> tuple[date, date | None]:
        return self.effective.span(self.param_values(), as_of)

    def window(self, audit: AuditWindow) -> Window:
        """The audit's window cut to the days this plan is in force."""
        return audit.for_plan(*self.span(audit.as_of))

    def column_headers(self) -> dict[str, dict[str, list[str]]]:
        """Extra ledger headers the pack names (`headers:`, parameters substituted at load), by ledger and column."""
        return self._headers


def all_headers(packs: list[Pack]) -> dict[str, dict[str, list[str]]]:
    """The extra headers of every pack of an audit together."""
    out: dict[str, dict[str, list[str]]] = {}
    for pack in packs:
        for ledger, columns in pack.column_headers().items():
            for column, names in columns.items():
                out.setdefault(ledger, {}).setdefault(column, []).extend(names)
    return out


def all_ledgers(packs: list[Pack]) -> dict[str, LedgerSpec]:
    """The ledgers the packs of an audit declare; two packs may share one only word for word."""
    out: dict[str, LedgerSpec] = {}
    owner: dict[str, str] = {}
    for pack in packs:
        for key, spec in pack.ledgers.items():
            if key in out and out[key] != spec:
                raise AccountabilityError(
                    f"规则包 {owner[key]} 和 {pack.id} 都定义了台账「{key}」，但两处定义不同",
                    file=str(pack.path),
                    fix="两个规则包共用一个台账时，ledgers: 下的定义应完全相同；否则请换一个台账名",
                )
            out[key], owner[key] = spec, pack.id
    return out


def plan_packs(packs: list[Pack]) -> list[Pack]:
    """The plans audited, the shared rules (common.yaml) aside; the shared rules when they are all that is audited.
    A ledger only the shared rules read is no duty of a plan: it is not missing, nor templated, for one."""
    return [pack for pack in packs if pack.id != COMMON_PACK] or packs


def pack_reads(packs: list[Pack]) -> list[str]:
    """The ledgers an audit with these packs reads: the units and people registers, every ledger a rule of the
    plans reads (plan_packs), and the packs' own ledgers."""
    plans = plan_packs(packs)
    reads = ["units", "people", *(ledger for pack in plans for rule in pack.rules for ledger in rule.reads)]
    return list(dict.fromkeys([*reads, *(key for pack in packs for key in pack.ledgers)]))


@contextmanager
def in_force(packs: list[Pack]) -> Iterator[None]:
    """The ledger contract as the audited packs extend it: their own ledgers and the extra headers they name."""
    with pack_ledgers(all_ledgers(packs)), pack_headers(all_headers(packs)):
        yield

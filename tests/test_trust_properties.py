"""What must hold for any ledger (INTERFACE.md, "Trust"), checked over the example ledger sets of all five plans:
blanking an optional cell, corrupting a row's date or unit, adding 合计 and footer rows, or shuffling rows never adds
a confirmed finding and never raises anyone's referral; shuffling rows changes nothing at all.

The data-quality findings (DATA-*, kind `data`) report the very defect a mutation puts in, so they are left out of
"a confirmed finding"; and a cell whose blankness is itself the duty (a column `required_fields` asks filled, a
condition that asks for a blank) is not blanked: a blank 封堵责任人 is the finding, not a doubt."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accountability.audit.pipeline import track_history, work_calendar
from accountability.contract.schema import ledger_specs, pack_headers
from accountability.ingest.files import RawTable, read_ledger_set
from accountability.ingest.ledgerset import build_ledger_set
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs
from accountability.packs.model import all_headers
from accountability.referral.policy import load_policy
from accountability.referral.referrals import build_referrals
from accountability.report.labels import DISPOSITIONS
from accountability.run.engine import evaluate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLANS = {
    "hongjiang-2025": date(2025, 9, 30),
    "jincheng-2021": date(2022, 3, 31),
    "tangyuan-2022": date(2023, 3, 31),
    "yanhu-2022": date(2023, 3, 31),
    "yiyuan": date(2023, 12, 31),
}
KEY = ["rule", "unit", "period", "record"]
FEW = settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
FOOTERS = [
    ["合计"], ["小计", None, None], ["共119条"], ["填表人：张三", None, "审核人：李四"], ["填报单位：（盖章）"], [None],
]  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    confirmed: frozenset[tuple[str, ...]]
    findings: tuple[tuple, ...]
    ranks: dict[str, int]
    referrals: tuple[tuple, ...]


@functools.cache
def plan(name: str):
    packs = load_packs([name])
    return packs, all_headers(packs), work_calendar(packs, None)


@functools.cache
def read(folder: Path, name: str) -> tuple[list[RawTable], list]:
    with pack_headers(plan(name)[1]):
        return read_ledger_set(folder)


def audit(name: str, tables: list[RawTable], problems: list) -> Outcome:
    packs, headers, calendar = plan(name)
    as_of = PLANS[name]
    window = AuditWindow(None, as_of)
    with pack_headers(headers):
        ledgers = build_ledger_set(name, tables, problems, as_of)
    evaluation = evaluate(ledgers, packs, window, calendar)
    track_history(evaluation, packs, window, ledgers.units.top, None)
    data_rules = {r.id for p in packs for r in p.rules if r.kind == "data"}
    findings = evaluation.findings
    duties = findings[~findings["rule"].isin(data_rules)]
    confirmed = duties[~duties["doubtful"].astype(bool)]
    referrals = build_referrals(duties, ledgers, load_policy(), as_of, packs)
    shown = ["rule", "unit", "period", "record", "message", "doubtful", "severity"]
    return Outcome(
        confirmed=frozenset(map(tuple, confirmed[KEY].astype(str).to_numpy())),
        findings=tuple(sorted(map(tuple, findings[shown].astype(str).to_numpy()))),
        ranks={r["person"] or r["name"]: DISPOSITIONS.index(r["disposition"]) for r in referrals},
        referrals=tuple(sorted((str(r["person"]), r["name"], r["disposition"], len(r["findings"])) for r in referrals)),
    )


@functools.cache
def baseline(name: str) -> Outcome:
    return audit(name, *read(EXAMPLES / name, name))


def no_accusation_added(name: str, outcome: Outcome) -> None:
    base = baseline(name)
    assert outcome.confirmed <= base.confirmed, sorted(outcome.confirmed - base.confirmed)
    raised = {p: r for p, r in outcome.ranks.items() if r > base.ranks.get(p, -1)}
    assert not raised, raised


def blank_asked(name: str) -> set[tuple[str, str]]:
    """(ledger, column) whose blank cell is itself a finding."""
    asked = set()
    for rule in (r for p in plan(name)[0] for r in p.rules):
        params = rule.checked
        if rule.kind == "required_fields":
            asked |= {(params.ledger, c) for c in params.columns}
        for _, ledger, condition in params.conditions():
            if condition.operator == "empty" or None in condition.values:
                asked |= {(ledger, c) for c in condition.columns}
    return asked


def with_cell(tables: list[RawTable], which: int, row: int, column: str, value: object) -> list[RawTable]:
    frame = tables[which].frame.copy()
    frame[column] = frame[column].astype(object)
    frame.iloc[row, frame.columns.get_loc(column)] = value
    return [replace(t, frame=frame) if i == which else t for i, t in enumerate(tables)]


def cells(draw, tables: list[RawTable], eligible) -> tuple[int, int, str]:
    choices = [(i, c) for i, t in enumerate(tables) for c in t.frame.columns if eligible(t, c) and len(t.frame)]
    which, column = draw(st.sampled_from(choices))
    return which, draw(st.integers(0, len(tables[which].frame) - 1)), column


@pytest.mark.parametrize("name", sorted(PLANS))
@settings(FEW)
@given(data=st.data())
def test_blanking_an_optional_cell_adds_no_accusation(name, data):
    tables, problems = read(EXAMPLES / name, name)
    specs, asked = ledger_specs(), blank_asked(name)

    def optional(table: RawTable, column: str) -> bool:
        spec = specs[table.ledger]
        return column in spec.column_keys and not spec.column(column).required and (table.ledger, column) not in asked

    which, row, column = cells(data.draw, tables, optional)
    no_accusation_added(name, audit(name, with_cell(tables, which, row, column, None), problems))


@pytest.mark.parametrize("name", sorted(PLANS))
@settings(FEW)
@given(data=st.data())
def test_corrupting_a_date_or_unit_adds_no_accusation(name, data):
    tables, problems = read(EXAMPLES / name, name)
    specs = ledger_specs()

    def date_or_unit(table: RawTable, column: str) -> bool:
        spec = specs[table.ledger]
        return column in spec.column_keys and spec.column(column).type in ("date", "unit") and table.ledger != "units"

    which, row, column = cells(data.draw, tables, date_or_unit)
    typo = data.draw(st.sampled_from(["2025年13月", "2025-02-30", "9月", "不存在乡", "？"]))
    no_accusation_added(name, audit(name, with_cell(tables, which, row, column, typo), problems))


@pytest.mark.parametrize("name", sorted(PLANS))
@settings(FEW)
@given(seed=st.integers(0, 2**16))
def test_shuffling_rows_changes_nothing(name, seed):
    tables, problems = read(EXAMPLES / name, name)
    shuffled = [replace(t, frame=t.frame.sample(frac=1, random_state=seed)) for t in tables]
    outcome = audit(name, list(reversed(shuffled)), problems)
    base = baseline(name)
    assert (outcome.findings, outcome.referrals) == (base.findings, base.referrals)


@pytest.mark.parametrize("name", sorted(PLANS))
@settings(FEW)
@given(footers=st.lists(st.sampled_from(FOOTERS), min_size=1, max_size=4))
def test_totals_and_footer_rows_change_nothing(tmp_path_factory, name, footers):
    folder = tmp_path_factory.mktemp("footers") / name
    shutil.copytree(EXAMPLES / name, folder)
    for path in sorted(folder.glob("*.xlsx")):
        book = load_workbook(path)
        sheet = book.worksheets[0]
        for footer in footers:
            sheet.append(footer)
        book.save(path)
    outcome = audit(name, *read(folder, name))
    base = baseline(name)
    assert (outcome.findings, outcome.referrals) == (base.findings, base.referrals)

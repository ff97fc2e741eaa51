"""Runs one rule written inline over small ledgers, for the check-kind tests."""

import textwrap

import pandas as pd

from accountability.audit.examples import example_table
from accountability.ingest.ledgerset import build_ledger_set
from accountability.language.periods import AuditWindow
from accountability.language.workdays import WorkCalendar
from accountability.packs.loading import load_pack
from accountability.run.engine import Evaluation, evaluate

UNITS = [
    {"id": "C", "name": "区", "level": "county"},
    {"id": "T1", "name": "甲镇", "level": "township", "parent": "C", "mining": "是"},
    {"id": "T2", "name": "乙镇", "level": "township", "parent": "C", "mining": "是"},
    {"id": "V1", "name": "一村", "level": "village", "parent": "T1"},
    {"id": "V2", "name": "二村", "level": "village", "parent": "T1"},
    {"id": "V3", "name": "三村", "level": "village", "parent": "T2"},
]
PEOPLE = [{"id": "P1", "name": "甲", "unit": "C", "roles": "主要负责人"}]


def evaluation(
    tmp_path, rule_yaml, ledgers, as_of, date_from=None, calendar: WorkCalendar | None = None, units=None
) -> Evaluation:
    """The rule (YAML text) in a one-rule pack, evaluated on the ledgers (with the units and people above)."""
    text = textwrap.dedent(
        """\
        id: test-pack
        title: 测试
        issuer: 测试
        date: "2022"
        version: "1"
        effective: {from: 2022-04-01}
        rules:
        """
    ) + textwrap.indent(textwrap.dedent(rule_yaml), "  ")
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    pack = load_pack(path)
    given = {"units": units or UNITS, "people": PEOPLE, **ledgers}
    tables = [example_table(k, rows, "test") for k, rows in given.items()]
    return evaluate(build_ledger_set("test", tables, as_of=as_of), [pack], AuditWindow(date_from, as_of), calendar)


def keys(findings: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    return sorted((f.unit, f.period, f.record, f.actual) for f in findings.itertuples())


def run(tmp_path, rule_yaml, ledgers, as_of, date_from=None, units=None) -> list[tuple[str, str, str, str]]:
    """(unit, period, record, actual) of every finding, sorted."""
    return keys(evaluation(tmp_path, rule_yaml, ledgers, as_of, date_from, units=units).findings)


RULE = """\
- id: T-RULE
  title: t
  clause: 一
  quote: q
  kind: {kind}
  accountable: {accountable}
  params:
{params}
"""


def rule(kind, params, accountable="[]"):
    """A rule of `kind` with the parameters (YAML text) and who answers (YAML flow text)."""
    return RULE.format(kind=kind, accountable=accountable, params=textwrap.indent(textwrap.dedent(params), "    "))

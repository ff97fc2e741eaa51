"""Runs each rule's own examples: a tiny ledger set in the YAML and the exact findings it must give."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from accountability.contract.schema import ledger_specs, normalize_header
from accountability.contract.yamlfile import did_you_mean
from accountability.errors import AccountabilityError
from accountability.ingest.files import RawTable
from accountability.ingest.ledgerset import LedgerSet, build_ledger_set
from accountability.ingest.values import as_records
from accountability.language.periods import AuditWindow
from accountability.language.workdays import Overrides, WorkCalendar
from accountability.packs.loading import load_pack
from accountability.packs.model import Example, Pack, Rule, in_force
from accountability.referral import clauses, escalation
from accountability.referral.policy import Policy, PolicyExample
from accountability.run.engine import evaluate


@dataclass
class ExampleResult:
    pack: str
    rule: str
    example: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def example_table(ledger: str, rows: list[dict[str, Any]], label: str) -> RawTable:
    """Rows written in YAML (English keys or Chinese headers) as a raw table, row numbers as in a sheet;
    `label` (rule/example) names the example in error messages."""
    specs = ledger_specs()
    if ledger not in specs:
        raise AccountabilityError(f"示例中未知台账「{ledger}」", file=label, fix=did_you_mean(ledger, list(specs)))
    lookup = specs[ledger].header_lookup()
    columns: dict[str, list[Any]] = {}
    for position, row in enumerate(rows):
        for header, value in row.items():
            key = lookup.get(normalize_header(header))
            if key is None:
                raise AccountabilityError(
                    f"示例台账 {ledger} 没有列「{header}」",
                    file=label,
                    fix=did_you_mean(header, specs[ledger].column_keys),
                )
            columns.setdefault(key, [None] * len(rows))[position] = value
    frame = pd.DataFrame(columns, index=range(len(rows)), dtype=object)
    frame["row"] = range(2, len(rows) + 2)
    return RawTable(ledger, f"示例:{ledger}", None, {}, frame, [], "", "name")


def example_ledgers(pack: Pack, rule: Rule, example: Example) -> LedgerSet:
    """The pack's shared fixtures, each replaced by the example's own ledger of the same name."""
    given = {**pack.fixtures, **example.ledgers}
    label = f"{rule.id}/{example.name}"
    tables = [example_table(ledger, rows, label) for ledger, rows in given.items() if rows is not None]
    return build_ledger_set(label, tables, as_of=example.as_of)


def _key(finding: dict[str, Any]) -> tuple[str, str, str]:
    return (str(finding["unit"]), str(finding["period"]), str(finding["record"]))


def run_example(pack: Pack, rule: Rule, example: Example) -> ExampleResult:
    """Findings of `rule` on the example must be exactly the expected ones (and their given fields).

    A data rule runs with the rest of its pack, whose findings and missing ledgers it reports on."""
    result = ExampleResult(pack.id, rule.id, example.name)
    if example.params and pack.path is not None:
        pack = load_pack(pack.path, {pack.id: example.params})
        rule = next(r for r in pack.rules if r.id == rule.id)
    run = pack if rule.kind == "data" else pack.model_copy(update={"rules": [rule]})
    given = example.holidays
    calendar = WorkCalendar(Overrides(set(given.holidays), set(given.workdays)) if given else None)
    with in_force([pack]):
        ledgers = example_ledgers(pack, rule, example)
        evaluation = evaluate(ledgers, [run], AuditWindow(example.from_, example.as_of), calendar)
    found = evaluation.findings[evaluation.findings["rule"] == rule.id]
    actual = {_key(f): f for f in as_records(found)}
    expected = {_key(e.model_dump()): e for e in example.expect}
    for key in sorted(set(expected) - set(actual)):
        result.problems.append(f"缺少应有的问题 {key}")
    for key in sorted(set(actual) - set(expected)):
        result.problems.append(f"多出问题 {key}：{actual[key]['message']}")
    for key in sorted(set(actual) & set(expected)):
        want = expected[key]
        for name in ("expected", "actual", "responsible", "provisional", "doubtful"):
            wanted = getattr(want, name)
            got = actual[key][name]
            if wanted is not None and (sorted(got) if name == "responsible" else got) != (
                sorted(wanted) if name == "responsible" else wanted
            ):
                result.problems.append(f"{key} 的 {name} 应为 {wanted}，实为 {got}")
    if example.progress is not None:
        got = {
            (r["unit"], int(r["target"]), int(r["actual"]), r["deadline"])
            for r in as_records(evaluation.progress[evaluation.progress["rule"] == rule.id])
        }
        want = {(p.unit, p.target, p.actual, p.deadline) for p in example.progress}
        if got != want:
            result.problems.append(f"进度应为 {sorted(want)}，实为 {sorted(got)}")
    return result


def run_examples(packs: list[Pack]) -> list[ExampleResult]:
    results = []
    for pack in packs:
        for rule in pack.rules:
            for example in rule.examples:
                try:
                    results.append(run_example(pack, rule, example))
                except AccountabilityError as exc:
                    results.append(ExampleResult(pack.id, rule.id, example.name, [str(exc)]))
    return results


def run_clause_examples(packs: list[Pack], policy: Policy) -> list[ExampleResult]:
    """Each accountability clause's examples: a finding of the rule, at the ladder's base for its severity, must
    come out of the plan's bounds at the disposition expected (the audited plan: the clause's own)."""
    tags = {rule.id: rule.tags for pack in packs for rule in pack.rules}
    results = []
    for pack in packs:
        for position, clause in enumerate(pack.accountability):
            for example in clause.examples:
                owner = f"{clause.clause}#{position + 1}"
                result = ExampleResult(pack.id, owner, example.name)
                table = pd.DataFrame(
                    {
                        "rule": [f.rule for f in example.findings],
                        "pack": pack.id,
                        "rank": [policy.rank(policy.base[f.severity]) for f in example.findings],
                    }
                )
                got = clauses.bound(table, [pack], tags, policy)
                for finding, rank, decided in zip(example.findings, got["rank"], got["clause_at"], strict=True):
                    if policy.codes[rank] != finding.expect:
                        result.problems.append(f"{finding.rule} 应为 {finding.expect}，实为 {policy.codes[rank]}")
                    elif finding.expect != policy.base[finding.severity] and decided != position:
                        result.problems.append(f"{finding.rule} 的处置不是由本条款确定的")
                results.append(result)
    return results


def run_policy_example(policy: Policy, owner: str, example: PolicyExample) -> ExampleResult:
    """Each finding of a referral-policy example must earn exactly the disposition it expects."""
    result = ExampleResult("referral", owner, example.name)
    table = escalation.example_facts(example.findings, policy)
    base, applies = escalation.evaluate(table, policy)
    got = [policy.codes[r] for r in escalation.combine(base, applies, policy)]
    for finding, code in zip(example.findings, got, strict=True):
        if code != finding.expect:
            where = "，".join(part for part in (finding.person, finding.rule, finding.period) if part)
            result.problems.append(f"{where} 应为 {finding.expect}，实为 {code}")
    return result


def run_policy_examples(policy: Policy) -> list[ExampleResult]:
    """The policy's own examples (`examples:` for the base steps, and each step-up's)."""
    owned = [("base", e) for e in policy.examples] + [(s.id, e) for s in policy.step_ups for e in s.examples]
    return [run_policy_example(policy, owner, example) for owner, example in owned]

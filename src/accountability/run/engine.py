"""Runs the rules of the packs over a ledger set: findings with their proof, progress, the manual checklist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from accountability import progress
from accountability.checks import CHECK_KINDS, CheckContext, data
from accountability.checks.columns import findings_frame
from accountability.ingest.ledgerset import LedgerSet
from accountability.ingest.values import as_records, isin
from accountability.language.periods import AuditWindow
from accountability.language.workdays import WorkCalendar
from accountability.packs.model import SEVERITY_ORDER, Pack, Rule, in_force, plan_packs
from accountability.processes import HERE, THERE, Apart, Claims
from accountability.run.doubt import weigh
from accountability.run.roles import resolve
from accountability.tuning import DEFAULT_TUNING, Tuning

JUDGED_COLUMNS = ["rule", "pack", "unit", "period", "judged"]


@dataclass
class Evaluation:
    """What the rules found; `judged` counts the items each rule looked at per unit and period (JUDGED_COLUMNS),
    the denominator of its compliance rate."""

    findings: pd.DataFrame
    progress: pd.DataFrame
    manual: list[dict] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    guessed_years: list[int] = field(default_factory=list)
    judged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=JUDGED_COLUMNS))

    def within(self, units: pd.Index) -> Evaluation:
        """Only what concerns these units: a township auditing itself inside a county's ledger set."""
        findings = self.findings[isin(self.findings["unit"], units)].reset_index(drop=True)
        progress = self.progress[isin(self.progress["unit"], units)].reset_index(drop=True)
        judged = self.judged[isin(self.judged["unit"], units)].reset_index(drop=True)
        return Evaluation(findings, progress, self.manual, self.missing, self.guessed_years, judged)


def _data_rule(packs: list[Pack], source: str) -> tuple[Pack, Rule] | None:
    for pack in packs:
        for rule in pack.rules:
            if rule.kind == "data" and rule.checked.source == source:  # type: ignore[attr-defined]
                return pack, rule
    return None


def _label(rule: Rule, frame: pd.DataFrame, pack: Pack) -> pd.DataFrame:
    return frame.assign(
        rule=rule.id,
        pack=pack.id,
        clause=rule.clause,
        title=rule.title,
        quote=rule.quote,
        severity=rule.severity,
        kind=rule.kind,
    )


def _messages(findings: pd.DataFrame, templates: dict[str, str]) -> list[str]:
    """Fill each rule's message template with the finding's fields."""
    columns = ["rule", "unit_name", "period", "record", "expected", "actual", "detail", "title"]
    messages = []
    for fields in as_records(findings[columns]):
        text = templates[fields["rule"]].format_map(fields)
        messages.append(" ".join(text.split()))
    return messages


def _ledger_missing(packs: list[Pack], missing: dict[str, list[str]], ledgers: LedgerSet) -> pd.DataFrame:
    found = _data_rule(packs, "ledger_missing")
    if found is None or not missing:
        return pd.DataFrame()
    return _label(found[1], data.ledger_missing(missing, ledgers), found[0])


def _role_unfilled(packs: list[Pack], unfilled: pd.DataFrame, ledgers: LedgerSet) -> pd.DataFrame:
    found = _data_rule(packs, "role_unfilled")
    if found is None or unfilled.empty:
        return pd.DataFrame()
    return _label(found[1], data.role_unfilled(unfilled, ledgers), found[0])


@dataclass
class RuleRun:
    """What running some of the rules over some of the rows gave, before the findings are finished: runs over
    parts of a ledger set (see executors.py) are put together by `assemble`."""

    parts: list[pd.DataFrame] = field(default_factory=list)
    targets: list[pd.DataFrame] = field(default_factory=list)
    judged: list[pd.DataFrame] = field(default_factory=list)  # counts per unit and period, see _counted
    manual: list[dict] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    guessed: set[int] = field(default_factory=set)


def run_rules(
    ledgers: LedgerSet,
    packs: list[Pack],
    window: AuditWindow,
    calendar: WorkCalendar | None = None,
    chosen: Callable[[Rule], bool] | None = None,
) -> RuleRun:
    """The `chosen` rules (all by default) of every pack; a rule whose ledger is absent is noted, not run. A ledger
    only the shared rules read (common.yaml) is missing only for a plan whose own rules read it too: a plan that
    keeps no patrol ledger is not at fault for lacking one."""
    calendar = calendar or WorkCalendar()
    run = RuleRun()
    rules = [(pack, rule) for pack in packs for rule in pack.rules]
    needed = {name for pack in plan_packs(packs) for rule in pack.rules for name in rule.ledgers}
    with progress.stage("逐条检查规则", len(rules)) as advance, in_force(packs):
        contexts = {pack.id: CheckContext(ledgers, pack.window(window), window.as_of, calendar) for pack in packs}
        for pack, rule in rules:
            advance(1)
            if chosen is not None and not chosen(rule):  # asked as each rule comes: two processes share them out
                continue
            if rule.kind == "manual":
                run.manual.append({"rule": rule.id, "pack": pack.id, "clause": rule.clause, "title": rule.title,
                                   "quote": rule.quote})  # fmt: skip
                continue
            absent = [name for name in rule.ledgers if not ledgers.has(name)]
            for name in absent:
                if name in needed:
                    run.missing.setdefault(name, []).append(rule.id)
            if absent:
                continue
            result = CHECK_KINDS[rule.kind].run(contexts[pack.id], rule.checked)
            if not result.findings.empty:
                run.parts.append(_label(rule, weigh(rule, result.findings, contexts[pack.id]), pack))
            if not result.progress.empty:
                run.targets.append(result.progress.assign(rule=rule.id, pack=pack.id, title=rule.title))
            if result.judged is not None:
                run.judged.append(_counted(result.judged).assign(rule=rule.id, pack=pack.id))
    run.guessed = set(calendar.guessed)
    return run


def evaluate(
    ledgers: LedgerSet,
    packs: list[Pack],
    window: AuditWindow,
    calendar: WorkCalendar | None = None,
    tuning: Tuning = DEFAULT_TUNING,
) -> Evaluation:
    """Every rule of every pack: in this process, or, where the caller's Tuning allows it and the ledgers are
    large, shared out with a forked second process, each taking the next rule nobody has taken (the findings are
    the same: `assemble` orders them whatever ran where)."""
    rows = sum(len(frame) for frame in ledgers.frames.values())
    if not tuning.rules_apart or rows < tuning.rules_apart_from:
        return assemble([run_rules(ledgers, packs, window, calendar)], ledgers, packs)
    order = {rule.id: i for i, rule in enumerate(rule for pack in packs for rule in pack.rules)}
    claims = Claims(len(order))
    there = partial(run_rules, ledgers, packs, window, calendar, lambda rule: claims.take(order[rule.id], THERE))
    redo = partial(run_rules, ledgers, packs, window, calendar, lambda rule: claims.taker(order[rule.id]) == THERE)
    apart = Apart(there, instead=redo)
    try:
        here = run_rules(ledgers, packs, window, calendar, lambda rule: claims.take(order[rule.id], HERE))
        return assemble([here, apart.result()], ledgers, packs)
    finally:
        apart.stop()


def assemble(runs: list[RuleRun], ledgers: LedgerSet, packs: list[Pack]) -> Evaluation:
    """Findings finished from the runs: named, with the people responsible, sorted and worded; the packs'
    own ledgers in force (their titles and columns)."""
    with in_force(packs):
        rules = [rule for pack in packs for rule in pack.rules]
        templates = {rule.id: rule.message or CHECK_KINDS[rule.kind].message for rule in rules}
        accountable = {rule.id: rule.accountable for rule in rules}
        order = {rule.id: i for i, rule in enumerate(rules)}
        missing_rules = {(name, rule) for run in runs for name, ids in run.missing.items() for rule in ids}
        missing: dict[str, list[str]] = {}
        for name, rule in sorted(missing_rules, key=lambda pair: order[pair[1]]):
            missing.setdefault(name, []).append(rule)
        guessed = sorted(set().union(*(run.guessed for run in runs)))
        parts = [part for run in runs for part in run.parts]
        parts.append(_ledger_missing(packs, missing, ledgers))
        findings = _finish(pd.concat([p for p in parts if not p.empty] or [_empty()], ignore_index=True), ledgers)
        responsible = resolve(findings, accountable, ledgers)
        findings["responsible"] = responsible.persons
        findings["unnamed"] = responsible.unnamed
        unfilled = _role_unfilled(packs, responsible.unfilled, ledgers)
        if not unfilled.empty:
            unfilled = _finish(unfilled, ledgers).assign(responsible=[[]] * len(unfilled), unnamed=[[]] * len(unfilled))
            findings = pd.concat([findings, unfilled], ignore_index=True)
        findings = _sorted(findings)
        findings["message"] = _messages(findings, templates)
        if guessed:
            years = "、".join(str(y) for y in guessed)
            findings.loc[findings["provisional"], "message"] += f"（暂定：{years} 年节假日安排未知）"
        targets = [target for run in runs for target in run.targets]
        progress_frame = (
            pd.concat(targets, ignore_index=True)
            .sort_values(["rule", "unit"], key=lambda s: s.map(order) if s.name == "rule" else s, kind="stable")
            .reset_index(drop=True)
            if targets
            else pd.DataFrame(columns=["rule", "pack", "title", "unit", "target", "actual", "deadline"])
        )
        progress_frame["unit_name"] = ledgers.units.names(progress_frame["unit"].astype("string")).to_numpy()
        manual = sorted((item for run in runs for item in run.manual), key=lambda item: order[item["rule"]])
        judged = [part for run in runs for part in run.judged]
        return Evaluation(findings, progress_frame, manual, missing, guessed, _judged_counts(judged))


def _counted(items: pd.DataFrame) -> pd.DataFrame:
    """A rule's judged items as counts per unit and period: a patrol rule judges millions of items, and a run
    is sent between processes."""
    return items.groupby(["unit", "period"], dropna=False).size().rename("judged").reset_index()


def _judged_counts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Items judged per rule, unit and period, summed over the runs."""
    if not parts:
        return pd.DataFrame(columns=JUDGED_COLUMNS)
    counts = pd.concat(parts, ignore_index=True).groupby(JUDGED_COLUMNS[:-1], dropna=False)["judged"].sum()
    return counts.reset_index()


def _empty() -> pd.DataFrame:
    frame = findings_frame(pd.DataFrame())
    for column in ("rule", "pack", "clause", "title", "quote", "severity", "kind"):
        frame[column] = pd.Series(dtype="string")
    return frame


def _finish(findings: pd.DataFrame, ledgers: LedgerSet) -> pd.DataFrame:
    findings = findings.copy()
    if "doubtful" not in findings:
        findings["doubtful"] = False
    findings["doubtful"] = findings["doubtful"].astype("boolean").fillna(False).astype(bool)
    doubts = findings["doubts"] if "doubts" in findings else pd.Series(None, index=findings.index, dtype=object)
    findings["doubts"] = [d if isinstance(d, list) else [] for d in doubts]
    for column in ("unit", "period", "record", "expected", "actual", "detail"):
        findings[column] = findings[column].astype("string").fillna("")
    findings["unit_name"] = ledgers.units.names(findings["unit"]).to_numpy()
    return findings


def _sorted(findings: pd.DataFrame) -> pd.DataFrame:
    order = findings["severity"].map(SEVERITY_ORDER).astype(float).fillna(0)
    findings = findings.assign(_order=-order).sort_values(["_order", "rule", "unit", "period", "record"], kind="stable")
    return findings.drop(columns="_order").reset_index(drop=True)

"""How firmly each person answers for each finding: the policy's base step per severity, raised by its step-ups.

The work is on one table of facts, a row per (person, finding): the person, the finding's rule, pack, severity
and period, and what the audit history and the evidence rows say about it. Two backends read the same facts:
this module's vectorised one, and the optional Rete one (accountability.referral.rete). Both return, per fact, the base
rank and which step-ups apply; `combine` turns those into the disposition the same way for both.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from accountability.ingest.ledgerset import LedgerSet
from accountability.language.conditions import select
from accountability.language.periods import label_spans
from accountability.referral.policy import ExampleFinding, Policy

PERSON = ["key", "named"]


def evidence_column(step: int, entry: int) -> str:
    """The fact column that says whether the `entry`-th `when` of step-up `step` found its evidence row."""
    return f"evidence_{step}_{entry}"


def _evidence_hits(findings: pd.DataFrame, ledgers: LedgerSet, policy: Policy, as_of: date) -> pd.DataFrame:
    """Per finding, one bool column per `evidence:` trigger: a row behind the finding meets its conditions."""
    refs = findings["rows"].explode().dropna()
    refs = pd.DataFrame({"finding": refs.index, "ledger": [r[0] for r in refs], "row": [r[1] for r in refs]})
    hits = pd.DataFrame(index=findings.index)
    for step, step_up in enumerate(policy.step_ups):
        for entry, trigger in enumerate(step_up.when):
            if trigger.evidence is None:
                continue
            match = trigger.evidence
            column = pd.Series(False, index=findings.index)
            if ledgers.has(match.ledger):
                frame = ledgers.frame(match.ledger)
                if all(c in frame for cond in match.where for c in cond.columns):
                    meets = select(frame, match.where, as_of, ledgers.people)
                    mine = refs[refs["ledger"] == match.ledger]
                    good = mine["row"].map(meets).fillna(False).astype(bool)
                    column = column | findings.index.isin(mine.loc[good, "finding"])
            hits[evidence_column(step, entry)] = column
    return hits


def facts(findings: pd.DataFrame, ledgers: LedgerSet, policy: Policy, as_of: date) -> pd.DataFrame:
    """One row per (person, finding): persons from the roster (`named`) and names that match nobody."""
    by_id = findings[["responsible"]].explode("responsible").dropna().rename(columns={"responsible": "key"})
    by_name = findings[["unnamed"]].explode("unnamed").dropna().rename(columns={"unnamed": "key"})
    pairs = pd.concat([by_id.assign(named=True), by_name.assign(named=False)])
    pairs.index.name = "finding"
    pairs = pairs.reset_index()
    pairs["key"] = pairs["key"].astype(str)
    spans = label_spans(findings["period"])
    table = findings[["rule", "pack", "severity", "persisting", "relapse"]].join(spans[["kind", "ordinal"]])
    table = table.join(_evidence_hits(findings, ledgers, policy, as_of))
    return pairs.join(table, on="finding").reset_index(drop=True)


def example_facts(findings: list[ExampleFinding], policy: Policy) -> pd.DataFrame:
    """The facts table of a policy example written in YAML: one finding a row, every evidence trigger as given."""
    rows = pd.DataFrame([f.model_dump() for f in findings])
    spans = label_spans(rows["period"])
    table = pd.DataFrame(
        {"key": rows["person"], "named": True, "finding": range(len(rows)), "rule": rows["rule"], "pack": "example",
         "severity": rows["severity"], "persisting": rows["persisting"], "relapse": rows["relapse"],
         "kind": spans["kind"], "ordinal": spans["ordinal"]}
    )  # fmt: skip
    for step, step_up in enumerate(policy.step_ups):
        for entry, trigger in enumerate(step_up.when):
            if trigger.evidence is not None:
                table[evidence_column(step, entry)] = rows["evidence"].to_numpy()
    return table


def run_lengths(table: pd.DataFrame) -> pd.Series:
    """Per fact, how many consecutive periods in a row the person has findings of this rule (0: no period)."""
    group = [*PERSON, "rule", "kind"]
    periodic = table.dropna(subset=["ordinal"]).drop_duplicates([*group, "ordinal"])
    periodic = periodic.sort_values([*group, "ordinal"], kind="stable")
    same_group = periodic[group].eq(periodic[group].shift()).fillna(False).astype(bool).all(axis=1)
    steps = periodic["ordinal"].astype(float).diff()
    runs = (~same_group | (steps != 1)).astype(int).cumsum()
    periodic = periodic.assign(run=periodic.groupby(runs)["ordinal"].transform("size"))
    keyed = table[[*group, "ordinal"]].merge(periodic[[*group, "ordinal", "run"]], how="left", on=[*group, "ordinal"])
    return pd.Series(keyed["run"].fillna(0).astype(int).to_numpy(), index=table.index)


def evaluate(table: pd.DataFrame, policy: Policy) -> tuple[pd.Series, pd.DataFrame]:
    """The vectorised backend: per fact, the base rank and one bool column per step-up id."""
    base = table["severity"].map(lambda s: policy.rank(policy.base[s]))
    runs = run_lengths(table)
    applies = pd.DataFrame(index=table.index)
    for step, step_up in enumerate(policy.step_ups):
        hit = pd.Series(False, index=table.index)
        for entry, trigger in enumerate(step_up.when):
            holds = pd.Series(True, index=table.index)
            if trigger.rule_prefix is not None:
                holds &= table["rule"].str.startswith(trigger.rule_prefix)
            if trigger.consecutive_periods is not None:
                holds &= runs >= trigger.consecutive_periods
            if trigger.persisting is not None:
                holds &= table["persisting"] == trigger.persisting
            if trigger.relapse is not None:
                holds &= table["relapse"] == trigger.relapse
            if trigger.evidence is not None:
                holds &= table[evidence_column(step, entry)]
            hit |= holds
        applies[step_up.id] = hit
    return base, applies


def combine(base: pd.Series, applies: pd.DataFrame, policy: Policy) -> pd.Series:
    """The rank each fact earns: base plus the steps that apply, capped at the ceiling, then at least every `to`."""
    steps = sum((applies[s.id].astype(int) * s.steps for s in policy.step_ups), pd.Series(0, index=base.index))
    raised = (base + steps).clip(upper=policy.rank(policy.ceiling))
    rank = raised.where(raised > base, base)
    for step_up in policy.step_ups:
        if step_up.to is not None:
            rank = rank.where(~applies[step_up.id], rank.clip(lower=policy.rank(step_up.to)))
    return rank

"""The Rete backend of the referral policy (`--referral-engine rete`): the same answers as `escalation.evaluate`,
computed by durable_rules.

The policy is compiled to a durable ruleset definition (the JSON `durable.lang` produces), the facts table is
asserted as plain JSON facts and each rule's action marks the facts it matched. `consecutive_periods: N` is a join
of N facts of one person, rule and period kind whose ordinals follow each other, so correlating a person's
findings across periods is the engine's work. Facts (unlike events) are not consumed by a match: one fact takes
part in every chain it belongs to, and several findings in one period (two townships in one week) each join it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable

import durable_rules_engine
import numpy as np
import pandas as pd
from durable.engine import Closure, Host, MessageNotHandledException

from accountability.errors import AccountabilityError
from accountability.ingest.values import as_records
from accountability.referral.escalation import PERSON, evidence_column
from accountability.referral.policy import Policy, Trigger

MAX_CHAIN = 16  # durable holds at most 16 facts in one match (MAX_MESSAGE_FRAMES; more fails with error 304)
RUN = [*PERSON, "rule", "kind"]  # what the facts of one run share, as in escalation.run_lengths
REGEX_SPECIAL = ".|?*+()[]{}%"  # durable's regex escapes these with %, not with a backslash

Rule = dict[str, object]


class _Host(Host):
    """A host without durable's background dispatch threads (for timers and asynchronous actions, unused here).
    Every action runs inside `assert_facts`; a thread that picked up queued actions would race that, and would
    outlive the ruleset, which is deleted after each call."""

    def _run(self) -> None:
        return


def _all(conditions: list[dict]) -> dict:
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _prefix(prefix: str) -> dict:
    """`rule_prefix` as durable's whole-string match: the prefix, escaped, then anything."""
    escaped = "".join("%" + ch if ch in REGEX_SPECIAL else ch for ch in prefix)
    return {"$mt": {"rule": escaped + ".*"}}


def _own(trigger: Trigger, step: int, entry: int) -> list[dict]:
    """The keys of a `when` entry that each fact must meet by itself."""
    own = [{flag: value} for flag in ("persisting", "relapse") if (value := getattr(trigger, flag)) is not None]
    if trigger.evidence is not None:
        own.append({evidence_column(step, entry): True})
    return own


def _chain(length: int, first: list[dict], at: int | None, own: list[dict]) -> list[dict]:
    """Patterns f0 … f{length-1}: one person's findings of one rule in consecutive periods of one kind. `own`
    conditions go on fact `at`."""
    patterns = []
    for i in range(length):
        if i == 0:
            conditions = [{"$ex": {"ordinal": 1}}, *first]
        else:
            previous = f"f{i - 1}"
            conditions = [{field: {previous: field}} for field in RUN]
            conditions.append({"ordinal": {"$add": {"$l": {previous: "ordinal"}, "$r": 1}}})
        if i == at:
            conditions += own
        patterns.append({f"f{i}": _all(conditions)})
    return patterns


def _mark(marks: np.ndarray, column: int, value: int, names: list[str]) -> Callable[[Closure], None]:
    """The action: write `value` into column `column` of every matched fact's row."""

    def run(c: Closure) -> None:
        for name in names:
            marks[getattr(c, name)["id"], column] = value

    return run


def compile_policy(policy: Policy, marks: np.ndarray) -> dict[str, Rule]:
    """The ruleset definition. Column 0 of `marks` receives the base rank, column 1 + i whether step-up i applies."""
    rules: dict[str, Rule] = {
        f"base.{severity}": {"all": [{"m": {"severity": severity}}], "run": _mark(marks, 0, policy.rank(code), ["m"])}
        for severity, code in policy.base.items()
    }
    for step, step_up in enumerate(policy.step_ups):
        for entry, trigger in enumerate(step_up.when):
            name = f"{step_up.id}.{entry}"
            first = [_prefix(trigger.rule_prefix)] if trigger.rule_prefix is not None else []
            own = _own(trigger, step, entry)
            length = trigger.consecutive_periods
            if length is None:
                rules[name] = {"all": [{"m": _all(first + own)}], "run": _mark(marks, 1 + step, 1, ["m"])}
                continue
            if length > MAX_CHAIN:
                raise AccountabilityError(
                    f"Rete 后端最多比对连续 {MAX_CHAIN} 个周期，上调情形 {step_up.id} 写了 {length} 个",
                    fix="去掉 --referral-engine rete，用默认后端",
                )
            facts = [f"f{i}" for i in range(length)]
            if not own:
                rules[name] = {"all": _chain(length, first, None, []), "run": _mark(marks, 1 + step, 1, facts)}
                continue
            for at in range(length):
                # each fact of the run must meet `own` by itself: one rule per place it can take in the chain
                rules[f"{name}.{at}"] = {
                    "all": _chain(length, first, at, own),
                    "run": _mark(marks, 1 + step, 1, [facts[at]]),
                }
    return rules


def _facts(table: pd.DataFrame, policy: Policy) -> list[dict]:
    """One JSON fact per row, `id` its position; NA fields are left out (durable holds no NaN)."""
    evidence = [
        evidence_column(step, entry)
        for step, step_up in enumerate(policy.step_ups)
        for entry, trigger in enumerate(step_up.when)
        if trigger.evidence is not None
    ]
    columns = [*RUN, "severity", "persisting", "relapse", "ordinal", *evidence]
    records = as_records(table[columns])  # native Python values, None for NA
    return [{"id": i, **{k: v for k, v in row.items() if not pd.isna(v)}} for i, row in enumerate(records)]


def evaluate(table: pd.DataFrame, policy: Policy) -> tuple[pd.Series, pd.DataFrame]:
    """Per fact, the base rank and one bool column per step-up id, as `escalation.evaluate` gives them."""
    marks = np.zeros((len(table), 1 + len(policy.step_ups)), dtype=np.int64)
    facts = _facts(table, policy)
    name = f"referral_{uuid.uuid4().hex}"
    host = _Host({name: compile_policy(policy, marks)})
    ruleset = host.get_ruleset(name)
    try:
        if facts:  # durable crashes (segfault) on an empty batch
            host.assert_facts(name, facts)
    except MessageNotHandledException:
        # some fact matched no rule; durable then returns before running the actions the others queued
        ruleset.dispatch()
    finally:
        # A ruleset lives until deleted (131,071 at most in a process), and deleting it leaves its facts allocated.
        with contextlib.suppress(durable_rules_engine.error):  # no state when nothing was asserted
            ruleset.delete_state(None)
        durable_rules_engine.delete_ruleset(ruleset._handle)
    base = pd.Series(marks[:, 0], index=table.index, name="severity")
    applies = pd.DataFrame(
        {s.id: marks[:, 1 + i].astype(bool) for i, s in enumerate(policy.step_ups)}, index=table.index
    )
    return base, applies

"""Prints how long the referral policy takes on each backend, the vectorised one (escalation) and the Rete one
(durable_rules), over a synthetic facts table: `python benchmarks/referral_engines.py [--persons 2000] [--weeks 20]`.

Each person answers for one weekly finding a week, of one of a few rules; some are missing (gaps break runs),
some persist, relapse or have a reopened adit behind them. Needs `pip install -e ".[rete]"`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from accountability.referral import escalation, rete
from accountability.referral.policy import Policy, load_policy

RULES = np.array(["HJ-PATROL-WEEKLY", "HJ-PATROL-COVERAGE", "HJ-CROSS-PATROL", "INT-PHOTO-REUSE"])
SEVERITIES = np.array(["low", "medium", "high"])


def facts(persons: int, weeks: int, policy: Policy, seed: int) -> pd.DataFrame:
    """A table with escalation.facts' columns: a row per (person, week), 80 % of them kept."""
    rng = np.random.default_rng(seed)
    n = persons * weeks
    person = np.repeat(np.arange(persons), weeks)
    rule = rng.integers(0, len(RULES), persons)[person]  # one rule a person, so runs form
    table = pd.DataFrame(
        {
            "key": np.char.add("P", person.astype(str)),
            "named": person % 10 != 0,  # one in ten is a name that matches nobody in the roster
            "finding": np.arange(n),
            "rule": RULES[rule],
            "pack": "hongjiang-2025",
            "severity": SEVERITIES[rule % len(SEVERITIES)],
            "persisting": rng.random(n) < 0.1,
            "relapse": rng.random(n) < 0.02,
            "kind": pd.array(["week"] * n, dtype="string"),
            "ordinal": pd.array(2900 + np.tile(np.arange(weeks), persons), dtype="Int64"),
        }
    )
    for step, step_up in enumerate(policy.step_ups):
        for entry, trigger in enumerate(step_up.when):
            if trigger.evidence is not None:
                table[escalation.evidence_column(step, entry)] = rng.random(n) < 0.01
    return table[rng.random(n) < 0.8].reset_index(drop=True)


def timed(label: str, rows: int, evaluate, table: pd.DataFrame, policy: Policy) -> tuple[pd.Series, pd.DataFrame]:
    start = time.perf_counter()
    result = evaluate(table, policy)
    seconds = time.perf_counter() - start
    print(f"  {label:<8} {seconds:8.3f} s   {rows / seconds:>12,.0f} facts/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    policy = load_policy()
    for persons in (args.persons // 10, args.persons // 3, args.persons):
        table = facts(persons, args.weeks, policy, args.seed)
        print(f"{persons:,} persons × {args.weeks} weeks: {len(table):,} facts")
        base, applies = timed("pandas", len(table), escalation.evaluate, table, policy)
        rete_base, rete_applies = timed("rete", len(table), rete.evaluate, table, policy)
        same = base.equals(rete_base) and applies.equals(rete_applies)
        counts = ", ".join(f"{step} {hits:,}" for step, hits in applies.sum().items())
        print(f"  step-ups: {counts}; backends agree: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

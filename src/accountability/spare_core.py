"""The rules of a large audit on two cores: once the ledgers are read, a second process (processes.Apart) takes
rules from the same list as this one, each the next rule not yet taken (heaviest first, see run_rules), so the two
finish close together whatever each rule costs.

Only where the process can be forked (processes.FORK_SAFE): it then shares the typed ledgers (1.6 GB at 100
counties) with this one. A spawned one would need them sent (680 MB pickled, about 2 s each way) or the files read
a second time, and either costs what the second core saves (measured). If the second process dies, this one runs
the rules it had taken, so the findings are always whole.
"""

from __future__ import annotations

from functools import partial
from multiprocessing.sharedctypes import SynchronizedArray
from typing import Any

from accountability import processes
from accountability.engine import Evaluation, RuleRun, assemble, evaluate, run_rules
from accountability.ingest.ledgerset import LedgerSet
from accountability.packs import Pack, Rule

# Ledger rows from which a second process takes half the rules: below about 10 generated counties (180,000 rows)
# a fork and sending the results back gain less than a second.
LARGE_FROM = 200_000


def worth_it(ledgers: LedgerSet) -> bool:
    """A large ledger set, a second core, and a system where the second process can be forked."""
    rows = sum(len(frame) for frame in ledgers.frames.values())
    return rows >= LARGE_FROM and processes.second_core() and processes.FORK_SAFE


class _Taken:
    """Which rules are taken, shared by the two processes (a flag per rule, in pack order; rule ids are unique
    across the packs of an audit), and which of them this process took."""

    def __init__(self, flags: SynchronizedArray, packs: list[Pack]) -> None:
        self.flags = flags
        self.index = {rule.id: i for i, rule in enumerate(rule for pack in packs for rule in pack.rules)}
        self.mine: set[str] = set()

    def take(self, rule: Rule) -> bool:
        """True when this process takes the rule: nobody had."""
        i = self.index[rule.id]
        with self.flags.get_lock():
            if self.flags[i]:
                return False
            self.flags[i] = 1
        self.mine.add(rule.id)
        return True

    def not_mine(self, rule: Rule) -> bool:
        return rule.id not in self.mine


def _second(ledgers: LedgerSet, packs: list[Pack], window: dict[str, Any], taken: _Taken) -> RuleRun:
    """The second process's share."""
    return run_rules(ledgers, packs, chosen=taken.take, **window)


def evaluate_on_two_cores(ledgers: LedgerSet, packs: list[Pack], window: dict[str, Any]) -> Evaluation:
    """What `engine.evaluate` gives, the rules shared with a second process when worth it."""
    if not worth_it(ledgers):
        return evaluate(ledgers, packs, **window)
    flags = processes.context().Array("b", sum(len(pack.rules) for pack in packs))
    theirs, mine = _Taken(flags, packs), _Taken(flags, packs)
    apart = processes.Apart(
        partial(_second, ledgers, packs, window, theirs),
        instead=partial(run_rules, ledgers, packs, chosen=mine.not_mine, **window),
    )
    try:
        run = run_rules(ledgers, packs, chosen=mine.take, **window)
        return assemble([run, apart.result()], ledgers, packs)
    finally:
        apart.stop()

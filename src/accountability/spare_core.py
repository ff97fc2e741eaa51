"""The rules of a large audit on two cores, begun before the ledgers are all typed.

Typing runs on one core. Once half the rows are typed (FORK_AT), a second process (processes.Apart) is forked and
takes the rules whose ledgers are typed and final, while this one types the rest; then this one takes rules from
the same list, each the next rule nobody has taken (heaviest first, see run_rules), so the two finish close
together whatever each rule costs. When typing ends, a second process still busy with the rules of the ledgers it
was given is joined by another given every ledger, and this one waits for the first: two processes take rules at
any time, and never three.

Only where the process can be forked (processes.FORK_SAFE): it then shares the typed ledgers (1.6 GB at 100
counties) with this one. A spawned one would need them sent (680 MB pickled, about 2 s each way) or the files read
a second time, and either costs what the second core saves (measured). If a second process dies, this one runs
the rules it had taken, so the findings are always whole.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from accountability.ingest.ledgerset import LedgerSet
from accountability.packs.model import Pack, Rule
from accountability.report import processes
from accountability.run.engine import Evaluation, RuleRun, assemble, evaluate, run_rules

# Ledger rows from which a second process takes rules: below about 10 generated counties (180,000 rows) a fork and
# sending the results back gain less than a second.
LARGE_FROM = 200_000
# Share of the rows typed when the second process starts. In a province-year the patrols come first, after the
# units and people (70% of the rows, 40% of the rules' work): the second process runs their rules while this one
# types the rest. Starting after the adits too (80%) measured slower: less typing left to overlap.
FORK_AT = 0.5
HERE = 1  # the taker of a rule run by this process; second processes are 2, 3…


def worth_it(rows: int) -> bool:
    """A large ledger set, a second core, and a system where the second process can be forked."""
    return rows >= LARGE_FROM and processes.second_core() and processes.FORK_SAFE


class Rules:
    """The rules of one audit and who took each: a claim per rule (in pack order; rule ids are unique across the
    packs of an audit) shared with the second processes. Use as a context manager, so a second process is stopped
    whatever happens here."""

    def __init__(self, packs: list[Pack], window: dict[str, Any]) -> None:
        self.packs, self.window = packs, window
        self.rules = [rule for pack in packs for rule in pack.rules]
        self.index = {rule.id: i for i, rule in enumerate(self.rules)}
        self.claims: processes.Claims | None = None  # made with the first second process
        self.apart: list[processes.Apart[RuleRun]] = []

    def __enter__(self) -> Rules:
        return self

    def __exit__(self, *_: object) -> None:
        for apart in self.apart:
            apart.stop()

    def typed(self, ledgers: LedgerSet, final: frozenset[str], rows_typed: int, rows: int) -> None:
        """Called after each ledger is typed (ledgerset.build_ledger_set): start the second process once FORK_AT
        of a large ledger set's rows are typed."""
        if not self.apart and rows_typed >= FORK_AT * rows and worth_it(rows):
            self._start(ledgers, final)

    def evaluate(self, ledgers: LedgerSet) -> Evaluation:
        """What `engine.evaluate` gives: every rule, those not taken by a second process run here. Two processes
        take rules at any time: if the first second process is still on the rules of the ledgers it was given,
        another, given every ledger, starts now, and this one waits for the first before taking rules itself."""
        if not self.apart:
            return evaluate(ledgers, self.packs, **self.window)
        every = frozenset(ledgers.frames)
        if not self.apart[0].done():
            self._start(ledgers, every)
        runs = [self.apart[0].result()]
        if len(self.apart) == 1 and self._untaken(every) > 1:
            self._start(ledgers, every)
        run = run_rules(ledgers, self.packs, chosen=partial(self.take, taker=HERE), **self.window)
        runs += [apart.result() for apart in self.apart[1:]]
        return assemble([run, *runs], ledgers, self.packs)

    def take(self, rule: Rule, taker: int) -> bool:
        """True when `taker` takes the rule: nobody had."""
        return self.claims is not None and self.claims.take(self.index[rule.id], taker)

    def _start(self, ledgers: LedgerSet, final: frozenset[str]) -> None:
        if self.claims is None:
            self.claims = processes.Claims(len(self.index))
        taker = HERE + 1 + len(self.apart)
        self.apart.append(
            processes.Apart(
                partial(_second, self, ledgers, final, taker),
                instead=partial(run_rules, ledgers, self.packs, chosen=partial(self._taken_by, taker), **self.window),
            )
        )

    def _untaken(self, final: frozenset[str]) -> int:
        """Rules nobody took that a second process given the `final` ledgers could run."""
        taken = list(self.claims or [])
        return sum(1 for i, rule in enumerate(self.rules) if not taken[i] and runs_on(rule, final))

    def _taken_by(self, taker: int, rule: Rule) -> bool:
        return self.claims is not None and self.claims.taker(self.index[rule.id]) == taker


def runs_on(rule: Rule, final: frozenset[str]) -> bool:
    """A rule a second process can run from ledgers typed so far: every ledger it reads, even when present only,
    is typed and final. Not a rule that reads no ledger: the data rules read the typing errors, gathered last."""
    return bool(rule.reads) and set(rule.reads) <= final


def _second(rules: Rules, ledgers: LedgerSet, final: frozenset[str], taker: int) -> RuleRun:
    """A second process's share: the rules it can run, each when nobody has taken it."""
    return run_rules(
        ledgers, rules.packs, chosen=lambda rule: runs_on(rule, final) and rules.take(rule, taker), **rules.window
    )

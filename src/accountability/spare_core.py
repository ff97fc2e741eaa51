"""The rules of a large audit on two cores: once the ledgers are read, a second process forked from this one takes
rules from the same list as this one, each the next rule not yet taken (heaviest first, see run_rules), so the two
finish close together whatever each rule costs.

Forked, because a forked process shares the typed ledgers (1.6 GB at 100 counties) with this one instead of a
copy: spawning one would mean sending them (680 MB pickled, about 2 s each way) or reading the files a second
time, and either costs what the second core saves (measured). Arrow re-creates its thread pools in a forked
child. Where there is no safe fork (Windows, macOS) or one core, the rules run in this process only. If the
second process fails, this one runs the rules it had taken, so the findings are always whole.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import SynchronizedArray
from typing import Any

from accountability import progress
from accountability.engine import Evaluation, RuleRun, assemble, evaluate, run_rules
from accountability.ingest.ledgerset import LedgerSet
from accountability.packs import Pack, Rule

# Ledger rows from which a second process takes half the rules: below about 10 generated counties (180,000 rows)
# a fork and sending the results back gain less than a second.
LARGE_FROM = 200_000


def worth_it(ledgers: LedgerSet) -> bool:
    """A large ledger set, a second core, and a system where forking is safe."""
    rows = sum(len(frame) for frame in ledgers.frames.values())
    return rows >= LARGE_FROM and (os.cpu_count() or 1) > 1 and sys.platform.startswith("linux")


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


def _second(ledgers: LedgerSet, packs: list[Pack], window: dict[str, Any], taken: _Taken, conn: Connection) -> None:
    """The second process: take rules until none is left, send back the run. On any failure it sends nothing and
    the first process runs the rules it took (a real error then shows there, once)."""
    progress.STREAM.set(None)  # the first process draws the progress bar
    try:
        conn.send(run_rules(ledgers, packs, chosen=taken.take, **window))
    except BaseException:  # the first process sees the closed pipe and runs these rules itself
        pass
    finally:
        conn.close()


def evaluate_on_two_cores(ledgers: LedgerSet, packs: list[Pack], window: dict[str, Any]) -> Evaluation:
    """What `engine.evaluate` gives, the rules shared with a second process when worth it."""
    if not worth_it(ledgers):
        return evaluate(ledgers, packs, **window)
    context = multiprocessing.get_context("fork")
    flags = context.Array("b", sum(len(pack.rules) for pack in packs))
    receive, send = context.Pipe(duplex=False)
    second = context.Process(target=_second, args=(ledgers, packs, window, _Taken(flags, packs), send), daemon=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded, fork may deadlock": Arrow's pools
        second.start()
    send.close()  # only the second process writes: its end closing is how a failure shows here
    try:
        taken = _Taken(flags, packs)
        mine = run_rules(ledgers, packs, chosen=taken.take, **window)
        theirs = _received(receive)
        if theirs is None:
            theirs = run_rules(ledgers, packs, chosen=taken.not_mine, **window)
    finally:
        if second.is_alive():
            second.terminate()
        second.join()
        receive.close()
    return assemble([mine, theirs], ledgers, packs)


def _received(receive: Connection) -> RuleRun | None:
    try:
        return receive.recv()
    except (EOFError, OSError):
        return None

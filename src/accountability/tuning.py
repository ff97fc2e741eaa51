"""How an audit uses the machine and how much one page shows: the thresholds and process settings in one object,
chosen by whoever runs the audit, so no module global needs patching and nothing process-wide happens on import.

A library caller and the web workspace get `Tuning()`, which never starts a second process. Only the command
line's batch entry takes `Tuning.batch()`, which shares the rules out with a forked second process, lets
report.xlsx be written by one beside the letters, and pauses the cyclic garbage collector for the audit
(docs/performance.md: the process machinery that buys more than 10% of an audit)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


def _cores() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Tuning:
    readers: int = min(_cores(), 8)  # ledger files read at once, a thread each (calamine and Arrow let go of the lock)
    rules_apart: bool = False  # the rules shared out with a forked second process
    rules_apart_from: int = 200_000  # ledger rows from which that pays: a county's few thousand take a second
    write_apart: bool = False  # report.xlsx in a forked second process while this one writes the letters
    write_apart_from: int = 5_000  # findings from which that pays: below, the fork costs what it saves
    page_units: int = 60  # units whose findings report.html shows in full before they move to pages/
    page_people: int = 200  # referred people report.html shows in full before they move to pages/
    matrix_rows: int = 60  # rows of the compliance matrix before townships roll up into their counties
    letters_at_once: int = 200  # letters one run writes over several counties before they are drawn per county
    collector_paused: bool = False  # no cyclic garbage collection during the audit: see `paused`

    @classmethod
    def batch(cls) -> Tuning:
        """The command line's: a second process where it can be forked (Linux) and a core is spare; the collector
        paused."""
        spare = sys.platform.startswith("linux") and _cores() > 1
        return cls(rules_apart=spare, write_apart=spare, collector_paused=True)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """With `collector_paused`, the cyclic garbage collector off until the audit is written, then on again. A
        province's findings and their evidence are a million Python objects that live to the end, and each full
        collection walks them all to free next to nothing: 11–13% of the command on both generators' provinces, at
        the same peak memory (docs/performance.md). Reference counting still frees everything else as it goes."""
        if not self.collector_paused or not gc.isenabled():
            yield
            return
        gc.disable()
        try:
            yield
        finally:
            gc.enable()


DEFAULT_TUNING = Tuning()  # frozen: safe as every function's default

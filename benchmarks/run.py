"""Audits a generated province (benchmarks/generate.py) with every pack and prints, per stage, wall time, rows per
second and the process's peak memory so far, with the bare read of the same files as the floor to compare with.

    python benchmarks/run.py OUT [--as-of 2025-12-31] [--pack P]… [--executor local|dask|dask://addr] [--one-process]

Stages: the bare read (pandas for parquet and csv, calamine for xlsx), reading and typing each ledger, each check
kind, the doubt (each rule read again in the units' favour and its doubts listed), the roles, the referrals,
findings.json, and writing every output as `audit` does (with the command line's Tuning, so a large audit's rules
are shared out with a second process, its report.xlsx is written by one and the collector is paused; `--one-process`
runs it all in this one, the collector on); then each output alone, for its own cost.
Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from accountability import history
from accountability.audit.document import document
from accountability.audit.pipeline import finding_ids, mark_waived, read_ledgers, track_history
from accountability.checks import CHECK_KINDS
from accountability.ingest import ledgerset
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs
from accountability.packs.model import COMMON_PACK, in_force
from accountability.referral.policy import load_policy
from accountability.referral.referrals import build_referrals
from accountability.report.letters import all_at_once
from accountability.report.outputs import FORMATS, write_outputs
from accountability.run import engine
from accountability.run.dask import dask_address, evaluate_on_dask
from accountability.run.engine import evaluate
from accountability.tuning import Tuning


def peak_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def kernel_seconds() -> float:
    """This process's CPU seconds in the kernel so far: on a virtual machine, mostly first touches of memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


def line(label: str, seconds: float, rows: int | None = None, kernel: float | None = None) -> None:
    rate = f"{rows / seconds:>12,.0f} rows/s" if rows and seconds > 0 else " " * 19
    system = f"   kernel {kernel:6.2f} s" if kernel is not None else ""
    print(f"  {label:<34} {seconds:8.2f} s {rate}   peak {peak_mb():8,.0f} MB{system}")


@contextmanager
def stage(label: str, rows: int | None = None) -> Iterator[None]:
    start, kernel = time.perf_counter(), kernel_seconds()
    yield
    line(label, time.perf_counter() - start, rows, kernel_seconds() - kernel)


def bare_read(path: Path) -> int:
    """Rows of one file read with nothing but its reader: the floor ingest is compared with."""
    if path.suffix == ".parquet":
        return len(pd.read_parquet(path))
    if path.suffix == ".csv":
        return len(pd.read_csv(path, dtype=str, keep_default_na=False))
    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python()) - 1 for name in book.sheet_names)


class Clock:
    """Seconds and calls accumulated per name, for functions wrapped while the audit runs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, name: Callable[..., str], func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args)
            finally:
                key = name(*args)
                self.seconds[key] += time.perf_counter() - start
                self.calls[key] += 1

        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2025, 12, 31))
    parser.add_argument("--pack", action="append", default=[])
    parser.add_argument("--executor", default="local", help="local, dask (a cluster of this machine) or dask://addr")
    parser.add_argument("--one-process", action="store_true", help="no forked second process (as a library caller)")
    args = parser.parse_args()
    tuning = Tuning() if args.one_process else Tuning.batch()  # by default as the command line does
    files = sorted(p for p in args.folder.iterdir() if p.suffix in (".parquet", ".csv", ".xlsx"))
    packs = load_packs(args.pack)
    print(f"{args.folder}: {len(files)} files; packs {', '.join(p.id for p in packs if p.id != COMMON_PACK)}")

    print("bare read (the floor)")
    bare_total, counts = 0.0, {}
    for path in files:
        start = time.perf_counter()
        counts[path.stem] = bare_read(path)
        seconds = time.perf_counter() - start
        bare_total += seconds
        line(path.name, seconds, counts[path.stem])
    rows = sum(counts.values())
    line("all files", bare_total, rows)

    print("audit")
    clock = Clock()
    type_ledger = ledgerset._type_ledger
    ledgerset._type_ledger = clock.wrap(lambda _set, _typer, spec, *_: f"type {spec.key}", type_ledger)
    kinds = dict(CHECK_KINDS)
    for name, kind in kinds.items():
        CHECK_KINDS[name] = dataclasses.replace(kind, run=clock.wrap(lambda *_, n=name: f"check {n}", kind.run))
    weigh, resolve = engine.weigh, engine.resolve
    engine.weigh = clock.wrap(lambda *_: "doubt (favourable readings)", weigh)
    engine.resolve = clock.wrap(lambda *_: "roles", resolve)
    contract = in_force(packs)  # the packs' own ledgers, as the audit reads them
    contract.__enter__()
    paused = tuning.paused()  # the collector as the command line has it
    paused.__enter__()
    try:
        whole, whole_kernel = time.perf_counter(), kernel_seconds()
        window = AuditWindow(None, args.as_of)
        with stage("read and type ledgers", rows):
            ledgers = read_ledgers(args.folder, tuning)
        ingest = time.perf_counter() - whole
        with stage(f"run rules and roles ({args.executor})", rows):
            if args.executor == "local":
                evaluation = evaluate(ledgers, packs, window, tuning=tuning)
            else:
                evaluation = evaluate_on_dask(ledgers, packs, window, address=dask_address(args.executor))
        with tempfile.TemporaryDirectory() as tmp, history.open_book(Path(tmp) / "h.sqlite") as book:
            with stage("history", len(evaluation.findings)):
                tracking = track_history(evaluation, packs, window, ledgers.units.top, book)
                evaluation.findings["id"] = finding_ids(evaluation.findings, ledgers.units.top)
                mark_waived(evaluation.findings, {}, args.as_of)
            refer = partial(build_referrals, evaluation.findings, ledgers, load_policy(), args.as_of, packs)
            assemble = partial(document, ledgers, packs, evaluation, window, args.folder, tracking)
            with stage("referrals", len(evaluation.findings)):
                referrals = refer()
            with stage("assemble findings.json", len(evaluation.findings)):
                doc = assemble()
            del ledgers, refer, assemble  # let go before the outputs, as the command does
            with stage("write every output", len(evaluation.findings)):
                letters = all_at_once(doc, referrals, tuning)  # as the command line decides
                write_outputs(doc, referrals, Path(tmp) / "out", tuning=tuning, letters=letters)
            total, total_kernel = time.perf_counter() - whole, kernel_seconds() - whole_kernel
            print("each output alone, in this process (not part of the audit above)")
            for fmt in FORMATS:
                with stage(f"write {fmt}", len(evaluation.findings)):
                    write_outputs(doc, referrals, Path(tmp) / fmt, (fmt,), letters=letters)
    finally:
        paused.__exit__(None, None, None)
        contract.__exit__(None, None, None)
        ledgerset._type_ledger = type_ledger
        engine.weigh, engine.resolve = weigh, resolve
        CHECK_KINDS.update(kinds)
    share = " (this process's share: the rest ran in the second one)" if tuning.rules_apart else ""
    print(f"inside: typing per ledger, rules per check kind{share} (the doubt's reruns included), the doubt, the roles")
    for key in sorted(clock.seconds, key=lambda k: -clock.seconds[k]):
        ledger = key.removeprefix("type ")
        line(f"{key} ×{clock.calls[key]}", clock.seconds[key], counts.get(ledger) if key.startswith("type") else None)
    print(f"read and type {ingest:.2f} s, {ingest / bare_total:.2f}× the bare read")
    print(f"whole audit {total:.2f} s ({rows / total:,.0f} rows/s), {total / bare_total:.1f}× the bare read; "
          f"{total_kernel:.2f} s of this process's CPU in the kernel; peak {peak_mb():,.0f} MB (this process); "
          f"findings {len(evaluation.findings):,}, referrals {len(referrals):,}")  # fmt: skip


if __name__ == "__main__":
    main()

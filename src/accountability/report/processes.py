"""Work done by a second process while this one goes on: rules of a large audit, the referrals, report.xlsx; and
the claims by which the processes share out rules and files.

On Linux the process is forked: it starts at once and shares this process's memory (the typed ledgers, the
findings) instead of receiving a pickled copy, and Arrow re-creates its thread pools in a forked child. Elsewhere
(Windows, macOS, where forking is unsafe or missing) it is spawned, and only work whose inputs are cheap to send
is given to it (see `FORK_SAFE`). If the process dies without an answer, the work is done here after all.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from accountability import progress

T = TypeVar("T")
U = TypeVar("U")

FORK_SAFE = sys.platform.startswith("linux")


def second_core() -> bool:
    """A core for a second process to run on."""
    return (os.cpu_count() or 1) > 1


def context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("fork" if FORK_SAFE else "spawn")


def _run(work: Callable[[], Any], send: Connection) -> None:
    """In the second process: the work's result, or its error, back to the first, which draws any progress bar."""
    progress.STREAM.set(None)
    try:
        send.send((True, work()))
    except BaseException as exc:  # the first process raises it
        send.send((False, exc))
    finally:
        send.close()


class Apart(Generic[T]):
    """`work()` started in a second process; `result()` waits for it. `instead` is what this process does when
    the second one dies without an answer (by default the same work).

    While any second process runs, the objects that existed when it started are frozen (gc.freeze), as Python's
    gc documentation advises before a fork: the collections of both processes skip them, so a forked process does
    not copy every page holding one of the findings it reads, and neither process walks a province's findings and
    referrals again and again (2 s of collections in an audit, measured)."""

    running = 0  # second processes started and not yet stopped

    def __init__(self, work: Callable[[], T], instead: Callable[[], T] | None = None) -> None:
        gc.freeze()
        Apart.running += 1
        self.stopped = False
        ctx = context()
        self.instead = instead or work
        self.receive, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_run, args=(work, send), daemon=True)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded, fork may deadlock": see above
                self.process.start()
        except BaseException:
            self._release()
            raise
        send.close()  # only the second process writes: its end closing is how its death shows here

    def result(self) -> T:
        """The work's result; its error raised here; done here if the second process died."""
        try:
            done, value = self.receive.recv()
        except (EOFError, OSError):
            self.stop()
            return self.instead()
        self.stop()
        if not done:
            raise value
        return value

    def done(self) -> bool:
        """The work has finished, or the process has died: `result()` will not wait."""
        return self.receive.poll() or not self.process.is_alive()

    def stop(self) -> None:
        """End the second process if it still runs (this process failed first); once none runs, let the collector
        see every object again."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()
        self._release()

    def _release(self) -> None:
        if not self.stopped:
            self.stopped = True
            Apart.running -= 1
            if not Apart.running:
                gc.unfreeze()


class Claims:
    """Items of work shared out between this process and second ones: whoever claims an item first does it. A
    flag per item, in memory the processes share, holds its taker (0: nobody yet)."""

    def __init__(self, size: int) -> None:
        self.flags = context().Array("b", size)

    def take(self, item: int, taker: int) -> bool:
        """True when `taker` takes the item: nobody had."""
        with self.flags.get_lock():
            if self.flags[item]:
                return False
            self.flags[item] = taker
        return True

    def taker(self, item: int) -> int:
        return self.flags[item]

    def __iter__(self) -> Iterator[int]:
        return iter(self.flags[:])


def beside(apart: Callable[[], T], here: Callable[[], U], large: bool) -> tuple[T, U]:
    """`apart()` in a forked second process while this one runs `here()`, when the work is `large` and a core is
    spare; else one after the other, as when the second process dies. Only forked: the two share their inputs
    (findings, ledgers) instead of one receiving a copy, so neither may change them."""
    if not (large and second_core() and FORK_SAFE):
        return apart(), here()
    other = Apart(apart)
    try:
        mine = here()
        return other.result(), mine
    finally:
        other.stop()

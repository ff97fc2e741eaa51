"""Work in a forked second process beside this one, and the claims by which the two share out items of work: the
rules of an audit (run/engine.py), and report.xlsx with the other files (report/outputs.py).

Only when the caller's Tuning allows it (`Tuning.batch()`, the command line on Linux): the process is forked, so it
starts at once and reads this process's ledgers, findings and referrals instead of receiving a pickled copy. Python
warns that forking a process with threads may deadlock; the threads that could hold a lock here are Arrow's, whose
pools a forked child re-creates, so the warning is silenced for that call only. A web server never takes this path:
its audits run as their own command-line processes. If the second process dies without an answer, its work is done
here after all."""

from __future__ import annotations

import multiprocessing
import warnings
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from accountability import progress

T = TypeVar("T")
HERE, THERE = 1, 2  # who claimed an item: this process, or the second one


def context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("fork")


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
    """`work()` started in a forked second process; `result()` waits for it. `instead` is what this process does
    when the second one dies without an answer (by default the same work)."""

    def __init__(self, work: Callable[[], T], instead: Callable[[], T] | None = None) -> None:
        ctx = context()
        self.instead = instead or work
        self.receive, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_run, args=(work, send), daemon=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded, fork may deadlock": see above
            self.process.start()
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

    def stop(self) -> None:
        """End the second process if it still runs (this process failed first)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()


class Claims:
    """Items of work shared out between this process and the second one: whoever claims an item first does it. A
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

"""Progress bars for long runs (reading the ledgers, running the rules, writing the report): shown on stderr
when it is a terminal, silent in CI, in pipes and with --quiet. The command turns them on for its run with
`showing()`; the stages ask `stage()` and get a no-op when nobody is watching."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO

import click

STREAM: ContextVar[IO[str] | None] = ContextVar("progress_stream", default=None)


@contextmanager
def showing(enabled: bool, stream: IO[str] | None = None) -> Iterator[None]:
    """Show the stages run inside this block on `stream` (stderr by default) when `enabled` and it is a terminal."""
    stream = stream or sys.stderr
    token = STREAM.set(stream if enabled and stream.isatty() else None)
    try:
        yield
    finally:
        STREAM.reset(token)


def _skip(steps: int = 1) -> None:
    """Nobody is watching."""


@contextmanager
def stage(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A stage of `total` steps; the block calls the yielded function once per step done (or with a count)."""
    stream = STREAM.get()
    if stream is None or total <= 0:
        yield _skip
        return
    with click.progressbar(length=total, label=label, file=stream, show_pos=True, show_eta=total > 20) as bar:
        yield bar.update

"""Progress bars for long runs (reading the ledgers, running the rules, writing the report): shown on stderr
when it is a terminal, silent in CI, in pipes and with --quiet. The command turns them on for its run with
`showing()`; the stages ask `stage()` and get a no-op when nobody is watching. With `--progress-json` they are
JSON lines instead, `{"stage", "done", "total"}`, for a program that runs the command (the web workspace)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO

import click

STREAM: ContextVar[IO[str] | None] = ContextVar("progress_stream", default=None)
AS_JSON: ContextVar[bool] = ContextVar("progress_json", default=False)
JSON_STEPS = 50  # at most this many lines a stage: enough for a smooth bar, few enough to cost nothing


@contextmanager
def showing(enabled: bool, stream: IO[str] | None = None, as_json: bool = False) -> Iterator[None]:
    """Show the stages run inside this block on `stream` (stderr by default) when `enabled` and it is a terminal;
    `as_json`: always, as JSON lines."""
    stream = stream or sys.stderr
    token = STREAM.set(stream if as_json or (enabled and stream.isatty()) else None)
    json_token = AS_JSON.set(as_json)
    try:
        yield
    finally:
        STREAM.reset(token)
        AS_JSON.reset(json_token)


def emit(stream: IO[str], event: dict) -> None:
    """One JSON line, flushed, so the reader sees it at once."""
    stream.write(json.dumps(event, ensure_ascii=False) + "\n")
    stream.flush()


@contextmanager
def _json_stage(stream: IO[str], label: str, total: int) -> Iterator[Callable[[int], None]]:
    done, shown = 0, -1
    step = max(1, total // JSON_STEPS)
    emit(stream, {"stage": label, "done": 0, "total": total})

    def advance(steps: int = 1) -> None:
        nonlocal done, shown
        done += steps
        if done - shown >= step or done >= total:
            shown = done
            emit(stream, {"stage": label, "done": min(done, total), "total": total})

    yield advance


def _skip(steps: int = 1) -> None:
    """Nobody is watching."""


@contextmanager
def stage(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A stage of `total` steps; the block calls the yielded function once per step done (or with a count)."""
    stream = STREAM.get()
    if stream is None or total <= 0:
        yield _skip
        return
    if AS_JSON.get():
        with _json_stage(stream, label, total) as advance:
            yield advance
        return
    with click.progressbar(length=total, label=label, file=stream, show_pos=True, show_eta=total > 20) as bar:
        yield bar.update

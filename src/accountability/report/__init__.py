"""The outputs of an audit: findings.json, referrals.json, findings.csv, report.xlsx, report.html with the
referral letters in letters/, and the console summary."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from accountability import progress
from accountability.errors import AccountabilityError
from accountability.outfiles import write_whole
from accountability.processes import Apart, Claims, second_core
from accountability.report import labels
from accountability.report.html import render_html, render_pages, stale_pages
from accountability.report.letters import letter_paths, render_letters, stale_letters
from accountability.report.summary import summary_text
from accountability.report.tables import findings_table, write_csv, write_xlsx

FORMATS = tuple(labels.OUTPUT_FILES)
Job = tuple[str, Callable[[Path], Any]]  # a file's name, and what writes it to a path
# Findings from which report.html with its pages and report.xlsx are written by a second process while this one
# writes the letters and the rest: on a province, 1.6 s of pages and 2.6 s of workbook beside 3 s of letters.
PARALLEL_FROM = 5_000
# Files either process may write, whichever is free first: the second one after report.xlsx, this one after
# the letters. Which finishes first depends on the disk: on a province, 6,150 letters take
# 0.3 s to write to memory and 1 to 3 s to this machine's disk.
SHARED = ("findings.json", "findings.csv")
HERE, THERE = 1, 2  # who claimed a shared file

__all__ = [
    "FORMATS",
    "findings_table",
    "labels",
    "render_html",
    "render_letters",
    "summary_text",
    "write_csv",
    "write_outputs",
    "write_xlsx",
]


def json_text(value: Any, depth: int = 0) -> str:
    """JSON laid out for reading: objects a key per line, a list of objects (findings, referrals) an object per
    line. Python's indented JSON is written by its slow pure-Python encoder, three times the compact C one's time
    on a province's findings; a line per finding reads and compares as well."""
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict) and value:
        keys = (f"{inner}{_compact(str(key))}: {json_text(item, depth + 1)}" for key, item in value.items())
        return "{\n" + ",\n".join(keys) + f"\n{outer}}}"
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return "[\n" + ",\n".join(inner + _compact(item) for item in value) + f"\n{outer}]"
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _dump_json(data: Any, path: Path) -> Path:
    path.write_text(json_text(data) + "\n", encoding="utf-8")
    return path


def _write_text(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _apart(doc: Mapping[str, Any], chosen: list[str]) -> bool:
    """report.xlsx goes to a second process: a large audit, other outputs to write meanwhile, a core to spare."""
    large = len(doc.get("findings") or []) >= PARALLEL_FROM
    return large and "xlsx" in chosen and len(chosen) > 1 and second_core()


def _write_apart(
    out_dir: Path,
    xlsx: Callable[[Path], Any],
    pages: Callable[[], dict[str, str]] | None,
    shared: list[Job],
    claims: Claims,
    redo: bool = False,
) -> dict[str, Path]:
    """The second process's share: report.html and its pages when `pages` renders them, report.xlsx, then each
    shared file nobody has claimed. With `redo`, here: what a second process that died had claimed."""
    texts = pages() if pages is not None else {}
    done = {name: write_whole(out_dir / name, partial(_write_text, text)) for name, text in texts.items()}
    done["report.xlsx"] = write_whole(out_dir / "report.xlsx", xlsx)
    for i, (name, write) in enumerate(shared):
        if (claims.taker(i) == THERE) if redo else claims.take(i, THERE):
            done[name] = write_whole(out_dir / name, write)
    return done


@contextmanager
def _collections_paused() -> Iterator[None]:
    """Python's cyclic collector off while the outputs are built, in this process and the second one it forks.

    Rendering builds hundreds of thousands of small dicts and lists (a row per finding and letter) that all live
    until their file is written, so the collector walks them again and again as they pile up and finds nothing to
    free: 0.5 s of the 2.9 s the letters of a province take, and 0.3–0.5 s of writing every output. Reference
    counting still frees everything else as before; the collector runs again once the files are written."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_collections_paused()
def write_outputs(
    doc: Mapping[str, Any],
    referrals: Sequence[Mapping[str, Any]],
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    lang: str = "zh",
) -> list[Path]:
    """Write the chosen formats into `out_dir` (created if needed); returns the files written.

    `json` writes findings.json (`doc` as is) and referrals.json; `csv` findings.csv; `xlsx`
    report.xlsx; `html` report.html (with the pages/ it links to when an audit is large, see
    render_pages) and a letter per referral in letters/ with their index, each
    referral then carrying its letter's relative path as `letter` (in referrals.json too), and
    letters an earlier audit left there removed. `lang` ("zh" or "en") changes labels and
    headers, not data or the sheet names of report.xlsx. From PARALLEL_FROM findings on, report.html with its
    pages and report.xlsx are written by a second process (processes.Apart: forked on Linux, spawned elsewhere)
    while this one writes the letters and the rest; the SHARED files are written by whichever of the two is free
    first.
    """
    labels.check_lang(lang)
    chosen = list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise AccountabilityError(f"不支持的输出格式：{'、'.join(unknown)}", fix=f"可选：{'、'.join(FORMATS)}")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AccountabilityError(f"无法创建输出目录 {out_dir}：{exc.strerror}", file=str(out_dir)) from exc
    referrals = list(referrals or [])
    if "html" in chosen:
        referrals = [dict(r, letter=path) for r, path in zip(referrals, letter_paths(referrals, lang), strict=True)]
    writers: dict[str, list[Job]] = {  # a module's functions: a spawned process can run them
        "json": [("findings.json", partial(_dump_json, doc)), ("referrals.json", partial(_dump_json, referrals))],
        "csv": [("findings.csv", partial(write_csv, doc, lang=lang))],
        "xlsx": [("report.xlsx", partial(write_xlsx, doc, referrals, lang=lang))],
    }
    large = _apart(doc, chosen)
    early = dict(job for fmt in chosen if fmt in writers for job in writers[fmt])
    shared = [(name, early[name]) for name in SHARED if name in early] if large else []
    claims = Claims(len(shared))
    pages = partial(render_pages, doc, referrals, lang) if "html" in chosen else None
    apart = None
    if large:
        there = partial(_write_apart, out_dir, early["report.xlsx"], pages, shared, claims)
        apart = Apart(there, instead=partial(there, redo=True))
    elsewhere = {"report.xlsx", *dict(shared)} if large else set()
    here: dict[str, str] = {}  # report.html and its pages, when rendered in this process
    letters: dict[str, str] = {}
    pages_there: list[str] = []
    try:
        if pages is not None:
            here = {} if large else pages()
            letters = render_letters(doc, referrals, lang)
            writers["html"] = [(name, partial(_write_text, text)) for name, text in {**here, **letters}.items()]
        jobs = [job for fmt in chosen for job in writers[fmt]]
        done: dict[str, Path] = {}
        with progress.stage("写出报告", len(jobs) + (large and pages is not None)) as advance:
            for name, write in jobs:
                if name not in elsewhere:
                    done[name] = write_whole(out_dir / name, write)
                    advance(1)
            for i, (name, write) in enumerate(shared):
                if claims.take(i, HERE):
                    done[name] = write_whole(out_dir / name, write)
                    advance(1)
            if apart is not None:
                written_there = apart.result()
                pages_there = [name for name in written_there if name not in early]
                done.update(written_there)
                advance(len(written_there) - len(pages_there) + bool(pages_there))
    finally:
        if apart is not None:
            apart.stop()
    html = [*here, *pages_there, *letters]  # in the same order whichever process wrote the pages
    written = [done[name] for fmt in chosen for name in (html if fmt == "html" else dict(writers[fmt]))]
    if "html" in chosen:
        for stale in stale_letters(out_dir, written) + stale_pages(out_dir, written):
            stale.unlink()
    return written

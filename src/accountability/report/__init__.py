"""The outputs of an audit: findings.json, referrals.json, findings.csv, report.xlsx, report.html with the
referral letters in letters/, and the console summary."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from accountability import progress
from accountability.errors import AccountabilityError
from accountability.outfiles import write_whole
from accountability.processes import Apart, second_core
from accountability.report import labels
from accountability.report.html import render_html, render_pages, stale_pages
from accountability.report.letters import letter_paths, render_letters, stale_letters
from accountability.report.summary import summary_text
from accountability.report.tables import findings_table, write_csv, write_xlsx

FORMATS = tuple(labels.OUTPUT_FILES)
# Findings from which report.xlsx is written by a second process while this one writes the other outputs: a
# province's workbook is a million cells, each a Python call, as long as all the other outputs together.
PARALLEL_FROM = 5_000
# The files that second process writes, in this order: the workbook, then the tables, so that both processes take
# about as long (a province: 5.4 s and 1 s there, 6.5 s of report.html, pages and letters here).
APART = ("report.xlsx", "findings.csv", "findings.json")

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


def _write_each(out_dir: Path, jobs: list[tuple[str, Callable[[Path], Any]]]) -> list[Path]:
    return [write_whole(out_dir / name, write) for name, write in jobs]


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
    headers, not data or the sheet names of report.xlsx. From PARALLEL_FROM findings on, report.xlsx and then
    the other APART files are written by a second process (processes.Apart: forked on Linux, spawned elsewhere)
    while this one writes the rest.
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
    writers: dict[str, list[tuple[str, Callable[[Path], Any]]]] = {  # a module's functions: a spawned process runs them
        "json": [("findings.json", partial(_dump_json, doc)), ("referrals.json", partial(_dump_json, referrals))],
        "csv": [("findings.csv", partial(write_csv, doc, lang=lang))],
        "xlsx": [("report.xlsx", partial(write_xlsx, doc, referrals, lang=lang))],
    }
    early = {name: write for fmt in chosen if fmt in writers for name, write in writers[fmt]}
    there = [(name, early[name]) for name in APART if name in early] if _apart(doc, chosen) else []
    apart = Apart(partial(_write_each, out_dir, there)) if there else None
    elsewhere = {name for name, _ in there}
    try:
        if "html" in chosen:
            letters = render_letters(doc, referrals, lang)
            pages = render_pages(doc, referrals, lang)
            writers["html"] = [(name, partial(_write_text, text)) for name, text in {**pages, **letters}.items()]
        jobs = [(name, write) for fmt in chosen for name, write in writers[fmt]]
        done: dict[str, Path] = {}
        with progress.stage("写出报告", len(jobs)) as advance:
            for name, write in jobs:
                if name not in elsewhere:
                    done[name] = write_whole(out_dir / name, write)
                    advance(1)
            if apart is not None:
                done.update(zip((name for name, _ in there), apart.result(), strict=True))
                advance(len(there))
    finally:
        if apart is not None:
            apart.stop()
    written = [done[name] for name, _ in jobs]
    if "html" in chosen:
        for stale in stale_letters(out_dir, written) + stale_pages(out_dir, written):
            stale.unlink()
    return written

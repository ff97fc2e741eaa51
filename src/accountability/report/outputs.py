"""The outputs of an audit: findings.json, referrals.json, findings.csv, report.xlsx, report.html with the
referral letters in letters/, and the console summary."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from accountability import progress
from accountability.errors import AccountabilityError
from accountability.processes import HERE, THERE, Apart, Claims
from accountability.report import labels
from accountability.report.letters import LETTER_FILES, LETTERS_DIR, letter_paths, render_letters
from accountability.report.outfiles import write_set, write_whole
from accountability.report.pages import PAGE_FILES, PAGES_DIR, render_html, render_pages
from accountability.report.summary import summary_text
from accountability.report.tables import findings_table, write_csv, write_xlsx
from accountability.tuning import DEFAULT_TUNING, Tuning

FORMATS = tuple(labels.OUTPUT_FILES)
# Dates and times through `default=str`, as the standard library's json writes them; keys that are not text as text.
ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
Job = tuple[str, Callable[[Path], Any]]  # a file's name, and what writes it to a path
Task = Callable[[], dict[str, Path]]  # writes one or more files; returns each one's path by name
# What either process may write, whichever is free first, longest first: report.html with its pages (1 s on a
# province), then these files (0.45, 0.3 and 0.17 s). The second process takes them after report.xlsx, this one
# after the letters; which is free first depends on the disk: 6,150 letters take 0.3 s to write to memory and 1 to
# 3 s to this machine's disk.
SHARED = ("findings.csv", "findings.json", "referrals.json")
# What an audit owns in its output folder; the rest is the user's and stays (outfiles.write_set).
OWNED = {**{name: None for names in labels.OUTPUT_FILES.values() for name in names},
         LETTERS_DIR: LETTER_FILES, PAGES_DIR: PAGE_FILES}  # fmt: skip

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
    on a province's findings; a line per finding reads and compares as well. Each line is orjson's, compact, which
    writes a province's findings in 0.9 s against the standard library's 2.2 s."""
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict) and value:
        keys = (f"{inner}{_compact(str(key))}: {json_text(item, depth + 1)}" for key, item in value.items())
        return "{\n" + ",\n".join(keys) + f"\n{outer}}}"
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return "[\n" + ",\n".join(inner + _compact(item) for item in value) + f"\n{outer}]"
    return _compact(value)


def _compact(value: Any) -> str:
    """One value as compact JSON; what orjson does not write as the standard library would (a date and time, an
    integer past 64 bits) as the standard library writes it: text for what JSON has no type for."""
    try:
        return orjson.dumps(value, default=str, option=ORJSON_OPTIONS).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def _dump_json(data: Any, path: Path) -> Path:
    path.write_text(json_text(data) + "\n", encoding="utf-8")
    return path


def _write_text(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _apart(doc: Mapping[str, Any], chosen: list[str], tuning: Tuning) -> bool:
    """report.xlsx goes to a second process: the caller allows it, the audit is large, other outputs are to be
    written meanwhile."""
    large = len(doc.get("findings") or []) >= tuning.write_apart_from
    return tuning.write_apart and large and "xlsx" in chosen and len(chosen) > 1


def _write_file(out_dir: Path, name: str, write: Callable[[Path], Any]) -> dict[str, Path]:
    return {name: write_whole(out_dir / name, write)}


def _write_pages(out_dir: Path, render: Callable[[], dict[str, str]]) -> dict[str, Path]:
    """Each page `render()` gives, keyed by its path relative to `out_dir`, written there."""
    return {name: write_whole(out_dir / name, partial(_write_text, text)) for name, text in render().items()}


def _write_apart(
    xlsx: Task, shared: list[Task], claims: Claims, redo: bool = False
) -> tuple[dict[str, Path], dict[int, dict[str, Path]]]:
    """The second process's share: report.xlsx, then each shared task nobody has claimed, by its position. With
    `redo`, here: what a second process that died had claimed."""
    done = xlsx()
    return done, {
        i: task() for i, task in enumerate(shared) if ((claims.taker(i) == THERE) if redo else claims.take(i, THERE))
    }


def write_outputs(
    doc: Mapping[str, Any],
    referrals: Sequence[Mapping[str, Any]],
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    lang: str = "zh",
    tuning: Tuning = DEFAULT_TUNING,
    letters: bool = True,
) -> list[Path]:
    """Write the chosen formats as one set that replaces `out_dir` whole (outfiles.write_set: a killed run leaves
    the previous set, and our files this run does not write go with it); returns the files written. `json` writes
    findings.json (`doc` as is) and referrals.json; `csv` findings.csv; `xlsx` report.xlsx; `html` report.html (with
    the pages/ it links to when an audit is large, see render_pages) and a letter per referral in letters/ with
    their index, each referral then carrying its letter's relative path as `letter` (in referrals.json too).
    `letters` False: report.html without the letters (a province's, drawn per county with `accountability
    letters`). `lang` ("zh" or "en") changes labels and headers, not data or the sheet names of report.xlsx. With
    `tuning.write_apart`, from `tuning.write_apart_from` findings on, report.xlsx is written by a forked second
    process (processes.Apart) while this one writes the letters and the rest; report.html with its pages, then
    the SHARED files, are written by whichever of the two is free first.
    """
    labels.check_lang(lang)
    chosen = list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise AccountabilityError(f"不支持的输出格式：{'、'.join(unknown)}", fix=f"可选：{'、'.join(FORMATS)}")
    referrals = list(referrals or [])
    if "html" in chosen and letters:
        referrals = [dict(r, letter=path) for r, path in zip(referrals, letter_paths(referrals, lang), strict=True)]
    return write_set(Path(out_dir), partial(_fill, doc, referrals, chosen, lang, tuning), OWNED)


def _fill(
    doc: Mapping[str, Any],
    referrals: list[Mapping[str, Any]],
    chosen: list[str],
    lang: str,
    tuning: Tuning,
    out_dir: Path,
) -> list[Path]:
    """Every chosen output written into `out_dir`, an empty folder; the paths written, in `chosen`'s order."""
    html = "html" in chosen
    writers: dict[str, list[Job]] = {  # a module's functions: a spawned process can run them
        "json": [("findings.json", partial(_dump_json, doc)), ("referrals.json", partial(_dump_json, referrals))],
        "csv": [("findings.csv", partial(write_csv, doc, lang=lang))],
        "xlsx": [("report.xlsx", partial(write_xlsx, doc, referrals, lang=lang))],
    }
    files = dict(job for fmt in chosen if fmt in writers for job in writers[fmt])
    pages = partial(_write_pages, out_dir, partial(render_pages, doc, referrals, lang, tuning)) if html else None
    large = _apart(doc, chosen, tuning)
    elsewhere = {"report.xlsx", *(name for name in SHARED if name in files)} if large else set()
    shared = [pages] if large and pages is not None else []
    shared += [partial(_write_file, out_dir, name, files[name]) for name in SHARED if name in elsewhere]
    claims = Claims(len(shared))
    apart = None
    if large:
        there = partial(
            _write_apart, partial(_write_file, out_dir, "report.xlsx", files["report.xlsx"]), shared, claims
        )
        apart = Apart(there, instead=partial(there, redo=True))
    done: dict[str, Path] = {}
    page_paths: dict[str, Path] = {}  # report.html and its pages, whichever process wrote them
    try:
        letters = render_letters(doc, referrals, lang) if html else {}
        with progress.stage("写出报告", len(files) + html + len(letters)) as advance:
            if pages is not None and not large:
                page_paths = pages()
                advance(1)
            for name, write in files.items():
                if name not in elsewhere:
                    done[name] = write_whole(out_dir / name, write)
                    advance(1)
            for name, text in letters.items():
                done[name] = write_whole(out_dir / name, partial(_write_text, text))
                advance(1)
            results = {i: task() for i, task in enumerate(shared) if claims.take(i, HERE)}
            advance(len(results))
            if apart is not None:
                xlsx, results_there = apart.result()
                advance(len(xlsx) + len(results_there))
                done.update(xlsx)
                results.update(results_there)
            for i, paths in results.items():
                (page_paths if shared[i] is pages else done).update(paths)
    finally:
        if apart is not None:
            apart.stop()
    names = {fmt: [*page_paths, *letters] if fmt == "html" else list(dict(writers[fmt])) for fmt in chosen}
    done.update(page_paths)
    return [done[name] for fmt in chosen for name in names[fmt]]

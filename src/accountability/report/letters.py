"""问题线索移交函: one printable page per referred person, and an index of them, in `<out>/letters/`.

A letter is what the discipline inspection office files and signs on paper: who is referred, the disposition
proposed and how it was reached (base → step-ups → disposition, the plan's clause), and each finding behind it
with the quoted obligation and the ledger rows an inspector opens in Excel. Each page stands alone: inline CSS,
no scripts, nothing fetched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from accountability.ingest.values import as_records
from accountability.report import labels as L
from accountability.report.html import as_text, by_disposition, disp_class, environment, evidence_rows, referral_head
from accountability.report.tables import referral_findings, relabel, status_codes, status_text, unit_names

LETTERS_DIR = "letters"
INDEX = "index.html"
LETTER_TEMPLATE = "letter.html.j2"
INDEX_TEMPLATE = "letters-index.html.j2"
NAME_MAX = 60  # characters of a person's name kept in a file name
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
LETTER_FILES = re.compile(rf"\d{{3}}-.*\.html|{re.escape(INDEX)}")  # what letters/ holds of ours
# What a letter prints of a finding besides its number and evidence: text, classes and labels.
_FINDING_SHOWN = ("rule", "title", "pack", "clause", "quote", "unit_name", "period", "record", "message", "expected",
                  "actual", "status_label", "status_class", "disposition_label", "disp_class",
                  "step_labels")  # fmt: skip


def safe_name(name: str) -> str:
    """`name` as part of a file name Windows accepts: no reserved characters, no trailing dot or space, no
    device name (CON, NUL, COM1…)."""
    cleaned = _UNSAFE.sub("_", name).strip()[:NAME_MAX].rstrip(". ")
    return f"_{cleaned}" if cleaned.split(".")[0].upper() in _RESERVED else cleaned


def letter_paths(referrals: Sequence[Mapping[str, Any]], lang: str = "zh") -> list[str]:
    """Each referral's letter, relative to the output folder: 'letters/001-张三.html', numbered from 1."""
    unnamed = L.text(lang)["unnamed"]
    return [
        f"{LETTERS_DIR}/{i:03d}-{safe_name(as_text(r.get('name')) or as_text(r.get('person'))) or unnamed}.html"
        for i, r in enumerate(referrals, start=1)
    ]


def _long_date(iso: str, lang: str) -> str:
    """2025-09-30 as the letter dates it (2025年9月30日); anything unreadable as it is."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return L.text(lang)["date_long"].format(year=day.year, month=day.month, day=day.day)


def _page_counter(template: str) -> Markup:
    """'第 {page} 页，共 {pages} 页' as the CSS `content` value of the page's bottom margin."""
    parts = re.split(r"(\{pages?\})", template)
    return Markup(
        " ".join(
            f"counter({p[1:-1]})" if p in ("{page}", "{pages}") else json.dumps(p, ensure_ascii=False)
            for p in parts
            if p
        )
    )


def _finding_rows(doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], lang: str) -> pd.DataFrame:
    """The referred findings with what a letter prints of each, labelled in `lang`: every column but `ref` and
    `evidence` is text."""
    df = referral_findings(doc, referrals)
    names = unit_names(doc, referrals)
    dispositions = L.disposition_labels(lang)
    steps = {
        as_text(s.get("id")): as_text(s.get("label")) or as_text(s.get("id"))
        for r in referrals
        for s in r.get("step_ups") or []
        if isinstance(s, Mapping)
    }
    df["unit_name"] = df["unit_name"].where(df["unit_name"] != "", relabel(df["unit"], names))
    df["status_class"] = "st-" + status_codes(df)
    df["status_label"] = status_text(df, lang, since=True)
    df["disposition_label"] = relabel(df["disposition"], dispositions)
    df["disp_class"] = df["disposition"].map(disp_class)
    df["step_labels"] = df["step_ups"].map(lambda ids: [steps.get(as_text(i), as_text(i)) for i in ids])
    return df[["ref", "evidence", *_FINDING_SHOWN]]


def _findings_by_ref(rows: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    """Each referral's findings as its letter prints them, numbered from 1, the evidence grouped by file. A dict
    per finding made once (as_records): a frame per letter, or a record per row made into another dict, costs more
    than the rows."""
    by_ref: dict[int, list[dict[str, Any]]] = {}
    shown = as_records(rows[list(_FINDING_SHOWN)])
    for ref, items, finding in zip(rows["ref"].tolist(), rows["evidence"].tolist(), shown, strict=True):
        evidence, more = evidence_rows(items)
        findings = by_ref.setdefault(ref, [])
        finding.update(seq=len(findings) + 1, evidence=_by_file(evidence), evidence_more=more)
        findings.append(finding)
    return by_ref


def _by_file(evidence: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Evidence rows under their file and sheet, in order: one heading per workbook sheet, then its rows."""
    groups: list[dict[str, Any]] = []
    for e in evidence:
        if not groups or (groups[-1]["file"], groups[-1]["sheet"]) != (e["file"], e["sheet"]):
            groups.append({"file": e["file"], "sheet": e["sheet"], "rows": []})
        groups[-1]["rows"].append(e)
    return groups


def _letter(
    seq: int,
    r: Mapping[str, Any],
    findings: list[dict[str, Any]],
    names: Mapping[str, str],
    ledger_set: str,
    lang: str,
) -> dict[str, Any]:
    """One letter's content: the referral's head (referral_head), its number and file, and its findings."""
    return {
        **referral_head(r, names, lang),
        "number": f"{ledger_set}-{seq:03d}" if ledger_set else f"{seq:03d}",
        "href": Path(as_text(r.get("letter"))).name,
        "findings": findings,
    }


def render_letters(doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], lang: str = "zh") -> dict[str, str]:
    """The HTML of every referral's letter, keyed by its `letter` path (referrals without one get none), and of
    letters/index.html, which lists them by disposition."""
    words = L.text(lang)
    audit = doc.get("audit") or {}
    top = audit.get("top_unit") or {}
    ledger_set = as_text(audit.get("ledger_set"))
    names = unit_names(doc, referrals)
    by_ref = _findings_by_ref(_finding_rows(doc, referrals, lang))
    common = {
        "lang": lang,
        "t": words,
        "cols": {table: L.columns(table, lang) for table in ("findings", "referrals", "leads")},
        "issuer": words["letter_issuer"].format(unit=as_text(top.get("name"))),
        "date": _long_date(as_text(audit.get("as_of")), lang),
        "window": words["window"].format(start=as_text(audit.get("from")), end=as_text(audit.get("as_of"))),
        "page_counter": _page_counter(words["page_of"]),
        "index": INDEX,
    }
    template = environment().get_template(LETTER_TEMPLATE)
    pages: dict[str, str] = {}
    entries = []
    for i, r in enumerate(referrals):
        path = as_text(r.get("letter"))
        if not path:
            continue
        letter = _letter(i + 1, r, by_ref.get(i, []), names, ledger_set, lang)
        pages[path] = template.render(**common, letter=letter)
        entries.append(letter)
    if entries:
        index = environment().get_template(INDEX_TEMPLATE)
        pages[f"{LETTERS_DIR}/{INDEX}"] = index.render(
            **common, groups=by_disposition(entries, lang), total=len(entries)
        )
    return pages

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

from accountability.errors import AccountabilityError
from accountability.ingest.values import as_records
from accountability.language.periods import label_spans
from accountability.report import labels as L
from accountability.report.html import as_text, by_disposition, disp_class, environment, evidence_rows, referral_head
from accountability.report.tables import referral_findings, relabel, status_codes, status_text, unit_names
from accountability.tuning import Tuning

LETTERS_DIR = "letters"
INDEX = "index.html"
ALL = "all.html"  # every letter, one an A4 page, to print at once
DEFAULT_PREFIX = "{unit}打非办"  # 字号 of a plan that names none
LETTER_TEMPLATE = "letter.html.j2"
INDEX_TEMPLATE = "letters-index.html.j2"
ALL_TEMPLATE = "letters-all.html.j2"
NAME_MAX = 60  # characters of a person's name kept in a file name
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
LETTER_FILES = re.compile(rf"\d{{3}}-.*\.html|{re.escape(INDEX)}|{re.escape(ALL)}")  # what letters/ holds of ours
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
    df = referral_findings(doc.get("findings"), referrals)
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
    df["period"] = period_text(df["period"], lang)
    return df[["ref", "evidence", *_FINDING_SHOWN]]


def period_text(periods: pd.Series, lang: str = "zh") -> pd.Series:
    """A period as an official reads it: 2025-W38 → 第38周（9月15日—9月21日）, 2024-01-10 → 2024年1月10日, the
    campaign 2024-01-01~2024-06-30 → 行动期间（2024年1月1日—6月30日）; other periods as labelled."""
    spans = label_spans(periods)
    if lang != "zh":
        return periods
    shown = periods.astype(object)
    start, end = spans["start"], spans["end"]
    for kind, text in (
        (
            "week",
            "第"
            + periods.astype(str).str.extract(r"W(\d+)")[0].fillna("0").astype(int).astype(str)
            + "周（"
            + _month_day(start)
            + "—"
            + _month_day(end)
            + "）",
        ),
        ("day", _year_month_day(start)),
        (
            "campaign",
            "行动期间（"
            + _year_month_day(start)
            + "—"
            + _month_day(end).where(start.dt.year == end.dt.year, _year_month_day(end))
            + "）",
        ),
    ):
        hit = (spans["kind"] == kind).fillna(False).astype(bool)
        shown = shown.where(~hit, text)
    return shown


def _month_day(stamps: pd.Series) -> pd.Series:
    return stamps.dt.month.astype("Int64").astype(str) + "月" + stamps.dt.day.astype("Int64").astype(str) + "日"


def _year_month_day(stamps: pd.Series) -> pd.Series:
    return stamps.dt.year.astype("Int64").astype(str) + "年" + _month_day(stamps)


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
    common: Mapping[str, Any],
    lang: str,
) -> dict[str, Any]:
    """One letter's content: the referral's head (referral_head), its kind (title, opening, addressee), its number
    (<字号>〔YEAR〕N号, counted on from the history), its file and its findings."""
    words = L.text(lang)
    head = referral_head(r, names, lang)
    kind = L.letter_kind(head["disposition"], lang)
    numbers = common["numbers"]
    who = f"{head['unit_name']}{head['position']}{head['name']}" if lang == "zh" else head["name"]
    plan = common["plans"].get(as_text(r.get("plan")))
    quote = as_text(r.get("basis_quote"))
    basis = f"《{plan}》{as_text(r.get('basis_clause'))}“{quote}”" if plan and quote else head["basis"] or words["none"]
    return {
        **head,
        "kind_title": kind["title"],
        "lead": kind["lead"].format(window=common["window"], who=who, basis=basis, issuer=common["issuer"]),
        "to": kind["to"].format(unit=head["unit_name"], top=common["top"]),
        "number": words["letter_number_format"].format(
            prefix=numbers["prefix"], year=numbers["year"], n=numbers["first"] + seq - 1
        ),
        "href": Path(as_text(r.get("letter"))).name,
        "findings": findings,
    }


def render_letters(doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], lang: str = "zh") -> dict[str, str]:
    """The HTML of every referral's letter, keyed by its `letter` path (referrals without one get none), and of
    letters/index.html, which lists them by disposition. None has a letter in a province's run (drawn per county):
    then nothing is rendered, and the findings are not joined to the people at all."""
    if not any(as_text(r.get("letter")) for r in referrals):
        return {}
    words = L.text(lang)
    audit = doc.get("audit") or {}
    top = audit.get("top_unit") or {}
    names = unit_names(doc, referrals)
    by_ref = _findings_by_ref(_finding_rows(doc, referrals, lang))
    numbers = audit.get("letter_numbers") or {
        "prefix": DEFAULT_PREFIX.format(unit=as_text(top.get("name"))), "year": as_text(audit.get("as_of"))[:4],
        "first": 1,
    }  # fmt: skip
    common = {
        "lang": lang,
        "t": words,
        "cols": {table: L.columns(table, lang) for table in ("findings", "referrals", "leads")},
        "issuer": words["letter_issuer"].format(unit=as_text(top.get("name"))),
        "top": as_text(top.get("name")),
        "plans": {as_text(p.get("id")): as_text(p.get("title")) for p in audit.get("packs") or []},
        "numbers": numbers,
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
        letter = _letter(i + 1, r, by_ref.get(i, []), names, common, lang)
        pages[path] = template.render(**common, letter=letter)
        entries.append(letter)
    if entries:
        index = environment().get_template(INDEX_TEMPLATE)
        pages[f"{LETTERS_DIR}/{INDEX}"] = index.render(
            **common, groups=by_disposition(entries, lang), total=len(entries)
        )
        pages[f"{LETTERS_DIR}/{ALL}"] = environment().get_template(ALL_TEMPLATE).render(**common, letters=entries)
    return pages


COUNTY = "county"


def counties(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The counties of the audited register (level county), as findings.json lists the units."""
    return [u for u in (doc.get("audit") or {}).get("units") or [] if u.get("level") == COUNTY]


def all_at_once(doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], tuning: Tuning) -> bool:
    """Whether an audit writes every letter: yes for one county (or none), or for few letters; a province's many,
    over many counties, are drawn county by county (`accountability letters`)."""
    return len(counties(doc)) < 2 or len(referrals) <= tuning.letters_at_once


def _subtree(units: Sequence[Mapping[str, Any]], root: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for unit in units:
        children.setdefault(as_text(unit.get("parent")), []).append(as_text(unit.get("id")))
    found, todo = set(), [root]
    while todo:
        unit = todo.pop()
        if unit not in found:
            found.add(unit)
            todo.extend(children.get(unit, []))
    return found


def unit_letters(
    doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], unit: str, lang: str = "zh"
) -> tuple[dict[str, Any], dict[str, str]]:
    """The letters of the people of one unit (a county: id or name) and the units under it, numbered and named as
    in the audit's full set, and their index and all.html: (the unit, {file name: HTML})."""
    units = (doc.get("audit") or {}).get("units") or []
    chosen = next((u for u in units if unit in (as_text(u.get("id")), as_text(u.get("name")))), None)
    if chosen is None:
        names = [as_text(u.get("name")) for u in counties(doc)] or [as_text(u.get("name")) for u in units]
        raise AccountabilityError(
            f"检查结果中没有单位「{unit}」", fix="写单位名册中的单位编码或名称，如：" + "、".join(names[:5])
        )
    inside = _subtree(units, as_text(chosen.get("id")))
    paths = letter_paths(referrals, lang)
    picked = [
        dict(r, letter=path if as_text(r.get("unit")) in inside else "")
        for r, path in zip(referrals, paths, strict=True)
    ]
    keys = {_key(f) for r in picked if r["letter"] for f in r.get("findings") or []}
    mine = {**doc, "findings": [f for f in doc.get("findings") or [] if _key(f) in keys]}  # read what they cite
    pages = render_letters(mine, picked, lang)
    return chosen, {Path(path).name: text for path, text in pages.items()}


def _key(finding: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(as_text(finding.get(k)) for k in ("rule", "unit", "period", "record"))

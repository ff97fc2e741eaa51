"""report.html: one self-contained page (inline CSS, no scripts, no network) rendered with jinja2.

The page lists every finding's count, but full detail (message, evidence rows, people) for at most
`detail_limit` findings per rule, spread over the units in turn; the complete list is in report.xlsx
and findings.csv, which the page says wherever it leaves findings out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
import pandas as pd

from accountability.contract.schema import ledger_specs
from accountability.ingest.values import as_records
from accountability.report import labels as L
from accountability.report.charts import rate_class, severity_chart, trend_chart
from accountability.report.tables import (
    DOUBT_KEYS,
    RESOLVED_KEYS,
    cell_text,
    findings_frame,
    frame,
    ledger_title,
    plans_title,
    relabel,
    status_codes,
    status_text,
    text_col,
    unit_names,
    value_text,
)
from accountability.report.tracking import compare
from accountability.resources import resource_dir

TEMPLATE = "report.html.j2"
DETAIL_LIMIT = 200  # findings shown in full per rule
REPORT_FILE = "report.html"
PAGES_DIR = "pages"
EVIDENCE_LIMIT = 20  # evidence rows shown per finding
REFERRAL_FINDINGS_LIMIT = 50  # findings shown per referred person
TRACKING_LIMIT = 500  # findings still open, and findings put right, listed on the page
DATA_ERROR_LIMIT = 1000  # data errors shown on the page
_TABLES = (
    "findings",
    "doubtful",
    "resolved",
    "referrals",
    "progress",
    "data_errors",
    "manual",
    "ledgers",
    "packs",
    "file_problems",
)


class _Environment(jinja2.Environment):
    """Reads a dict's keys before its attributes. The templates read dicts, and Jinja's own order (attribute
    first) is a failed lookup on every field of every finding and letter: a fifth of rendering a province."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment() -> jinja2.Environment:
    """The report templates' environment. The templates ship with the program, so a template is not checked for
    changes each time it is used: each letter extends letter-base.html.j2, a file looked up 6,150 times a
    province."""
    return _Environment(
        loader=jinja2.FileSystemLoader(str(resource_dir("templates"))),
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def as_text(value: Any) -> str:
    """A value as display text; None and NaN as empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _int(value: Any) -> int:
    """A count as an int; anything unreadable as 0."""
    number = pd.to_numeric(value, errors="coerce")
    return int(number) if pd.notna(number) else 0


def sev_class(code: str) -> str:
    return f"sev-{code}" if code in L.SEVERITIES else "sev-other"


def disp_class(code: str) -> str:
    """The CSS class that marks a disposition (firmer ones stand out); none for a code without a label."""
    return f"disp-{code}" if code in L.DISPOSITIONS else ""


def evidence_rows(items: Any) -> tuple[list[dict[str, str]], int]:
    rows = [e for e in items if isinstance(e, Mapping)] if isinstance(items, list) else []
    shown = [
        {
            "file": as_text(e.get("file")) or as_text(e.get("ledger")),
            "sheet": as_text(e.get("sheet")),
            "row": as_text(e.get("row")),
            "id": as_text(e.get("id")),
        }
        for e in rows[:EVIDENCE_LIMIT]
    ]
    return shown, max(len(rows) - EVIDENCE_LIMIT, 0)


def _people(ids: Any, names: Any) -> list[dict[str, str]]:
    """Named ids with their names, then the names the people register lacks (id left empty)."""
    ids = ids if isinstance(ids, list) else []
    names = names if isinstance(names, list) else []
    width = max(len(ids), len(names))
    return [
        {"id": as_text(ids[i]) if i < len(ids) else "", "name": as_text(names[i]) if i < len(names) else ""}
        for i in range(width)
    ]


def _finding_detail(f: Mapping[str, Any], badge: str, badge_class: str) -> dict[str, Any]:
    evidence, more = evidence_rows(f.get("evidence"))
    return {
        "badge": badge,
        "badge_class": badge_class,
        "period": as_text(f.get("period")),
        "record": as_text(f.get("record")),
        "message": as_text(f.get("message")),
        "expected": as_text(f.get("expected")),
        "actual": as_text(f.get("actual")),
        "evidence": evidence,
        "evidence_more": more,
        "people": _people(f.get("responsible"), f.get("responsible_names")),
    }


def _doubtful(df: pd.DataFrame, findings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """待核实: each doubtful finding with the cells to put right, up to DATA_ERROR_LIMIT cells on the page."""
    shown, left = [], DATA_ERROR_LIMIT
    skipped = 0
    for pos, row in zip(df["pos"][df["doubtful"]], as_records(df[df["doubtful"]]), strict=True):
        cells = [{k: as_text(c.get(k)) for k in DOUBT_KEYS} for c in findings[pos].get("doubts") or []]
        skipped += max(len(cells) - left, 0)
        if left > 0:
            keys = ("rule", "title", "unit_name", "period", "record", "message")
            shown.append({**{k: as_text(row[k]) for k in keys}, "cells": cells[:left]})
        left -= len(cells)
    return {"doubtful": shown, "doubtful_more": skipped}


def _waived(df: pd.DataFrame) -> list[dict[str, Any]]:
    """情况说明已核准: each waived finding with who approved it and until when."""
    covered = df[df["waived"].notna()]
    keys = ("rule", "title", "unit_name", "period", "record", "message")
    return [
        {**{k: as_text(row[k]) for k in keys}, **{k: as_text(row["waived"].get(k)) for k in ("approver", "expires")}}
        for row in as_records(covered)
    ]


def _rules(df: pd.DataFrame, severities: Mapping[str, str]) -> list[dict[str, Any]]:
    """Findings per rule, in the doc's order (severity, then rule)."""
    if df.empty:
        return []
    by_rule = df.groupby("rule", sort=False).agg(
        pos=("pos", "min"),
        count=("pos", "size"),
        units=("unit", "nunique"),
        title=("title", "first"),
        clause=("clause", "first"),
        pack=("pack", "first"),
        quote=("quote", "first"),
        severity=("severity", "first"),
    )
    by_rule = by_rule.sort_values("pos", kind="stable").reset_index()
    by_rule["severity_label"] = relabel(by_rule["severity"], severities)
    by_rule["sev_class"] = by_rule["severity"].map(sev_class)
    return as_records(by_rule.drop(columns="pos"))


def _units(df: pd.DataFrame, findings: Sequence[Mapping[str, Any]], severities, limit: int) -> list[dict[str, Any]]:
    """Findings grouped by unit then rule; full detail for at most `limit` findings per rule.

    The detailed findings of a rule are taken from every unit in turn (each unit's first finding,
    then each unit's second, ...) so that no unit's findings are all hidden behind another's.
    """
    if df.empty:
        return []
    df = df.assign(turn=df.groupby(["rule", "unit"], sort=False).cumcount())
    chosen = df.sort_values(["turn", "pos"], kind="stable").groupby("rule", sort=False).head(limit)
    df["shown"] = df.index.isin(chosen.index)
    groups = (
        df.groupby(["unit", "rule"], sort=False)
        .agg(
            unit_name=("unit_name", "first"),
            title=("title", "first"),
            clause=("clause", "first"),
            severity=("severity", "first"),
            pos=("pos", "min"),
            n=("pos", "size"),
            shown=("shown", "sum"),
        )
        .reset_index()
        .sort_values(["unit", "pos"], kind="stable")
    )
    shown_pos = df.loc[df["shown"], ["unit", "rule", "pos"]].groupby(["unit", "rule"], sort=False)["pos"].agg(list)
    badges = dict(zip(df.index, zip(df["badge"], df["badge_class"], strict=True), strict=True))
    unit_severities = df.groupby(["unit", "severity"]).size().unstack(fill_value=0)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for g in as_records(groups):  # one pass over plain rows: a province has thousands of units
        entry = {
            "rule": g["rule"],
            "title": g["title"],
            "clause": g["clause"],
            "severity": g["severity"],
            "severity_label": severities.get(g["severity"], g["severity"]),
            "sev_class": sev_class(g["severity"]),
            "count": int(g["n"]),
            "omitted": int(g["n"] - g["shown"]),
            "unit_name": g["unit_name"],
        }
        if g["shown"]:
            entry["findings"] = [_finding_detail(findings[p], *badges[p]) for p in shown_pos[(g["unit"], g["rule"])]]
        by_unit.setdefault(g["unit"], []).append(entry)
    units: list[dict[str, Any]] = []
    for n, unit in enumerate(sorted(by_unit), start=1):
        entries = by_unit[unit]
        sev_counts = unit_severities.loc[unit].to_dict()
        units.append(
            {
                "id": unit,
                "name": entries[0]["unit_name"] or unit,
                "anchor": f"u{n}",
                "count": sum(e["count"] for e in entries),
                "severities": [
                    {"label": severities[c], "sev_class": sev_class(c), "count": int(sev_counts.get(c, 0))}
                    for c in L.SEVERITIES
                    if sev_counts.get(c, 0)
                ],
                "detailed": [e for e in entries if "findings" in e],
                "counted": [e for e in entries if "findings" not in e],
            }
        )
    return units


def referral_head(r: Mapping[str, Any], names: Mapping[str, str], lang: str) -> dict[str, Any]:
    """Who a referral names and how its disposition was reached (base → step-ups → disposition, the plan's
    clause): what both the report and the person's letter show at the top."""
    dispositions = L.disposition_labels(lang)
    code = as_text(r.get("disposition"))
    steps = [s for s in r.get("step_ups") or [] if isinstance(s, Mapping)]
    return {
        "person": as_text(r.get("person")),
        "name": as_text(r.get("name")) or as_text(r.get("person")),
        "unit": as_text(r.get("unit")),
        "unit_name": as_text(r.get("unit_name")) or names.get(as_text(r.get("unit")), as_text(r.get("unit"))),
        "position": as_text(r.get("position")),
        "disposition": code,
        "disposition_label": L.label(dispositions, code),
        "disp_class": disp_class(code),
        "base_label": L.label(dispositions, r.get("base")) if r.get("base") else "",
        "step_ups": [as_text(s.get("label")) or as_text(s.get("id")) for s in steps],
        "basis": as_text(r.get("basis")),
        "reason": as_text(r.get("reason")),
        "letter": as_text(r.get("letter")),
    }


def by_disposition(people: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """`people` (each with a `disposition` code) in groups, firmest disposition first; codes a newer policy adds
    and this program has no label for come last, in the order they appear."""
    codes = [as_text(p.get("disposition")) for p in people]
    order = dict.fromkeys([*(c for c in reversed(L.DISPOSITIONS) if c in codes), *codes])
    dispositions = L.disposition_labels(lang)
    return [
        {
            "code": code,
            "label": L.label(dispositions, code),
            "disp_class": disp_class(code),
            "count": codes.count(code),
            "people": [p for p, c in zip(people, codes, strict=True) if c == code],
        }
        for code in order
    ]


def _referrals(
    referrals: Sequence[Mapping[str, Any]], names: Mapping[str, str], rule_titles: Mapping[str, str], lang: str
) -> list[dict[str, Any]]:
    """Each referred person with the findings behind the referral, grouped by disposition (by_disposition)."""
    severities = L.severity_labels(lang)
    out = []
    for r in referrals:
        items = [f for f in r.get("findings") or [] if isinstance(f, Mapping)]
        out.append(
            {
                **referral_head(r, names, lang),
                "findings": [
                    {
                        "rule": as_text(f.get("rule")),
                        "title": rule_titles.get(as_text(f.get("rule")), ""),
                        "clause": as_text(f.get("clause")),
                        "unit_name": names.get(as_text(f.get("unit")), as_text(f.get("unit"))),
                        "period": as_text(f.get("period")),
                        "record": as_text(f.get("record")),
                        "severity_label": L.label(severities, f.get("severity")) if f.get("severity") else "",
                        "sev_class": sev_class(as_text(f.get("severity"))),
                    }
                    for f in items[:REFERRAL_FINDINGS_LIMIT]
                ],
                "findings_count": len(items),
                "findings_more": max(len(items) - REFERRAL_FINDINGS_LIMIT, 0),
            }
        )
    return by_disposition(out, lang)


def _tracking(doc: Mapping[str, Any], df: pd.DataFrame, lang: str) -> dict[str, Any]:
    """整改跟踪: the counts against the previous audit, the findings still open and those put right."""
    comparison = compare(doc, df)
    severities = L.severity_labels(lang)
    statuses = L.status_labels(lang)
    persisting = df[df["status"] == "persisting"]
    resolved = frame(doc.get("resolved"), RESOLVED_KEYS)
    for key in RESOLVED_KEYS:
        resolved[key] = text_col(resolved[key])

    def rows(table: pd.DataFrame) -> list[dict[str, Any]]:
        shown = table.head(TRACKING_LIMIT).assign(
            severity_label=lambda t: relabel(t["severity"], severities),
            sev_class=lambda t: t["severity"].map(sev_class),
        )
        return as_records(shown)

    return {
        "state": comparison.state,
        "previous_as_of": comparison.previous_as_of,
        "counts": [{"code": c, "label": statuses[c], "count": comparison.counts[c]} for c in L.STATUSES],
        "persisting": rows(persisting),
        "persisting_more": max(len(persisting) - TRACKING_LIMIT, 0),
        "resolved": rows(resolved),
        "resolved_more": max(len(resolved) - TRACKING_LIMIT, 0),
    }


def _percent(judged: int, failed: int) -> str:
    return f"{1 - failed / judged:.1%}" if judged else "—"


def _overview(doc: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """合规总览: the overall rate, the unit × period matrix, the charts and the per-rule rates."""
    comp = doc.get("compliance") or {}
    if not comp:
        return {}
    words = L.text(lang)
    columns = list(comp.get("columns") or [])
    headings = L.period_headings(columns, lang)
    rows = []
    for row in comp.get("rows") or []:
        cells = []
        for column in columns:
            judged, failed = (row.get("cells") or {}).get(column, [0, 0])
            cells.append(
                {
                    "cls": rate_class(judged, failed),
                    "text": cell_text(judged, failed),
                    "title": f"{row['unit_name']} {headings[column]}：{judged - failed}/{judged}",
                }
            )
        rows.append(
            {
                "name": as_text(row.get("unit_name")),
                "rate": _percent(row["judged"], row["failed"]),
                "cls": rate_class(row["judged"], row["failed"]),
                "cells": cells,
            }
        )
    rules = [
        {
            **r,
            "rated": r.get("judged") is not None,
            "rate_text": _percent(r["judged"], r["failed"]) if r.get("judged") is not None else "—",
            "width": round(100 * (r["rate"] or 0)) if r.get("rate") is not None else 0,
            "cls": rate_class(r["judged"], r["failed"]) if r.get("judged") is not None else "r-none",
        }
        for r in comp.get("rules") or []
    ]
    total = comp.get("total") or {"judged": 0, "failed": 0}
    return {
        "rate": _percent(total["judged"], total["failed"]),
        "judged": total["judged"],
        "failed": total["failed"],
        "columns": [headings[c] for c in columns],
        "rows": rows,
        "rules": rules,
        "trend": trend_chart(comp.get("trend") or [], words["sub_trend"], headings.get) if comp.get("trend") else "",
        "units_chart": severity_chart(
            comp.get("rows") or [], words["sub_unit_severity"], L.severity_labels(lang), words["chart_more"]
        ),
    }


def _progress(progress: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    for p in progress:
        target = pd.to_numeric(p.get("target"), errors="coerce")
        actual = pd.to_numeric(p.get("actual"), errors="coerce")
        ratio = float(actual) / float(target) if pd.notna(target) and pd.notna(actual) and target > 0 else None
        out.append(
            {
                "rule": as_text(p.get("rule")),
                "title": as_text(p.get("title")),
                "unit": as_text(p.get("unit")),
                "unit_name": as_text(p.get("unit_name")) or names.get(as_text(p.get("unit")), as_text(p.get("unit"))),
                "target": as_text(p.get("target")),
                "actual": as_text(p.get("actual")),
                "deadline": as_text(p.get("deadline")),
                "percent": None if ratio is None else round(ratio * 100),
                "bar": None if ratio is None else max(0, min(100, round(ratio * 100))),
            }
        )
    return out


def context(
    doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], lang: str = "zh", detail_limit: int = DETAIL_LIMIT
) -> dict[str, Any]:
    """Everything the template shows, as plain strings, numbers, lists and dicts."""
    words = L.text(lang)
    severities = L.severity_labels(lang)
    dispositions = L.disposition_labels(lang)
    audit = doc.get("audit") or {}
    findings = list(doc.get("findings") or [])
    referrals = list(referrals or [])
    names = unit_names(doc, referrals)

    df = findings_frame(findings).drop(columns=["evidence", "responsible", "responsible_names", "doubts"])
    df["pos"] = range(len(df))
    df["unit_name"] = df["unit_name"].where(df["unit_name"] != "", relabel(df["unit"], names))
    codes = status_codes(df).where(~df["doubtful"], "doubtful")
    df["badge"] = status_text(df, lang, since=True).where(codes.isin(["persisting", "relapse"]), "")
    df["badge"] = df["badge"].where(~df["doubtful"], words["doubtful_badge"])
    df["badge_class"] = "st-" + codes
    rules = _rules(df, severities)
    rule_titles = {r["rule"]: r["title"] for r in rules}
    rule_titles.update({as_text(m.get("rule")): as_text(m.get("title")) for m in doc.get("manual") or []})
    for p in doc.get("progress") or []:
        rule_titles.setdefault(as_text(p.get("rule")), as_text(p.get("title")))

    sev_counts = df["severity"].value_counts()
    disp_counts = pd.Series([r.get("disposition") for r in referrals], dtype=object).value_counts()
    packs = audit.get("packs") or []
    ledgers = [
        {
            "title": as_text(led.get("title")) or as_text(led.get("ledger")),
            "ledger": as_text(led.get("ledger")),
            "file": as_text(led.get("file")),
            "sheet": as_text(led.get("sheet")),
            "rows_read": as_text(led.get("rows_read")),
            "rows_used": as_text(led.get("rows_used")),
            "rows_rejected": as_text(led.get("rows_rejected")),
            "rows_skipped": as_text(led.get("rows_skipped")),
            "rejected": _int(led.get("rows_rejected")) > 0,
            "sha256": as_text(led.get("sha256"))[:12],
            "sha256_full": as_text(led.get("sha256")),
            "extra_headers": value_text(led.get("extra_headers")),
        }
        for led in audit.get("ledgers") or []
    ]
    data_errors = list(doc.get("data_errors") or [])
    ledger_titles = {key: spec.title for key, spec in ledger_specs().items()}
    top = audit.get("top_unit") or {}
    scope = audit.get("scope") or {}
    return {
        "lang": lang,
        "t": words,
        "cols": {table: L.columns(table, lang) for table in _TABLES},
        "sheets": L.SHEETS,
        "title": plans_title(audit, lang),
        "audit": {
            "program": as_text(audit.get("program")),
            "version": as_text(audit.get("version")),
            "generated_at": as_text(audit.get("generated_at")).replace("T", " "),
            "from": as_text(audit.get("from")),
            "as_of": as_text(audit.get("as_of")),
            "ledger_set": as_text(audit.get("ledger_set")),
            "ledger_path": as_text(audit.get("ledger_path")),
            "top_unit": f"{as_text(top.get('name'))}（{as_text(top.get('id'))}）" if top else "",
            "scope": words["scope_note"].format(name=as_text(scope.get("name"))) if scope else "",
            "provisional": bool(audit.get("provisional")),
            "unknown_years": "、".join(str(y) for y in audit.get("calendar_unknown_years") or []),
        },
        "packs": [
            {
                "id": as_text(p.get("id")),
                "title": as_text(p.get("title")),
                "issuer": as_text(p.get("issuer")),
                "version": as_text(p.get("version")),
                "effective_from": as_text(p.get("effective_from")),
                "effective_to": as_text(p.get("effective_to")),
                "params": [
                    (
                        str(k),
                        as_text((p.get("param_titles") or {}).get(k)),
                        value_text(v),
                        as_text((p.get("param_assumed") or {}).get(k)),
                    )
                    for k, v in (p.get("params") or {}).items()
                ],
            }
            for p in packs
        ],
        "ledgers": ledgers,
        "missing_ledgers": [ledger_title(str(k), lang) for k in audit.get("missing_ledgers") or []],
        "file_problems": [
            {k: as_text(fp.get(k)) for k in ("file", "sheet", "message", "fix")}
            for fp in audit.get("file_problems") or []
        ],
        "summary": {
            "total": len(findings),
            "severities": [
                {"code": c, "label": severities[c], "sev_class": sev_class(c), "count": int(sev_counts.get(c, 0))}
                for c in L.SEVERITIES
            ],
            "rules": rules,
            "referrals": len(referrals),
            "dispositions": [
                {"code": c, "label": dispositions[c], "count": int(disp_counts.get(c, 0))}
                for c in reversed(L.DISPOSITIONS)
            ]
            + [{"code": c, "label": str(c), "count": int(n)} for c, n in disp_counts.items() if c not in dispositions],
            "rows_rejected": sum(_int(led.get("rows_rejected")) for led in audit.get("ledgers") or []),
            "data_errors": len(data_errors),
            "doubtful": int(df["doubtful"].sum()),
        },
        "detail_limit": detail_limit,
        "truncated": any(r["count"] > detail_limit for r in rules),
        "units": _units(df, findings, severities, detail_limit),
        "referral_groups": _referrals(referrals, names, rule_titles, lang),
        "tracking": _tracking(doc, df, lang),
        "overview": _overview(doc, lang),
        "progress": _progress(doc.get("progress") or [], names),
        "data_errors": [
            {
                "ledger": ledger_titles.get(as_text(e.get("ledger")), as_text(e.get("ledger"))),
                "file": as_text(e.get("file")),
                "sheet": as_text(e.get("sheet")),
                "row": as_text(e.get("row")),
                "column": as_text(e.get("column")),
                "value": as_text(e.get("value")),
                "reason": as_text(e.get("reason")),
                "fix": as_text(e.get("fix")),
                "rejected": words["yes"] if e.get("rejected") else words["no"],
            }
            for e in data_errors[:DATA_ERROR_LIMIT]
        ],
        "data_errors_more": max(len(data_errors) - DATA_ERROR_LIMIT, 0),
        **_doubtful(df, findings),
        "waived": _waived(df),
        "manual": [
            {k: as_text(m.get(k)) for k in ("rule", "pack", "clause", "title", "quote")}
            for m in doc.get("manual") or []
        ],
        "page": None,
        "unit_pages": [],
        "referral_pages": [],
    }

"""report.html: one self-contained page (inline CSS, no scripts, no network) rendered with jinja2.

The page lists every finding's count, but full detail (message, evidence rows, people) for at most
`detail_limit` findings per rule, spread over the units in turn; the complete list is in report.xlsx
and findings.csv, which the page says wherever it leaves findings out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from accountability.report import labels as L
from accountability.report.tables import findings_frame, ledger_title, relabel, unit_names, value_text
from accountability.resources import resource_dir
from accountability.schema import ledger_specs

TEMPLATE = "report.html.j2"
DETAIL_LIMIT = 200  # findings shown in full per rule
EVIDENCE_LIMIT = 20  # evidence rows shown per finding
REFERRAL_FINDINGS_LIMIT = 50  # findings shown per referred person
DATA_ERROR_LIMIT = 1000  # data errors shown on the page
_TABLES = ("findings", "referrals", "progress", "data_errors", "manual", "ledgers", "packs", "file_problems")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_dir("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _s(value: Any) -> str:
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


def _sev_class(code: str) -> str:
    return f"sev-{code}" if code in L.SEVERITIES else "sev-other"


def _evidence(items: Any) -> tuple[list[dict[str, str]], int]:
    rows = [e for e in items if isinstance(e, Mapping)] if isinstance(items, list) else []
    shown = [
        {
            "file": _s(e.get("file")) or _s(e.get("ledger")),
            "sheet": _s(e.get("sheet")),
            "row": _s(e.get("row")),
            "id": _s(e.get("id")),
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
        {"id": _s(ids[i]) if i < len(ids) else "", "name": _s(names[i]) if i < len(names) else ""} for i in range(width)
    ]


def _finding_detail(f: Mapping[str, Any]) -> dict[str, Any]:
    evidence, more = _evidence(f.get("evidence"))
    return {
        "period": _s(f.get("period")),
        "record": _s(f.get("record")),
        "message": _s(f.get("message")),
        "expected": _s(f.get("expected")),
        "actual": _s(f.get("actual")),
        "evidence": evidence,
        "evidence_more": more,
        "people": _people(f.get("responsible"), f.get("responsible_names")),
    }


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
    by_rule["sev_class"] = by_rule["severity"].map(_sev_class)
    return by_rule.drop(columns="pos").to_dict("records")


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
    unit_severities = df.groupby(["unit", "severity"]).size()
    units: list[dict[str, Any]] = []
    for n, (unit, unit_groups) in enumerate(groups.groupby("unit", sort=True), start=1):
        sev_counts = unit_severities.loc[unit]
        detailed, counted = [], []
        for g in unit_groups.itertuples(index=False):
            entry = {
                "rule": g.rule,
                "title": g.title,
                "clause": g.clause,
                "severity": g.severity,
                "severity_label": severities.get(g.severity, g.severity),
                "sev_class": _sev_class(g.severity),
                "count": int(g.n),
                "omitted": int(g.n - g.shown),
            }
            if g.shown:
                entry["findings"] = [_finding_detail(findings[p]) for p in shown_pos[(unit, g.rule)]]
                detailed.append(entry)
            else:
                counted.append(entry)
        units.append(
            {
                "id": unit,
                "name": unit_groups["unit_name"].iloc[0] or unit,
                "anchor": f"u{n}",
                "count": int(unit_groups["n"].sum()),
                "severities": [
                    {"label": severities[c], "sev_class": _sev_class(c), "count": int(sev_counts.get(c, 0))}
                    for c in L.SEVERITIES
                    if sev_counts.get(c, 0)
                ],
                "detailed": detailed,
                "counted": counted,
            }
        )
    return units


def _referrals(
    referrals: Sequence[Mapping[str, Any]], names: Mapping[str, str], rule_titles: Mapping[str, str], lang: str
) -> list[dict[str, Any]]:
    dispositions = L.disposition_labels(lang)
    severities = L.severity_labels(lang)
    out = []
    for r in referrals:
        items = [f for f in r.get("findings") or [] if isinstance(f, Mapping)]
        out.append(
            {
                "person": _s(r.get("person")),
                "name": _s(r.get("name")) or _s(r.get("person")),
                "unit": _s(r.get("unit")),
                "unit_name": _s(r.get("unit_name")) or names.get(_s(r.get("unit")), _s(r.get("unit"))),
                "position": _s(r.get("position")),
                "disposition": _s(r.get("disposition")),
                "disposition_label": L.label(dispositions, r.get("disposition")),
                "disp_class": f"disp-{r.get('disposition')}" if r.get("disposition") in L.DISPOSITIONS else "",
                "reason": _s(r.get("reason")),
                "findings": [
                    {
                        "rule": _s(f.get("rule")),
                        "title": rule_titles.get(_s(f.get("rule")), ""),
                        "clause": _s(f.get("clause")),
                        "unit_name": names.get(_s(f.get("unit")), _s(f.get("unit"))),
                        "period": _s(f.get("period")),
                        "record": _s(f.get("record")),
                        "severity_label": L.label(severities, f.get("severity")) if f.get("severity") else "",
                        "sev_class": _sev_class(_s(f.get("severity"))),
                    }
                    for f in items[:REFERRAL_FINDINGS_LIMIT]
                ],
                "findings_count": len(items),
                "findings_more": max(len(items) - REFERRAL_FINDINGS_LIMIT, 0),
            }
        )
    return out


def _progress(progress: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    for p in progress:
        target = pd.to_numeric(p.get("target"), errors="coerce")
        actual = pd.to_numeric(p.get("actual"), errors="coerce")
        ratio = float(actual) / float(target) if pd.notna(target) and pd.notna(actual) and target > 0 else None
        out.append(
            {
                "rule": _s(p.get("rule")),
                "title": _s(p.get("title")),
                "unit": _s(p.get("unit")),
                "unit_name": _s(p.get("unit_name")) or names.get(_s(p.get("unit")), _s(p.get("unit"))),
                "target": _s(p.get("target")),
                "actual": _s(p.get("actual")),
                "deadline": _s(p.get("deadline")),
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

    df = findings_frame(findings).drop(columns=["evidence", "responsible", "responsible_names"])
    df["pos"] = range(len(df))
    df["unit_name"] = df["unit_name"].where(df["unit_name"] != "", relabel(df["unit"], names))
    rules = _rules(df, severities)
    rule_titles = {r["rule"]: r["title"] for r in rules}
    rule_titles.update({_s(m.get("rule")): _s(m.get("title")) for m in doc.get("manual") or []})
    for p in doc.get("progress") or []:
        rule_titles.setdefault(_s(p.get("rule")), _s(p.get("title")))

    sev_counts = df["severity"].value_counts()
    disp_counts = pd.Series([r.get("disposition") for r in referrals], dtype=object).value_counts()
    packs = audit.get("packs") or []
    ledgers = [
        {
            "title": _s(led.get("title")) or _s(led.get("ledger")),
            "ledger": _s(led.get("ledger")),
            "file": _s(led.get("file")),
            "sheet": _s(led.get("sheet")),
            "rows_read": _s(led.get("rows_read")),
            "rows_used": _s(led.get("rows_used")),
            "rows_rejected": _s(led.get("rows_rejected")),
            "rejected": _int(led.get("rows_rejected")) > 0,
            "sha256": _s(led.get("sha256"))[:12],
            "sha256_full": _s(led.get("sha256")),
            "extra_headers": value_text(led.get("extra_headers")),
        }
        for led in audit.get("ledgers") or []
    ]
    data_errors = list(doc.get("data_errors") or [])
    ledger_titles = {key: spec.title for key, spec in ledger_specs().items()}
    top = audit.get("top_unit") or {}
    titles = [_s(p.get("title")) for p in packs if p.get("title")]
    return {
        "lang": lang,
        "t": words,
        "cols": {table: L.columns(table, lang) for table in _TABLES},
        "title": "；".join(titles) if lang == "zh" else "; ".join(titles),
        "audit": {
            "program": _s(audit.get("program")),
            "version": _s(audit.get("version")),
            "generated_at": _s(audit.get("generated_at")).replace("T", " "),
            "from": _s(audit.get("from")),
            "as_of": _s(audit.get("as_of")),
            "ledger_set": _s(audit.get("ledger_set")),
            "ledger_path": _s(audit.get("ledger_path")),
            "top_unit": f"{_s(top.get('name'))}（{_s(top.get('id'))}）" if top else "",
            "provisional": bool(audit.get("provisional")),
            "unknown_years": "、".join(str(y) for y in audit.get("calendar_unknown_years") or []),
        },
        "packs": [
            {
                "id": _s(p.get("id")),
                "title": _s(p.get("title")),
                "issuer": _s(p.get("issuer")),
                "version": _s(p.get("version")),
                "effective_from": _s(p.get("effective_from")),
                "effective_to": _s(p.get("effective_to")),
                "params": [
                    (str(k), _s((p.get("param_titles") or {}).get(k)), value_text(v))
                    for k, v in (p.get("params") or {}).items()
                ],
            }
            for p in packs
        ],
        "ledgers": ledgers,
        "missing_ledgers": [ledger_title(str(k), lang) for k in audit.get("missing_ledgers") or []],
        "file_problems": [
            {k: _s(fp.get(k)) for k in ("file", "sheet", "message", "fix")} for fp in audit.get("file_problems") or []
        ],
        "summary": {
            "total": len(findings),
            "severities": [
                {"code": c, "label": severities[c], "sev_class": _sev_class(c), "count": int(sev_counts.get(c, 0))}
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
        },
        "detail_limit": detail_limit,
        "truncated": any(r["count"] > detail_limit for r in rules),
        "units": _units(df, findings, severities, detail_limit),
        "referrals": _referrals(referrals, names, rule_titles, lang),
        "progress": _progress(doc.get("progress") or [], names),
        "data_errors": [
            {
                "ledger": ledger_titles.get(_s(e.get("ledger")), _s(e.get("ledger"))),
                "file": _s(e.get("file")),
                "sheet": _s(e.get("sheet")),
                "row": _s(e.get("row")),
                "column": _s(e.get("column")),
                "value": _s(e.get("value")),
                "reason": _s(e.get("reason")),
                "fix": _s(e.get("fix")),
                "rejected": words["yes"] if e.get("rejected") else words["no"],
            }
            for e in data_errors[:DATA_ERROR_LIMIT]
        ],
        "data_errors_more": max(len(data_errors) - DATA_ERROR_LIMIT, 0),
        "manual": [
            {k: _s(m.get(k)) for k in ("rule", "pack", "clause", "title", "quote")} for m in doc.get("manual") or []
        ],
    }


def render_html(
    doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], lang: str = "zh", detail_limit: int = DETAIL_LIMIT
) -> str:
    return _environment().get_template(TEMPLATE).render(**context(doc, referrals, lang, detail_limit))


def write_html(
    doc: Mapping[str, Any],
    referrals: Sequence[Mapping[str, Any]],
    path: Path,
    lang: str = "zh",
    detail_limit: int = DETAIL_LIMIT,
) -> Path:
    path.write_text(render_html(doc, referrals, lang, detail_limit), encoding="utf-8")
    return path

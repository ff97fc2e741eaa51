"""The one-screen console summary printed after an audit."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from accountability.report import labels as L
from accountability.report.letters import INDEX, LETTERS_DIR, counties
from accountability.report.tables import ledger_title, plans_title
from accountability.report.tracking import compare, counts_text

TOP_RULES = 5
MAX_LISTED = 3  # file problems named one by one
TITLE_WIDTH = 40


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut `text` to `width` display columns (CJK counts two) and pad it to exactly that."""
    if _width(text) > width:
        out = ""
        for ch in text:
            if _width(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - _width(text))


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def summary_text(
    doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], out_dir: Path | None, lang: str = "zh"
) -> str:
    """Audit window, findings by severity and top rules, the comparison with the previous audit, referrals by
    disposition, rejected rows, missing ledgers and where the outputs went; plain text that fits one screen."""
    words = L.text(lang)
    severities = L.severity_labels(lang)
    dispositions = L.disposition_labels(lang)
    sep = words["list_sep"]
    audit = doc.get("audit") or {}
    findings = doc.get("findings") or []
    referrals = referrals or []
    lines: list[str] = []

    lines.append(plans_title(audit, lang) or words["console_title"])
    window = words["window"].format(start=audit.get("from") or "?", end=audit.get("as_of") or "?")
    lines.append(words["console_window"].format(window=window))
    if audit.get("ledger_set"):
        lines.append(words["console_ledger_set"].format(name=audit["ledger_set"]))
    if audit.get("provisional"):
        years = sep.join(str(y) for y in audit.get("calendar_unknown_years") or [])
        lines.append(words["console_provisional"].format(years=years))
    lines.append("")

    if findings:
        by_severity = Counter(str(f.get("severity")) for f in findings)
        parts = [f"{severities[c]} {by_severity[c]}" for c in L.SEVERITIES if by_severity.get(c)]
        parts += [f"{c} {n}" for c, n in by_severity.items() if c not in severities]
        lines.append(words["console_findings"].format(n=len(findings), parts=sep.join(parts)))
        doubtful = sum(1 for f in findings if f.get("doubtful"))
        if doubtful:
            lines.append(words["console_doubtful"].format(n=doubtful))
        waived = sum(1 for f in findings if f.get("waived"))
        if waived:
            lines.append(words["console_waived"].format(n=waived))
        by_rule = Counter(str(f.get("rule")) for f in findings)
        rule_titles = {str(f.get("rule")): str(f.get("title") or "") for f in findings}
        lines.append("  " + words["console_top_rules"])
        top = by_rule.most_common(TOP_RULES)
        id_width = max(len(rule) for rule, _ in top)
        count_width = len(str(top[0][1]))
        for rule, n in top:
            lines.append(f"    {rule:<{id_width}}  {_fit(rule_titles[rule], TITLE_WIDTH)}  {n:>{count_width}}")
        rest = len(findings) - sum(n for _, n in top)
        if len(by_rule) > TOP_RULES:
            lines.append("    " + words["console_other_rules"].format(rules=len(by_rule) - TOP_RULES, n=rest))
    else:
        lines.append(words["console_no_findings"])
    comparison = compare(doc)
    if comparison.state == "compared":
        parts = counts_text(comparison, lang)
        lines.append(words["console_tracking"].format(as_of=comparison.previous_as_of, parts=parts))
    elif comparison.state == "first":
        lines.append(words["console_first_history"])

    if referrals:
        by_disposition = Counter(str(r.get("disposition")) for r in referrals)
        parts = [f"{dispositions[c]} {by_disposition[c]}" for c in reversed(L.DISPOSITIONS) if by_disposition.get(c)]
        parts += [f"{c} {n}" for c, n in by_disposition.items() if c not in dispositions]
        lines.append(words["console_referrals"].format(n=len(referrals), parts=sep.join(parts)))
    else:
        lines.append(words["console_no_referrals"])

    rejected = [led for led in audit.get("ledgers") or [] if _int(led.get("rows_rejected")) > 0]
    if rejected:
        lines.append(words["console_rejected"])
        for led in rejected:
            line = words["console_rejected_line"].format(
                title=led.get("title") or led.get("ledger") or "",
                file=led.get("file") or "",
                read=_int(led.get("rows_read")),
                rejected=_int(led.get("rows_rejected")),
            )
            lines.append("  " + line)
    errors = doc.get("data_errors") or []
    if errors:
        lines.append(words["console_data_errors"].format(n=len(errors)))
        for e in errors[:MAX_LISTED]:
            where = f"{e.get('file') or ''}" + (f"/{e['sheet']}" if e.get("sheet") else "")
            cell = (e.get("row"), e.get("column"), e.get("value"), e.get("reason"), e.get("fix"))
            lines.append(f"  {where} " + words["console_data_error"].format(*cell))
        if len(errors) > MAX_LISTED:
            lines.append("  " + words["console_more"].format(n=len(errors) - MAX_LISTED))
    missing = audit.get("missing_ledgers") or []
    if missing:
        lines.append(words["console_missing"].format(names=sep.join(ledger_title(str(k), lang) for k in missing)))
    unreadable = audit.get("unreadable_ledgers") or []
    if unreadable:
        lines.append(words["console_unreadable"].format(names=sep.join(ledger_title(str(k), lang) for k in unreadable)))
    if audit.get("skipped_rows"):
        lines.append(words["console_skipped"].format(n=len(audit["skipped_rows"])))
    problems = audit.get("file_problems") or []
    if problems:
        lines.append(words["console_file_problems"].format(n=len(problems)))
        for p in problems[:MAX_LISTED]:
            where = str(p.get("file") or "") + (f"/{p['sheet']}" if p.get("sheet") else "")
            fix = f"（{p['fix']}）" if p.get("unreadable") and p.get("fix") else ""
            lines.append(
                f"  {where}：{p.get('message') or ''}{fix}" if lang == "zh" else f"  {where}: {p.get('message')}"
            )
        if len(problems) > MAX_LISTED:
            lines.append("  " + words["console_more"].format(n=len(problems) - MAX_LISTED))
    if doc.get("progress"):
        lines.append(words["console_progress"].format(n=len(doc["progress"])))
    if doc.get("manual"):
        lines.append(words["console_manual"].format(n=len(doc["manual"])))

    if out_dir is not None:
        lines.append("")
        lines.append(words["console_outputs"].format(dir=out_dir))
        written = [name for fmt in L.OUTPUT_FILES.values() for name in fmt if (Path(out_dir) / name).is_file()]
        if written:
            lines.append(words["console_files"].format(files=sep.join(written)))
        if "report.html" in written:
            lines.append(words["console_open_html"].format(path=Path(out_dir) / "report.html"))
        index = Path(out_dir) / LETTERS_DIR / INDEX
        if referrals and index.is_file():
            lines.append(words["console_letters"].format(n=len(referrals), path=index))
        elif referrals and len(counties(doc)) > 1:
            example = counties(doc)[0].get("name")
            lines.append(words["console_letters_by_county"].format(n=len(referrals), dir=out_dir, example=example))
    return "\n".join(lines)

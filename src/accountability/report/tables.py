"""The tabular outputs: findings.csv and report.xlsx, built column-wise with pandas.

Each table is one DataFrame whose columns carry the reader's headers (labels.py). Lists inside a
finding (evidence rows, responsible people) are flattened into one readable cell with explode and
groupby, never a Python loop over findings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from accountability.contract.schema import ledger_specs
from accountability.ingest.values import arrow_array, join_per_row
from accountability.language.conditions import WHITE_SPACE_CHARS
from accountability.packs.model import COMMON_PACK
from accountability.report import labels as L
from accountability.report.workbook import Sheet, Workbook, is_text

EXCEL_CELL_MAX = 32767
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
# Text Excel runs as a formula: '=…', '@…', or a sign not followed by a digit, a point or white space. Python's
# [=@]|[+\-][^\d.\s] for Arrow's RE2, matched by its kernel instead of Python per cell (a province's findings.csv:
# 0.13 s → 0.05 s); a test compares the two over every character.
FORMULA_LIKE = rf"^(?:[=@]|[+\-][^\p{{Nd}}.{WHITE_SPACE_CHARS}])"
_HEADER_FILL = "#EEF1F5"
_MIN_WIDTH, _MAX_WIDTH = 6, 60

FINDING_KEYS = (
    "rule",
    "pack",
    "clause",
    "title",
    "quote",
    "severity",
    "unit",
    "unit_name",
    "period",
    "record",
    "message",
    "expected",
    "actual",
    "evidence",
    "responsible",
    "responsible_names",
    "status",
    "first_seen",
    "relapse",
    "doubtful",
    "doubts",
    "waived",
)
_LIST_KEYS = ("evidence", "responsible", "responsible_names", "doubts")
_RAW_KEYS = ("waived",)  # {id, approver, expires} or None
_FLAG_KEYS = ("relapse", "doubtful")
DOUBT_KEYS = ("file", "sheet", "row", "column", "value", "reason", "fix")
DOUBT_FINDINGS_SHOWN = 5  # per cell in 待核实: the rest are counted, and each finding is marked in 问题清单
# A referred person's finding as referrals.json lists it; joined to findings.json on JOIN_KEY.
REFERRAL_FINDING_KEYS = (
    "rule",
    "pack",
    "unit",
    "period",
    "record",
    "clause",
    "severity",
    "status",
    "first_seen",
    "disposition",
    "step_ups",
)
JOIN_KEY = ["rule", "unit", "period", "record"]
RESOLVED_KEYS = tuple(L.columns("resolved"))


# --- normalising the doc's lists -------------------------------------------------------------


def frame(records: Sequence[Mapping[str, Any]] | None, keys: Sequence[str]) -> pd.DataFrame:
    """The records as a frame with exactly `keys` as columns (absent keys become missing values)."""
    return pd.DataFrame.from_records(list(records or []), columns=list(keys)).reset_index(drop=True)


def text_col(series: pd.Series) -> pd.Series:
    """A column as text, missing values as empty strings, whole floats without a trailing .0."""
    numeric = pd.api.types.is_float_dtype(series) and series.dropna().mod(1).eq(0).all()
    if numeric:
        series = series.astype("Int64")
    return series.astype("string").fillna("").astype(object)


def relabel(series: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """Codes replaced by their labels; a code without one is kept as it is."""
    return series.map(mapping).astype(object).fillna(series).astype(object)


def _as_list(series: pd.Series) -> pd.Series:
    """Each cell as a list: None/NaN → [], a scalar → [scalar]."""
    return series.map(lambda v: v if isinstance(v, list) else [] if v is None or v != v else [v])


def records(lists: pd.Series, keys: Sequence[str]) -> pd.DataFrame:
    """The dicts inside each cell's list as one frame with exactly `keys`, indexed by the cell's row (repeated)."""
    items = _as_list(lists).explode().dropna()
    items = items[items.map(lambda v: isinstance(v, Mapping))]
    return frame(items.tolist(), keys).set_axis(items.index)


def evidence_text(evidence: pd.Series, lang: str = "zh", sep: str = "；") -> pd.Series:
    """Each finding's evidence rows as one cell: '巡查台账.xlsx/Sheet1 第14行 (XC-0012)；…'."""
    words = L.text(lang)
    ev = records(evidence, ("file", "sheet", "row", "id", "ledger"))
    if ev.empty:
        return pd.Series("", index=evidence.index, dtype=object)
    file = text_col(ev["file"])
    file = file.where(file != "", text_col(ev["ledger"]))
    sheet = text_col(ev["sheet"])
    where = file.where(sheet == "", file + "/" + sheet)
    row = text_col(pd.to_numeric(ev["row"], errors="coerce").astype("Int64"))
    prefix, _, suffix = words["evidence_row"].partition("{row}")
    prefix = prefix.replace("{where}", "")
    located = where.where(row == "", where + prefix + row + suffix)
    ident = text_col(ev["id"])
    located = located.where(ident == "", located + " (" + ident + ")")
    return join_per_row(located, evidence.index, sep)


def _positions(lists: pd.Series, column: str) -> pd.DataFrame:
    """Each list item as (row, pos, value)."""
    items = _as_list(lists).explode().dropna()
    return pd.DataFrame(
        {"row": items.index, "pos": items.groupby(level=0).cumcount().to_numpy(), column: text_col(items).to_numpy()}
    )


def people_text(ids: pd.Series, names: pd.Series | None = None, lang: str = "zh", sep: str = "、") -> pd.Series:
    """Responsible people as '张三(P001)、李四(P002)'; ids alone when names are not known.

    `names` lists the named ids' names first, then names the people register lacks; those are marked, not dropped.
    """
    people = _positions(ids, "id")
    if names is not None:
        people = people.merge(_positions(names, "name"), on=["row", "pos"], how="outer")
    if people.empty:
        return pd.Series("", index=ids.index, dtype=object)
    pid = people["id"].fillna("").astype(object)
    name = people.get("name", pd.Series("", index=people.index)).fillna("").astype(object)
    shown = pid.where((name == "") | (name == pid), name + "(" + pid + ")")
    shown = shown.where(pid != "", name + L.text(lang)["unregistered"])
    return join_per_row(shown.set_axis(pd.Index(people["row"])), ids.index, sep)


Findings = Sequence[Mapping[str, Any]] | pd.DataFrame | None  # findings.json's list, or its findings_frame


def findings_frame(findings: Findings) -> pd.DataFrame:
    """The findings with every expected key present, texts as strings, relapse and doubtful as bools, in the doc's
    order. A frame this built is handed back as it is (a shallow copy, for the caller's own columns): the workbook's
    three sheets of findings build it once, not once each (a province's 136,888 findings: 0.7 s a time)."""
    if isinstance(findings, pd.DataFrame):
        return findings.copy(deep=False)
    df = frame(findings, FINDING_KEYS)
    for key in FINDING_KEYS:
        if key not in (*_LIST_KEYS, *_FLAG_KEYS, *_RAW_KEYS):
            df[key] = text_col(df[key])
    for key in _FLAG_KEYS:
        df[key] = _flag(df[key])
    return df


def _flag(series: pd.Series) -> pd.Series:
    """A yes/no column as bools, missing as False (a doc from before the key existed, or an unmatched join)."""
    return series.astype("boolean").fillna(False).astype(bool)


def status_codes(findings: pd.DataFrame) -> pd.Series:
    """new, persisting or relapse per finding: a relapse is new to this audit, but it is named for what it is."""
    return findings["status"].where(~findings["relapse"], "relapse")


def status_text(findings: pd.DataFrame, lang: str = "zh", since: bool = False) -> pd.Series:
    """新发现 / 仍未整改 / 死灰复燃 per finding (empty when the doc carries no status); with `since`, a finding
    still open says when it was first found, so a reader sees how long it has stood."""
    codes = status_codes(findings)
    shown = relabel(codes, L.status_labels(lang))
    if since:
        template = L.text(lang)["status_since"]
        dated = (codes == "persisting") & (findings["first_seen"] != "")
        shown = shown.where(~dated, findings["first_seen"].map(lambda d: template.format(date=d)))
    return shown


def referral_findings(findings: Findings, referrals: Sequence[Mapping[str, Any]] | None) -> pd.DataFrame:
    """One row per referred person and finding, `ref` the person's position in `referrals`, with the finding's
    full record (quote, message, evidence, relapse…) from findings.json joined on (rule, unit, period, record).

    What referrals.json says of the finding wins; findings.json fills what it leaves empty.
    """
    items = records(frame(referrals, ("findings",))["findings"], REFERRAL_FINDING_KEYS)
    df = items.reset_index(names="ref")
    for key in REFERRAL_FINDING_KEYS:
        if key != "step_ups":
            df[key] = text_col(df[key])
    df["step_ups"] = _as_list(df["step_ups"])
    full = findings_frame(findings).drop_duplicates(JOIN_KEY)
    merged = df.merge(full, how="left", on=JOIN_KEY, suffixes=("", "_found"))
    for key in ("pack", "clause", "severity", "status", "first_seen"):
        found = merged.pop(f"{key}_found").fillna("")
        merged[key] = merged[key].where(merged[key] != "", found)
    for key in FINDING_KEYS:
        if key in _LIST_KEYS:
            merged[key] = _as_list(merged[key])
        elif key in _FLAG_KEYS:
            merged[key] = _flag(merged[key])
        elif key in _RAW_KEYS:
            merged[key] = merged[key].astype(object).where(merged[key].notna(), None)
        elif key not in JOIN_KEY:
            merged[key] = merged[key].fillna("")
    return merged


def unit_names(doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]] | None = ()) -> dict[str, str]:
    """Unit id → name, from everything the outputs carry."""
    names: dict[str, str] = {}
    for source in (doc.get("progress"), referrals, doc.get("findings")):
        if source:
            pairs = frame(source, ("unit", "unit_name")).dropna()
            pairs = pairs[pairs["unit_name"].astype(str) != ""].drop_duplicates("unit")
            names.update(zip(pairs["unit"].astype(str), pairs["unit_name"].astype(str), strict=True))
    top = (doc.get("audit") or {}).get("top_unit") or {}
    if top.get("id"):
        names.setdefault(str(top["id"]), str(top.get("name") or top["id"]))
    return names


def ledger_title(key: str, lang: str = "zh") -> str:
    """A ledger's Chinese title with its key, e.g. 案件台账（cases）; the key alone when it is not in the contract."""
    spec = ledger_specs().get(key)
    if not spec:
        return key
    return f"{spec.title}（{key}）" if lang == "zh" else f"{spec.title} ({key})"


def plans_title(audit: Mapping[str, Any], lang: str = "zh") -> str:
    """What an audit's outputs are titled by: the plans audited, not the shared rules that run beside them (those
    title it only when no plan was audited)."""
    packs = [p for p in audit.get("packs") or [] if p.get("title")]
    plans = [p for p in packs if p.get("id") != COMMON_PACK] or packs
    return ("；" if lang == "zh" else "; ").join(str(p["title"]) for p in plans)


def value_text(value: Any) -> str:
    """A parameter value as a reader sees it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "、".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


# --- the tables -------------------------------------------------------------------------------


def _headed(df: pd.DataFrame, table: str, lang: str) -> pd.DataFrame:
    heads = L.columns(table, lang)
    return df[list(heads)].rename(columns=heads)


def findings_table(findings: Findings, lang: str = "zh") -> pd.DataFrame:
    """问题清单: one row per finding, evidence and responsible people flattened."""
    df = findings_frame(findings)
    severities = L.severity_labels(lang)
    df["severity"] = relabel(df["severity"], severities)
    df["evidence"] = evidence_text(df["evidence"], lang)
    df["responsible"] = people_text(df["responsible"], df["responsible_names"], lang)
    df["status"] = status_text(df, lang)
    words = L.text(lang)
    df["doubtful"] = df["doubtful"].map({True: words["doubtful_badge"], False: words["confirmed_label"]})
    df["doubtful"] = df["doubtful"].where(df["waived"].isna(), waived_text(df["waived"], lang))
    return _headed(df, "findings", lang)


def waived_text(waived: pd.Series, lang: str = "zh") -> pd.Series:
    """情况说明已核准（approver，有效期至 expires） for each waived finding; empty for the rest."""
    template = L.text(lang)["waived_label"]
    covered = waived.dropna()
    return pd.Series([template.format(**w) for w in covered], index=covered.index, dtype=object).reindex(waived.index)


def doubts_table(findings: Findings, lang: str = "zh") -> pd.DataFrame:
    """待核实: one row per cell to put right, with how many doubtful findings wait on it and the first of them. A
    clerk fixes a cell once however many findings it bears on: a province's cells listed beside each of their
    findings came to a million rows, the most a sheet holds."""
    df = findings_frame(findings)
    df = df[df["doubtful"]]
    cells = records(df["doubts"], DOUBT_KEYS)
    for key in DOUBT_KEYS:
        cells[key] = text_col(cells[key]) if key != "row" else pd.to_numeric(cells[key]).astype("Int64")
    label = df["rule"].astype(str) + " " + text_col(df["unit_name"])
    for key in ("period", "record"):
        part = text_col(df[key])
        label = label.where(part == "", label + " " + part)
    cells["finding"] = label.reindex(cells.index).to_numpy()
    group = cells.groupby(list(DOUBT_KEYS), dropna=False, sort=False).ngroup().to_numpy()
    first = cells.drop_duplicates(list(DOUBT_KEYS)).set_axis(range(group.max() + 1 if len(group) else 0))
    counts = np.bincount(group, minlength=len(first))
    shown = cells["finding"].set_axis(group)[(cells.groupby(group).cumcount() < DOUBT_FINDINGS_SHOWN).to_numpy()]
    joined = join_per_row(shown.sort_index(kind="stable"), first.index, "；")
    more = pd.Series(np.where(counts > DOUBT_FINDINGS_SHOWN, "…", ""), index=first.index)
    first = first.assign(count=counts, findings=joined + more)
    return _headed(first.sort_values("count", ascending=False, kind="stable"), "doubt_cells", lang)


def resolved_table(resolved: Sequence[Mapping[str, Any]] | None, lang: str = "zh") -> pd.DataFrame:
    """已整改: the previous audit's findings this audit no longer finds."""
    df = frame(resolved, RESOLVED_KEYS)
    for key in RESOLVED_KEYS:
        df[key] = text_col(df[key])
    df["severity"] = relabel(df["severity"], L.severity_labels(lang))
    return _headed(df, "resolved", lang)


def referral_findings_text(
    items: pd.Series, names: Mapping[str, str], sep: str = "；", limit: int | None = None
) -> pd.Series:
    """Each referral's findings as one cell: 'HJ-PATROL-WEEKLY 雪峰镇 2025-W36；…'."""
    df = records(items, JOIN_KEY)
    if df.empty:
        return pd.Series("", index=items.index, dtype=object)
    for key in JOIN_KEY:
        df[key] = text_col(df[key])
    unit = relabel(df["unit"], names)
    shown = df["rule"] + " " + unit
    shown = shown.where(df["period"] == "", shown + " " + df["period"])
    shown = shown.where(df["record"] == "", shown + " " + df["record"])
    if limit is not None:
        shown = shown[shown.groupby(level=0).cumcount() < limit]
    return join_per_row(shown, items.index, sep)


def referrals_table(
    referrals: Sequence[Mapping[str, Any]] | None, names: Mapping[str, str] | None = None, lang: str = "zh"
) -> pd.DataFrame:
    """责任追究: one row per person, with how the disposition was reached (base, step-ups, the plan's clause)."""
    keys = ("person", "name", "unit", "unit_name", "position", "disposition", "base", "basis", "reason")
    df = frame(referrals, (*keys, "step_ups", "findings"))
    for key in keys:
        df[key] = text_col(df[key])
    dispositions = L.disposition_labels(lang)
    df["disposition"] = relabel(df["disposition"], dispositions)
    df["base"] = relabel(df["base"], dispositions)
    df["step_ups"] = step_ups_text(df["step_ups"])
    df["count"] = _as_list(df["findings"]).str.len().astype("Int64")
    df["findings"] = referral_findings_text(df["findings"], names or {})
    return _headed(df, "referrals", lang)


def step_ups_text(step_ups: pd.Series, sep: str = "；") -> pd.Series:
    """Each referral's step-ups as one cell, by their labels (the id when a step-up has none)."""
    steps = records(step_ups, ("id", "label"))
    shown = text_col(steps["label"]).where(text_col(steps["label"]) != "", text_col(steps["id"]))
    return join_per_row(shown, step_ups.index, sep)


def leads_table(
    findings: Findings,
    referrals: Sequence[Mapping[str, Any]] | None,
    names: Mapping[str, str] | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """问题线索: one row per referred person and finding, with everything the finding's letter shows."""
    names = names or {}
    keys = ("person", "name", "unit", "unit_name", "position", "disposition")
    people = frame(referrals, keys)
    for key in keys:
        people[key] = text_col(people[key])
    people["person_unit"] = people["unit_name"].where(people["unit_name"] != "", relabel(people["unit"], names))
    df = referral_findings(findings, referrals).rename(columns={"disposition": "finding_disposition"})
    df["unit_name"] = df["unit_name"].where(df["unit_name"] != "", relabel(df["unit"], names))
    df = df.join(people.drop(columns=["unit", "unit_name"]), on="ref")
    dispositions = L.disposition_labels(lang)
    df["disposition"] = relabel(df["disposition"], dispositions)
    df["finding_disposition"] = relabel(df["finding_disposition"], dispositions)
    df["evidence"] = evidence_text(df["evidence"], lang)
    df["status"] = status_text(df, lang, since=True)
    return _headed(df, "leads", lang)


def progress_table(progress: Sequence[Mapping[str, Any]] | None, lang: str = "zh") -> pd.DataFrame:
    """进度: each target rule's standing per unit; 完成率 is a fraction (formatted as % in Excel)."""
    keys = ("rule", "pack", "title", "unit", "unit_name", "target", "actual", "deadline")
    df = frame(progress, keys)
    for key in ("rule", "pack", "title", "unit", "unit_name", "deadline"):
        df[key] = text_col(df[key])
    target = pd.to_numeric(df["target"], errors="coerce")
    actual = pd.to_numeric(df["actual"], errors="coerce")
    df["target"], df["actual"] = target, actual
    df["ratio"] = (actual / target.where(target > 0)).round(4)
    return _headed(df, "progress", lang)


def data_errors_table(errors: Sequence[Mapping[str, Any]] | None, lang: str = "zh") -> pd.DataFrame:
    """数据错误: every cell the ingest could not use, where it is and how to fix it."""
    keys = ("ledger", "file", "sheet", "row", "column", "value", "reason", "fix", "rejected")
    df = frame(errors, keys)
    for key in ("ledger", "file", "sheet", "column", "value", "reason", "fix"):
        df[key] = text_col(df[key])
    titles = {key: spec.title for key, spec in ledger_specs().items()}
    df["ledger"] = relabel(df["ledger"], titles)
    df["row"] = pd.to_numeric(df["row"], errors="coerce").astype("Int64")
    words = L.text(lang)
    rejected = df["rejected"].astype("boolean")
    df["rejected"] = rejected.map({True: words["yes"], False: words["no"]}).astype(object).fillna("")
    return _headed(df, "data_errors", lang)


def manual_table(manual: Sequence[Mapping[str, Any]] | None, lang: str = "zh") -> pd.DataFrame:
    """人工核查: the manual rules with empty columns for the inspector to fill in."""
    keys = ("rule", "pack", "clause", "title", "quote")
    df = frame(manual, keys)
    for key in keys:
        df[key] = text_col(df[key])
    df["result"] = ""
    df["checker"] = ""
    return _headed(df, "manual", lang)


def audit_blocks(audit: Mapping[str, Any], lang: str = "zh") -> list[tuple[str | None, pd.DataFrame]]:
    """审计参数: the audit's settings, packs, parameters, ledger files and input problems, as titled blocks."""
    words = L.text(lang)
    top = audit.get("top_unit") or {}
    missing = [ledger_title(str(k), lang) for k in audit.get("missing_ledgers") or []]
    items = [
        (words["audit_program"], f"{audit.get('program', '')} {audit.get('version', '')}".strip()),
        (words["audit_generated_at"], audit.get("generated_at")),
        (words["audit_from"], audit.get("from")),
        (words["audit_as_of"], audit.get("as_of")),
        (words["audit_ledger_set"], audit.get("ledger_set")),
        (words["audit_ledger_path"], audit.get("ledger_path")),
        (words["audit_top_unit"], f"{top.get('name', '')}（{top.get('id', '')}）" if top else ""),
        (words["audit_provisional"], words["yes"] if audit.get("provisional") else words["no"]),
        (words["sub_missing"], "、".join(missing) or words["none"]),
    ]
    heads = L.columns("audit", lang)
    settings = pd.DataFrame(
        {heads["item"]: [k for k, _ in items], heads["value"]: [value_text(v) for _, v in items]}, dtype=object
    )
    packs = audit.get("packs") or []
    pack_df = frame(packs, tuple(L.columns("packs", lang)))
    for key in pack_df:
        pack_df[key] = text_col(pack_df[key])
    params = [
        {
            "pack": p.get("id", ""),
            "name": name,
            "title": (p.get("param_titles") or {}).get(name, ""),
            "value": value_text(value),
            "assumed": (p.get("param_assumed") or {}).get(name, ""),
        }
        for p in packs
        for name, value in (p.get("params") or {}).items()
    ]
    ledger_keys = tuple(L.columns("ledgers", lang))
    ledgers = frame(audit.get("ledgers"), ledger_keys)
    ledgers["extra_headers"] = ledgers["extra_headers"].map(value_text)
    for key in ("rows_read", "rows_used", "rows_rejected", "rows_skipped"):
        ledgers[key] = pd.to_numeric(ledgers[key], errors="coerce").astype("Int64")
    problems = frame(audit.get("file_problems"), tuple(L.columns("file_problems", lang)))
    return [
        (None, settings),
        (words["sub_packs"], _headed(pack_df, "packs", lang)),
        (words["sub_params"], _headed(frame(params, ("pack", "name", "title", "value", "assumed")), "params", lang)),
        (words["sub_ledgers"], _headed(ledgers, "ledgers", lang)),
        (words["sub_file_problems"], _headed(problems.astype(object).fillna(""), "file_problems", lang)),
    ]


# --- writing ----------------------------------------------------------------------------------


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if is_text(df[c])]


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text that Excel would run as a formula when opening a CSV ('=…', '@…', '+x', '-x') gets a leading '."""
    out = df.copy()
    for column in _text_columns(out):
        s = out[column].astype("string")
        formula_like = pc.match_substring_regex(arrow_array(s), FORMULA_LIKE)
        risky = pc.fill_null(formula_like, False).to_numpy(zero_copy_only=False)
        if risky.any():
            out[column] = out[column].where(~risky, "'" + s.astype(object))
    return out


def write_csv(doc: Mapping[str, Any], path: Path, lang: str = "zh") -> Path:
    """findings.csv: the findings sheet, UTF-8 with BOM so Excel on Windows reads the Chinese."""
    table = csv_safe(findings_table(doc.get("findings"), lang))
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Strip characters XML cannot hold and cut text to Excel's cell limit. Most texts hold neither: looking is
    one Arrow pass, and a column is rewritten only where it must be."""
    out = df.copy(deep=False)
    for column in _text_columns(out):
        text = arrow_array(out[column].astype("string"))
        if pc.any(pc.match_substring_regex(text, _ILLEGAL_XML)).as_py():
            text = pc.replace_substring_regex(text, _ILLEGAL_XML, "")
        long = pc.greater(pc.utf8_length(text), EXCEL_CELL_MAX)
        if pc.any(long).as_py():
            kept = pc.utf8_slice_codeunits(text, 0, EXCEL_CELL_MAX - 1)
            cut = pc.binary_join_element_wise(kept, pa.scalar("…", kept.type), pa.scalar("", kept.type))
            text = pc.if_else(long, cut, text)
        out[column] = pd.Series(pd.array(text, dtype="string"), index=out.index)
    return out


def _display_width(s: pd.Series) -> int:
    """Approximate width of the widest cell's first line. A character of three or four bytes in UTF-8 (CJK and
    other wide characters) counts twice, told from the byte length: counting them by a pattern took a second on
    a province's workbook."""
    text = arrow_array(s.astype("string").fillna(""))
    breaks = pc.match_substring(text, "\n")
    if pc.any(breaks).as_py():
        text = pc.if_else(breaks, pc.list_element(pc.split_pattern(text, "\n", max_splits=1), 0), text)
    chars = pc.utf8_length(text)
    wide = pc.divide(pc.subtract(pc.binary_length(text), chars), 2)
    return int(pc.max(pc.add(chars, wide)).as_py() or 0)


class _Workbook:
    """report.xlsx (workbook.py): bold shaded headers, column widths from the content, every text a text, even
    one that looks like a formula, a number or a link."""

    def __init__(self, path: Path) -> None:
        self.book = Workbook(path, _HEADER_FILL)

    def table(
        self, name: str, df: pd.DataFrame, row: int = 0, title: str | None = None, percent: str | None = None
    ) -> tuple[Sheet, int]:
        """One table from `row` (0-based) down, under its title if any; the columns headed `percent` as
        percentages. Returns the sheet and the header's row."""
        sheet, strings = self.book.sheet(name), self.book.strings
        if title is not None:
            sheet.put(row, pd.DataFrame([[title]]), strings, {0: "title"})
            row += 1
        df = _excel_safe(df)
        header = pd.DataFrame([[str(c) for c in df.columns]])
        sheet.put(row, header, strings, dict.fromkeys(header.columns, "header"))
        sheet.put(row + 1, df, strings, {percent: "percent"} if percent in df.columns else None)
        for j, column in enumerate(df.columns):
            width = max(_display_width(df[column]), _display_width(pd.Series([str(column)]))) + 2
            sheet.widths[j] = max(sheet.widths.get(j, 0), min(max(width, _MIN_WIDTH), _MAX_WIDTH))
        return sheet, row

    def close(self) -> None:
        self.book.close()


def compliance_blocks(doc: Mapping[str, Any], lang: str = "zh") -> list[tuple[str | None, pd.DataFrame]]:
    """合规率: the rate of each rule, then the unit × period matrix (failed/judged per cell, ✓ when all met)."""
    words = L.text(lang)
    comp = doc.get("compliance") or {}
    cols = L.columns("findings", lang)
    rules = pd.DataFrame(
        {
            cols["rule"]: [r["rule"] for r in comp.get("rules") or []],
            cols["title"]: [r["title"] for r in comp.get("rules") or []],
            words["items_judged"]: [r["judged"] for r in comp.get("rules") or []],
            words["items_failed"]: [r["failed"] for r in comp.get("rules") or []],
            words["rate"]: [r["rate"] for r in comp.get("rules") or []],
        }
    )
    columns = list(comp.get("columns") or [])
    cells = [[cell_text(*(row.get("cells") or {}).get(c, [0, 0])) for c in columns] for row in comp.get("rows") or []]
    headings = L.period_headings(columns, lang)
    matrix = pd.DataFrame(cells, columns=[headings[c] for c in columns])
    matrix.insert(0, cols["unit_name"], [row["unit_name"] for row in comp.get("rows") or []])
    matrix[words["rate"]] = [row["rate"] for row in comp.get("rows") or []]
    return [(words["sub_rule_rates"], rules), (words["sub_matrix"], matrix)]


def cell_text(judged: int, failed: int) -> str:
    """A matrix cell: empty when nothing was judged, ✓ when all met, else failed/judged."""
    return "" if not judged else "✓" if not failed else f"{failed}/{judged}"


def _blocks_sheet(
    book: _Workbook, name: str, blocks: list[tuple[str | None, pd.DataFrame]], percent: str | None = None
) -> None:
    """Titled tables one under another on one sheet; the columns headed `percent` shown as percentages."""
    row = 0
    for title, block in blocks:
        _, header_row = book.table(name, block, row, title, percent)
        row = header_row + len(block) + 2


def _table_sheet(book: _Workbook, name: str, df: pd.DataFrame, percent: str | None = None) -> None:
    sheet, header_row = book.table(name, df, percent=percent)
    sheet.frozen = header_row + 1
    if len(df.columns):
        sheet.filtered = (header_row, header_row + len(df), len(df.columns) - 1)


def write_xlsx(doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]] | None, path: Path, lang: str = "zh"):
    """report.xlsx: 问题清单, 责任追究, 进度, 数据错误 (the four docs/interface.md names, in its order), then 问题线索,
    已整改, 人工核查, 合规率, 审计参数."""
    names = unit_names(doc, referrals)
    findings = findings_frame(doc.get("findings"))
    book = _Workbook(path)
    try:
        _table_sheet(book, L.SHEETS["findings"], findings_table(findings, lang))
        _table_sheet(book, L.SHEETS["doubtful"], doubts_table(findings, lang))
        _table_sheet(book, L.SHEETS["referrals"], referrals_table(referrals, names, lang))
        ratio = L.columns("progress", lang)["ratio"]
        _table_sheet(book, L.SHEETS["progress"], progress_table(doc.get("progress"), lang), ratio)
        _table_sheet(book, L.SHEETS["data_errors"], data_errors_table(doc.get("data_errors"), lang))
        _table_sheet(book, L.SHEETS["leads"], leads_table(findings, referrals, names, lang))
        _table_sheet(book, L.SHEETS["resolved"], resolved_table(doc.get("resolved"), lang))
        _table_sheet(book, L.SHEETS["manual"], manual_table(doc.get("manual"), lang))
        if doc.get("compliance"):
            _blocks_sheet(book, L.SHEETS["compliance"], compliance_blocks(doc, lang), L.text(lang)["rate"])
        _blocks_sheet(book, L.SHEETS["audit"], audit_blocks(doc.get("audit") or {}, lang))
    finally:
        book.close()
    return path

"""One audit end to end: read the ledgers, run the packs, resolve who answers, assemble the documents."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from accountability import history
from accountability.audit.document import document
from accountability.contract.yamlfile import did_you_mean
from accountability.errors import AccountabilityError
from accountability.ingest.files import read_ledger_set
from accountability.ingest.ledgerset import LedgerSet, build_ledger_set
from accountability.ingest.references import Directory
from accountability.ingest.values import isin
from accountability.language.periods import AuditWindow
from accountability.language.workdays import Overrides, WorkCalendar, load_overrides
from accountability.packs.model import COMMON_PACK, Pack, in_force
from accountability.referral.policy import Policy, load_policy
from accountability.referral.referrals import Engine, build_referrals
from accountability.report.letters import DEFAULT_PREFIX
from accountability.run.dask import dask_address, evaluate_on_dask
from accountability.run.engine import Evaluation, evaluate
from accountability.tuning import DEFAULT_TUNING, Tuning


@dataclass
class AuditResult:
    doc: dict
    referrals: list[dict]
    ledgers: LedgerSet | None  # None once let go: audit.service.perform, before the outputs are written
    evaluation: Evaluation
    book: history.Book | None = None
    resolved: pd.DataFrame | None = None

    def save_history(self) -> None:
        """Add this audit to the history file (after its outputs are written, so a failed write leaves no trace)."""
        if self.book is not None and self.resolved is not None:
            self.book.record(self.doc, self.evaluation.findings, self.resolved)


def scope_unit(ledgers: LedgerSet, text: str) -> str:
    """`--unit`: a unit id or exact name from the units ledger → its id."""
    units = ledgers.units
    resolved = Directory(units.frame["id"], units.frame["name"], "单位").resolve(pd.Series([text]))
    if pd.notna(resolved.reason.iloc[0]):
        raise AccountabilityError(
            f"--unit「{text}」：{resolved.reason.iloc[0]}",
            fix="请写单位名册中的单位编码或完整名称；" + did_you_mean(text, set(units.name.dropna().astype(str))),
        )
    return str(resolved.ids.iloc[0])


def read_ledgers(path: Path, tuning: Tuning = DEFAULT_TUNING, as_of: date | None = None) -> LedgerSet:
    """Read and type a ledger set. A file that cannot be read fails alone (its ledger counts as unreadable); only
    a units ledger that cannot be used stops the audit (exit 2)."""
    tables, problems = read_ledger_set(path, tuning.readers)
    return build_ledger_set(path.stem if path.is_file() else path.name, tables, problems, as_of)


def track_history(
    evaluation: Evaluation,
    packs: list[Pack],
    window: AuditWindow,
    top_unit: str,
    book: history.Book | None,
) -> history.Tracking | None:
    """Status, first_seen and relapse of every finding (from the history file when there is one), in place."""
    findings = evaluation.findings
    tracking = None
    if book is None:
        findings["status"], findings["first_seen"], findings["relapse"] = "new", window.as_of.isoformat(), False
    else:
        not_run = {rule for rules in evaluation.missing.values() for rule in rules}
        parts = [
            history.PackAudit(
                p.id,
                p.window(window),
                {r.id for r in p.rules if r.kind != "manual" and r.id not in not_run},
            )
            for p in packs
        ]
        tracking = book.track(findings, parts, top_unit, window.as_of)
        findings["status"], findings["first_seen"] = tracking.status, tracking.first_seen
        findings["relapse"] = tracking.relapse
    findings["persisting"] = (findings["status"] == "persisting") & (findings["first_seen"] < window.as_of.isoformat())
    return tracking


def finding_ids(findings: pd.DataFrame, top_unit: str) -> pd.Series:
    """Each finding's stable id, `f_` and 16 hex digits of the SHA-256 of (top unit, pack, rule, unit, period,
    record): the same finding has the same id in every audit of the same units, so waivers, rectifications and
    history follow it, and never meets a finding of another county's register."""
    keys = pd.Series(top_unit, index=findings.index, dtype=object)
    for column in ("pack", "rule", "unit", "period", "record"):
        keys = keys + "|" + findings[column].astype("string").fillna("").astype(str)
    return pd.Series(["f_" + hashlib.sha256(k.encode()).hexdigest()[:16] for k in keys], index=findings.index)


def load_waivers(path: Path | None) -> dict[str, dict]:
    """`--waivers FILE`: the approved waivers (情况说明) in force, a JSON list of {id, finding, approver, expires}, by
    finding id. The workspace writes it for each audit it runs."""
    if path is None:
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return {str(e["finding"]): {"id": str(e["id"]), "approver": str(e["approver"]), "expires": str(e["expires"])}
                for e in entries}  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AccountabilityError(
            f"无法读取情况说明文件 {path}：{exc}", fix="文件应为 JSON 列表，每项有 id、finding、approver、expires"
        ) from exc


def mark_waived(findings: pd.DataFrame, waivers: dict[str, dict], as_of: date) -> None:
    """`waived`: the waiver covering each finding on as_of, or None; an expired waiver covers nothing."""
    live = {k: w for k, w in waivers.items() if w["expires"] >= as_of.isoformat()}
    findings["waived"] = findings["id"].map(live).astype(object).where(findings["id"].isin(list(live)), None)


def letter_numbers(doc: dict, packs: list[Pack], count: int, book: history.Book | None) -> dict:
    """The letters' numbers, <字号>〔YEAR〕N号: the audited plan's 字号, the as_of year, and N counted on from the
    letters other audits recorded in the history (from 1 without one)."""
    audit = doc["audit"]
    plan = next((p for p in packs if p.id != COMMON_PACK), None)
    top = audit.get("scope") or audit["top_unit"]
    prefix = (plan.letter_prefix if plan else None) or DEFAULT_PREFIX.format(unit=top["name"])
    year = int(audit["as_of"][:4])
    same = (audit["packs"][0]["id"], top["id"], audit["from"], audit["as_of"], audit["ledger_set"])
    first = book.first_letter(prefix, year, same) if book is not None else 1
    return {"prefix": prefix, "year": year, "first": first, "count": count}


def work_calendar(packs: list[Pack], holidays: Path | None) -> WorkCalendar:
    """The working-day calendar with the holiday notices given: `--holidays FILE` and each pack's `holidays`
    parameter (a file path, relative to the pack file)."""
    overrides = Overrides()
    files = [holidays] if holidays else []
    for pack in packs:
        value = pack.param_values().get("holidays")
        if value and pack.path is not None:
            files.append(pack.path.parent / str(value))
    for file in files:
        loaded = load_overrides(file)
        overrides.holidays |= loaded.holidays
        overrides.workdays |= loaded.workdays
    return WorkCalendar(overrides)


def run_audit(
    path: Path,
    packs: list[Pack],
    window: AuditWindow,
    policy: Policy | None = None,
    holidays: Path | None = None,
    book: history.Book | None = None,
    engine: Engine = "pandas",
    unit: str | None = None,
    executor: str = "local",
    tuning: Tuning = DEFAULT_TUNING,
    waivers: dict[str, dict] | None = None,
) -> AuditResult:
    """One audit. With `book` (an open history file), findings are compared with the previous audit recorded
    there; the audit itself is recorded by `AuditResult.save_history` once its outputs are written. With `unit`,
    only that unit and the units under it are reported, and its history is its own. `executor`: "local", or
    "dask[://address]" to run the rules county by county on a Dask cluster. `waivers` (load_waivers) keep the
    findings they cover out of referrals."""
    address = None if executor == "local" else dask_address(executor)
    calendar = work_calendar(packs, holidays)
    with in_force(packs):
        ledgers = read_ledgers(path, tuning, window.as_of)
        scope = scope_unit(ledgers, unit) if unit else None
        if executor == "local":
            evaluation = evaluate(ledgers, packs, window, calendar, tuning)
        else:
            evaluation = evaluate_on_dask(ledgers, packs, window, calendar, address=address)
        if scope is not None:
            inside = ledgers.units.subtree(scope)
            evaluation = evaluation.within(inside)
            ledgers.errors = ledgers.errors[ledgers.errors["unit"].isna() | isin(ledgers.errors["unit"], inside)]
        top = scope or ledgers.units.top
        tracking = track_history(evaluation, packs, window, top, book)
        evaluation.findings["id"] = finding_ids(evaluation.findings, top)
        mark_waived(evaluation.findings, waivers or {}, window.as_of)
        referrals = build_referrals(evaluation.findings, ledgers, policy or load_policy(), window.as_of, packs, engine)
        doc = document(ledgers, packs, evaluation, window, path, tracking, scope, tuning)
        doc["audit"]["letter_numbers"] = letter_numbers(doc, packs, len(referrals), book)
        return AuditResult(doc, referrals, ledgers, evaluation, book, None if tracking is None else tracking.resolved)

"""One audit end to end: read the ledgers, run the packs, resolve who answers, assemble the documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd

from accountability import history
from accountability.audit.document import document
from accountability.contract.schema import pack_headers
from accountability.contract.yamlfile import did_you_mean
from accountability.errors import AccountabilityError
from accountability.ingest.files import read_ledger_set
from accountability.ingest.ledgerset import LedgerSet, OnTyped, build_ledger_set
from accountability.ingest.references import Directory
from accountability.ingest.values import isin
from accountability.language.workdays import Overrides, WorkCalendar, load_overrides
from accountability.packs.model import COMMON_PACK, Pack, all_headers
from accountability.referral.policy import Policy, load_policy
from accountability.referral.referrals import Engine, build_referrals
from accountability.report import processes
from accountability.run.dask import dask_address, evaluate_on_dask
from accountability.run.engine import Evaluation, pack_window
from accountability.spare_core import Rules

# Findings from which the referrals are worked out by a second process while this one assembles findings.json: a
# province's 20,000 findings take a second each way; below, a fork and the referrals sent back gain little.
REFERRALS_APART_FROM = 5_000


@dataclass
class AuditResult:
    doc: dict
    referrals: list[dict]
    ledgers: LedgerSet
    evaluation: Evaluation
    history: Path | None = None
    resolved: pd.DataFrame | None = None

    def save_history(self) -> None:
        """Add this audit to the history file (after its outputs are written, so a failed write leaves no trace)."""
        if self.history is not None and self.resolved is not None:
            history.record(self.history, self.doc, self.evaluation.findings, self.resolved)


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


def read_ledgers(path: Path, typed: OnTyped | None = None) -> LedgerSet:
    """Read and type a ledger set; an unusable input (unreadable file, no units) is an error (exit 2). `typed`: see
    build_ledger_set."""
    tables, problems = read_ledger_set(path)
    fatal = [p for p in problems if p.fatal]
    if fatal:
        first = fatal[0]
        where = f"{first.file}" + (f" 工作表「{first.sheet}」" if first.sheet else "")
        raise AccountabilityError(first.message, file=where, fix=first.fix)
    return build_ledger_set(path.stem if path.is_file() else path.name, tables, problems, typed)












def track_history(
    evaluation: Evaluation,
    packs: list[Pack],
    date_from: date | None,
    as_of: date,
    top_unit: str,
    path: Path | None,
    by_end: bool = False,
) -> history.Tracking | None:
    """Status, first_seen and relapse of every finding (from the history file when there is one), in place."""
    findings = evaluation.findings
    tracking = None
    if path is None:
        findings["status"], findings["first_seen"], findings["relapse"] = "new", as_of.isoformat(), False
    else:
        not_run = {rule for rules in evaluation.missing.values() for rule in rules}
        parts = [
            history.PackAudit(
                p.id,
                pack_window(p, date_from, as_of, by_end),
                {r.id for r in p.rules if r.kind != "manual" and r.id not in not_run},
            )
            for p in packs
        ]
        tracking = history.track(path, findings, parts, top_unit, as_of)
        findings["status"], findings["first_seen"] = tracking.status, tracking.first_seen
        findings["relapse"] = tracking.relapse
    findings["persisting"] = (findings["status"] == "persisting") & (findings["first_seen"] < as_of.isoformat())
    return tracking






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
    date_from: date | None,
    as_of: date,
    policy: Policy | None = None,
    holidays: Path | None = None,
    history_path: Path | None = None,
    engine: Engine = "pandas",
    unit: str | None = None,
    by_end: bool = False,
    executor: str = "local",
) -> AuditResult:
    """One audit. With `history_path`, findings are compared with the previous audit recorded there; the audit
    itself is recorded by `AuditResult.save_history` once its outputs are written. With `unit`, only that unit
    and the units under it are reported, and its history is its own. `by_end`: the monthly check (see Window).
    `executor`: "local", or "dask[://address]" to run the rules county by county on a Dask cluster."""
    address = None if executor == "local" else dask_address(executor)
    calendar = work_calendar(packs, holidays)
    window = {"date_from": date_from, "as_of": as_of, "calendar": calendar, "by_end": by_end}
    with Rules(packs, window) as rules:
        with pack_headers(all_headers(packs)):
            ledgers = read_ledgers(path, rules.typed if executor == "local" else None)
        scope = scope_unit(ledgers, unit) if unit else None
        if executor == "local":
            evaluation = rules.evaluate(ledgers)
        else:
            evaluation = evaluate_on_dask(ledgers, packs, **window, address=address)
    if scope is not None:
        inside = ledgers.units.subtree(scope)
        evaluation = evaluation.within(inside)
        ledgers.errors = ledgers.errors[ledgers.errors["unit"].isna() | isin(ledgers.errors["unit"], inside)]
    top = scope or ledgers.units.top
    tracking = track_history(evaluation, packs, date_from, as_of, top, history_path, by_end)
    plans = [p.id for p in packs if p.id != COMMON_PACK]
    refer = partial(build_referrals, evaluation.findings, ledgers, policy or load_policy(), as_of, plans, engine)
    referrals, doc = processes.beside(
        refer,
        partial(document, ledgers, packs, evaluation, date_from, as_of, path, tracking, scope),
        len(evaluation.findings) >= REFERRALS_APART_FROM,
    )
    return AuditResult(
        doc, referrals, ledgers, evaluation, history_path, None if tracking is None else tracking.resolved
    )

"""One audit end to end: read the ledgers, run the packs, resolve who answers, assemble the documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pandas as pd

from accountability import __version__, history, processes
from accountability.compliance import compliance
from accountability.engine import Evaluation, pack_window
from accountability.errors import AccountabilityError
from accountability.executors import dask_address, evaluate_on_dask
from accountability.ingest.files import read_ledger_set
from accountability.ingest.ledgerset import LedgerSet, OnTyped, build_ledger_set
from accountability.ingest.references import Directory
from accountability.packs import COMMON_PACK, Pack, all_headers
from accountability.policy import Policy, load_policy
from accountability.referral import Engine, build_referrals
from accountability.schema import pack_headers
from accountability.spare_core import Rules
from accountability.values import as_records, isin
from accountability.workdays import Overrides, WorkCalendar, load_overrides
from accountability.yamlfile import did_you_mean

FINDING_FIELDS = [
    "rule", "pack", "clause", "title", "quote", "severity", "unit", "unit_name", "period", "record", "message",
    "expected", "actual", "evidence", "responsible", "responsible_names", "provisional", "status", "first_seen",
    "relapse",
]  # fmt: skip
# Findings from which the referrals are worked out by a second process while this one assembles findings.json: a
# province's 20,000 findings take a second each way; below, a fork and the referrals sent back gain little.
REFERRALS_APART_FROM = 5_000
RESOLVED_FIELDS = ["rule", "pack", "title", "severity", "unit", "unit_name", "period", "record", "message",
                   "first_seen", "last_seen"]  # fmt: skip


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


def evidence(findings: pd.DataFrame, ledgers: LedgerSet) -> list[list[dict]]:
    """Each finding's evidence rows as {ledger, file, sheet, row, id}, so an inspector can open Excel at that row."""
    refs = findings["rows"].explode().dropna()
    if refs.empty:
        return [[] for _ in range(len(findings))]
    pairs = pd.DataFrame({"finding": refs.index, "ledger": [r[0] for r in refs], "index": [r[1] for r in refs]})
    parts = []
    for ledger, group in pairs.groupby("ledger", sort=False):
        rows = ledgers.locations[str(ledger)].reindex(group["index"].to_numpy())
        parts.append(
            pd.DataFrame(
                {
                    "finding": group["finding"].to_numpy(),
                    "ledger": ledger,
                    "file": rows["_file"].to_numpy(),
                    "sheet": rows["_sheet"].to_numpy(),
                    "row": rows["_row"].to_numpy(),
                    "id": rows["id"].to_numpy() if "id" in rows else None,
                }
            )
        )
    table = pd.concat(parts, ignore_index=True).astype(object)
    table = table.where(table.notna(), None)
    table["row"] = table["row"].map(lambda r: None if r is None else int(r))
    records = as_records(table.drop(columns="finding"))
    grouped: dict[int, list[dict]] = {}
    for finding, record in zip(table["finding"], records, strict=True):
        grouped.setdefault(int(finding), []).append(record)
    return [grouped.get(i, []) for i in range(len(findings))]


def _ledger_stats(ledgers: LedgerSet) -> list[dict]:
    rows = []
    for stat in ledgers.stats:
        for source in stat.files:
            rows.append(
                {
                    "ledger": stat.ledger,
                    "title": stat.title,
                    **source,
                    "rows_read": stat.rows_read,
                    "rows_used": stat.rows_used,
                    "rows_rejected": stat.rows_rejected,
                    "extra_headers": stat.extra_headers,
                }
            )
    return rows


def _data_errors(ledgers: LedgerSet) -> list[dict]:
    columns = ["ledger", "file", "sheet", "row", "column", "value", "reason", "fix", "rejected"]
    errors = ledgers.errors[columns].astype(object)
    errors = errors.where(errors.notna(), None)
    errors["row"] = errors["row"].map(int)
    errors["rejected"] = errors["rejected"].map(bool)
    return as_records(errors.sort_values(["ledger", "file", "row"], kind="stable"))


def document(
    ledgers: LedgerSet,
    packs: list[Pack],
    evaluation: Evaluation,
    date_from: date | None,
    as_of: date,
    path: Path,
    tracking: history.Tracking | None = None,
    scope: str | None = None,
) -> dict:
    """findings.json as INTERFACE.md lays it out."""
    findings = evaluation.findings.copy()
    people = ledgers.people.drop_duplicates("id")
    names = dict(zip(people["id"], people["name"], strict=True))  # a dict: a Series looked up per person is slow
    findings["evidence"] = evidence(findings, ledgers)
    findings["responsible_names"] = [
        [str(names.get(p, p)) for p in persons] + list(unnamed)
        for persons, unnamed in zip(findings["responsible"], findings["unnamed"], strict=True)
    ]
    progress = evaluation.progress[["rule", "pack", "title", "unit", "unit_name", "target", "actual", "deadline"]]
    start = date_from or plan_start(packs, as_of)
    return {
        "audit": {
            "program": "accountability",
            "version": __version__,
            "generated_at": datetime.now().isoformat(timespec="seconds"),
            "from": start.isoformat(),
            "as_of": as_of.isoformat(),
            "ledger_set": ledgers.name,
            "ledger_path": str(path),
            "top_unit": {"id": ledgers.units.top, "name": str(ledgers.units.name[ledgers.units.top])},
            "scope": None if scope is None else {"id": scope, "name": str(ledgers.units.name[scope])},
            "provisional": bool(evaluation.guessed_years),
            "history": None if tracking is None else {"path": str(tracking.path), "previous": tracking.previous},
            "calendar_unknown_years": evaluation.guessed_years,
            "packs": [
                {
                    "id": p.id,
                    "title": p.title,
                    "issuer": p.issuer,
                    "version": p.version,
                    **_effective(p, as_of),
                    "params": p.param_values(),
                    "param_titles": {name: param.title for name, param in p.params.items()},
                }
                for p in packs
            ],
            "ledgers": _ledger_stats(ledgers),
            "missing_ledgers": sorted(evaluation.missing),
            "file_problems": [
                {"file": p.file, "sheet": p.sheet, "message": p.message, "fix": p.fix} for p in ledgers.problems
            ],
        },
        "findings": as_records(findings[FINDING_FIELDS]),
        "progress": as_records(progress.astype(object)),
        "manual": evaluation.manual,
        "data_errors": _data_errors(ledgers),
        "resolved": [] if tracking is None else _resolved(tracking.resolved),
        "compliance": compliance(
            evaluation.findings,
            evaluation.judged,
            ledgers.units,
            start,
            as_of,
            {r.id: r.title for p in packs for r in p.rules},
        ),
    }


def _resolved(resolved: pd.DataFrame) -> list[dict]:
    """The previous audit's findings this audit no longer finds, as findings.json lists them."""
    return as_records(resolved.reindex(columns=RESOLVED_FIELDS).astype(object).fillna(""))


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


def _effective(pack: Pack, as_of: date) -> dict[str, str | None]:
    first, last = pack.span(as_of)
    return {"effective_from": first.isoformat(), "effective_to": last.isoformat() if last else None}


def plan_start(packs: list[Pack], as_of: date) -> date:
    """The earliest effective date of the plans audited (the shared rules have no plan date of their own)."""
    plans = [p for p in packs if p.id != COMMON_PACK] or packs
    return min(p.span(as_of)[0] for p in plans)


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

"""findings.json as docs/interface.md lays it out: the audit's parameters, findings with their evidence rows,
progress, the manual checklist, data errors and compliance."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

from accountability import __version__, history
from accountability.audit.compliance import compliance
from accountability.ingest.ledgerset import LedgerSet
from accountability.ingest.values import as_records
from accountability.language.periods import AuditWindow
from accountability.packs.model import COMMON_PACK, Pack
from accountability.run.engine import Evaluation
from accountability.tuning import DEFAULT_TUNING, Tuning

FINDING_FIELDS = [
    "id", "rule", "pack", "clause", "title", "quote", "severity", "unit", "unit_name", "period", "record", "message",
    "expected", "actual", "evidence", "responsible", "responsible_names", "provisional", "status", "first_seen",
    "relapse", "doubtful", "doubts", "waived",
]  # fmt: skip


RESOLVED_FIELDS = ["rule", "pack", "title", "severity", "unit", "unit_name", "period", "record", "message",
                   "first_seen", "last_seen"]  # fmt: skip


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
    """One entry per file (or sheet) read, with its own rows read, used, rejected and skipped."""
    rows = []
    for stat in ledgers.stats:
        for source in stat.files:
            rows.append({"ledger": stat.ledger, "title": stat.title, **source, "extra_headers": stat.extra_headers})
    return rows


def data_errors(ledgers: LedgerSet) -> list[dict]:
    """The cells that could not be read, as findings.json lists them (the workspace shows them on upload too)."""
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
    window: AuditWindow,
    path: Path,
    tracking: history.Tracking | None = None,
    scope: str | None = None,
    tuning: Tuning = DEFAULT_TUNING,
) -> dict:
    """findings.json as docs/interface.md lays it out."""
    findings = evaluation.findings.copy()
    people = ledgers.people.drop_duplicates("id")
    names = dict(zip(people["id"], people["name"], strict=True))  # a dict: a Series looked up per person is slow
    findings["evidence"] = evidence(findings, ledgers)
    findings["responsible_names"] = [
        [str(names.get(p, p)) for p in persons] + list(unnamed)
        for persons, unnamed in zip(findings["responsible"], findings["unnamed"], strict=True)
    ]
    progress = evaluation.progress[["rule", "pack", "title", "unit", "unit_name", "target", "actual", "deadline"]]
    as_of = window.as_of
    start = window.date_from or plan_start(packs, as_of)
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
                    "param_assumed": {name: param.note for name, param in p.params.items() if param.assumed},
                }
                for p in packs
            ],
            "ledgers": _ledger_stats(ledgers),
            "missing_ledgers": sorted(m for m in evaluation.missing if not ledgers.unreadable(m, named=True)),
            "unreadable_ledgers": sorted(m for m in evaluation.missing if ledgers.unreadable(m, named=True)),
            "file_problems": [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "ledger": p.ledger,
                    "unreadable": p.unreadable,
                    "message": p.message,
                    "fix": p.fix,
                }
                for p in ledgers.problems
            ],
            "skipped_rows": ledgers.skipped,
            "units": _units(ledgers, scope),
            "doubtful": int(findings["doubtful"].sum()),
            "waived": int(findings["waived"].notna().sum()),
        },
        "findings": as_records(findings[FINDING_FIELDS]),
        "progress": as_records(progress.astype(object)),
        "manual": evaluation.manual,
        "data_errors": data_errors(ledgers),
        "resolved": [] if tracking is None else _resolved(tracking.resolved),
        "compliance": compliance(
            evaluation.findings,
            evaluation.judged,
            ledgers.units,
            start,
            as_of,
            {r.id: r.title for p in packs for r in p.rules},
            tuning.matrix_rows,
        ),
    }


def _units(ledgers: LedgerSet, scope: str | None) -> list[dict]:
    """The unit register as audited ({id, name, level, parent}), so a county's letters can be drawn afterwards."""
    units = ledgers.units
    frame = units.frame if scope is None else units.frame.loc[units.subtree(scope)]
    table = frame[["id", "name", "level", "parent"]].astype(object)
    return as_records(table.where(table.notna(), None))


def _resolved(resolved: pd.DataFrame) -> list[dict]:
    """The previous audit's findings this audit no longer finds, as findings.json lists them."""
    return as_records(resolved.reindex(columns=RESOLVED_FIELDS).astype(object).fillna(""))


def _effective(pack: Pack, as_of: date) -> dict[str, str | None]:
    first, last = pack.span(as_of)
    return {"effective_from": first.isoformat(), "effective_to": last.isoformat() if last else None}


def plan_start(packs: list[Pack], as_of: date) -> date:
    """The earliest effective date of the plans audited (the shared rules have no plan date of their own)."""
    plans = [p for p in packs if p.id != COMMON_PACK] or packs
    return min(p.span(as_of)[0] for p in plans)

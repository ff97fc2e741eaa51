"""The audit use case, for every front: a validated request and one function that loads the packs and policy,
audits, writes the outputs and records the audit in its history. The command line calls it; the web workspace
runs the same command in a process of its own."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from accountability import history
from accountability.audit.pipeline import AuditResult, load_waivers, run_audit
from accountability.errors import AccountabilityError
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs
from accountability.packs.model import in_force
from accountability.referral.policy import load_policy
from accountability.referral.referrals import Engine
from accountability.report.letters import all_at_once
from accountability.report.outputs import FORMATS, write_outputs
from accountability.tuning import DEFAULT_TUNING, Tuning


class AuditRequest(BaseModel):
    """What one audit is asked to do, as the command line's options say it. `month` (its first and last day) is
    the monthly check and excludes `date_from` and `as_of`; `as_of` defaults to today; `history` None: no
    history read or recorded; `out` None: reports/<ledger set>/."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ledgers: Path
    packs: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    date_from: date | None = None
    as_of: date | None = None
    month: tuple[date, date] | None = None
    unit: str | None = None
    out: Path | None = None
    formats: tuple[str, ...] = FORMATS
    lang: Literal["zh", "en"] = "zh"
    holidays: Path | None = None
    history: Path | None = Path("reports") / "history.sqlite"
    referral_engine: Engine = "pandas"
    referral_policy: Path | None = None
    executor: str = "local"
    waivers: Path | None = None
    all_letters: bool = False

    @model_validator(mode="after")
    def _one_window(self) -> AuditRequest:
        if self.month and (self.date_from or self.as_of):
            raise AccountabilityError("--month 不能与 --from、--as-of 同时使用", fix="月度检查只写 --month 2025-09")
        window = self.window()
        if window.date_from and window.date_from > window.as_of:
            raise AccountabilityError(
                f"--from {window.date_from} 晚于 --as-of {window.as_of}", fix="起始日应不晚于截止日"
            )
        return self

    def window(self) -> AuditWindow:
        if self.month:
            return AuditWindow(self.month[0], self.month[1], by_end=True)
        return AuditWindow(self.date_from, self.as_of or date.today())


class AuditDone(BaseModel):
    """What an audit left: its result (without its typed ledgers, let go before the outputs) and the folder its
    outputs were written to."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    result: AuditResult
    out: Path
    files: list[Path]


def perform(request: AuditRequest, tuning: Tuning = DEFAULT_TUNING) -> AuditDone:
    """Load, audit, write, record: the history takes the audit only once every output is written, and holds its
    lock from the comparison to the record."""
    packs = load_packs(list(request.packs), list(request.settings))
    policy = load_policy(request.referral_policy)
    book_open = history.open_book(request.history) if request.history else nullcontext()
    with tuning.paused(), in_force(packs), book_open as book:
        result = run_audit(
            request.ledgers,
            packs,
            request.window(),
            policy,
            holidays=request.holidays,
            book=book,
            engine=request.referral_engine,
            unit=request.unit,
            executor=request.executor,
            tuning=tuning,
            waivers=load_waivers(request.waivers),
        )
        out = request.out or Path("reports") / result.ledgers.name
        letters = request.all_letters or all_at_once(result.doc, result.referrals, tuning)
        # The typed ledgers are in the doc and the referrals by now; let go, their memory serves the outputs: a
        # province's peak 2.4–2.5 GB → 2.0 GB (docs/performance.md).
        result = replace(result, ledgers=None)
        files = write_outputs(
            result.doc, result.referrals, out, request.formats, lang=request.lang, tuning=tuning, letters=letters
        )
        result.save_history()
    return AuditDone(result=result, out=out, files=files)

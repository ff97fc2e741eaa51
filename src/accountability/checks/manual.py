"""`manual` and `data`: rules the checker does not compute from a ledger row by row."""

from __future__ import annotations

from typing import Literal

from accountability.checks.registry import CheckContext, CheckResult, KindParams, check_kind


class ManualParams(KindParams):
    """No parameters: what no ledger can show goes on the inspector's checklist."""


@check_kind("manual", ManualParams, "{title}")
def manual(ctx: CheckContext, params: ManualParams) -> CheckResult:
    """Listed in the report as a checklist item for the inspector; never a finding."""
    return CheckResult()


class DataParams(KindParams):
    source: Literal["invalid_row", "duplicate_id", "ledger_missing", "role_unfilled"]


@check_kind("data", DataParams, "{detail}")
def data(ctx: CheckContext, params: DataParams) -> CheckResult:
    """Findings about the ledgers themselves, gathered while reading them, running rules and resolving roles."""
    return CheckResult(ctx.ledgers.data_findings(params.source))

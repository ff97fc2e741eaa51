"""`manual`: what no ledger can show, listed for the inspector."""

from __future__ import annotations

from accountability.checks.registry import CheckContext, CheckResult, KindParams, check_kind


class ManualParams(KindParams):
    """No parameters: what no ledger can show goes on the inspector's checklist."""


@check_kind("manual", ManualParams, "{title}")
def manual(ctx: CheckContext, params: ManualParams) -> CheckResult:
    """Listed in the report as a checklist item for the inspector; never a finding."""
    return CheckResult()

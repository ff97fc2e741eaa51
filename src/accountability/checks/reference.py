"""`reference`: ids a record names must exist in another ledger (a patrol's problem ids in the problems ledger)."""

from __future__ import annotations

from accountability.checks.common import RecordParams, record_findings, record_judged, records
from accountability.checks.favour import with_possible
from accountability.checks.registry import CheckContext, CheckResult, check_kind
from accountability.ingest.values import isin, item_counts, list_items


class ReferenceParams(RecordParams):
    COLUMN_FIELDS = ("unit", "date", "column")

    column: str
    target: str
    target_column: str = "id"
    empty_is_missing: bool = True
    unknown: str = "填写的编号在台账中不存在："

    def ledgers(self) -> list[str]:
        return [self.ledger, self.target]


@check_kind("reference", ReferenceParams, "{record}：{detail}")
def reference(ctx: CheckContext, params: ReferenceParams) -> CheckResult:
    """Records whose named ids are empty (when that counts as missing) or not found in the target ledger."""
    frame = records(ctx, params, params.date)
    # in the unit's favour, an id may be on a row of the target that could not be read
    target = with_possible(ctx, ctx.ledgers.frame(params.target), params.target, None)
    known = set(target[params.target_column].dropna().astype(str))
    named = list_items(frame[params.column])
    unknown = named[~isin(named, known)]
    listed = unknown.groupby(level=0).agg("、".join)
    empty = item_counts(frame[params.column]).eq(0)
    detail = (params.unknown + listed).reindex(frame.index)
    if params.empty_is_missing:
        detail = detail.mask(empty, "未填写编号")
    failing = frame[detail.notna()]
    return CheckResult(
        record_findings(
            ctx, params, failing, detail=detail[failing.index], expected="编号存在", actual=detail[failing.index]
        ),
        judged=record_judged(ctx, params, frame),
    )

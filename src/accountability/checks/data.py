"""The `data` kind: findings about the ledgers themselves (DATA-*), every source in this one module. Rows that
could not be read and duplicate ids come from typing (ingest); absent ledgers from running the rules; unfilled roles
from resolving who answers (run.roles). Each source builds its findings frame here; the engine labels them with
their rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

from accountability.checks.columns import FINDING_COLUMNS, findings_frame
from accountability.checks.registry import CheckContext, CheckResult, KindParams, check_kind
from accountability.contract.schema import ledger_specs

if TYPE_CHECKING:
    from accountability.ingest.ledgerset import LedgerSet

ROLE_LABELS = ledger_specs()["people"].column("roles").value_labels


class DataParams(KindParams):
    source: Literal["invalid_row", "duplicate_id", "ledger_missing", "role_unfilled"]


@check_kind("data", DataParams, "{detail}")
def data(ctx: CheckContext, params: DataParams) -> CheckResult:
    """Findings about the ledgers themselves, gathered while reading them, running rules and resolving roles."""
    read = READ_SOURCES.get(params.source)
    return CheckResult(read(ctx.ledgers) if read else findings_frame(pd.DataFrame(columns=FINDING_COLUMNS)))


def invalid_rows(ledgers: LedgerSet) -> pd.DataFrame:
    errors = ledgers.errors
    if errors.empty:
        return findings_frame(pd.DataFrame())
    errors = errors.assign(
        unit=errors["unit"].fillna(ledgers.units.top),
        record=errors["record"].fillna(errors["file"] + " 第" + errors["row"].astype(str) + "行"),
        text=errors["column"] + "「" + errors["value"] + "」" + errors["reason"],
        ref=list(zip(errors["ledger"], errors["_index"], strict=True)),
    )
    grouped = errors.groupby(["unit", "record"], sort=False)
    out = grouped.agg(
        detail=("text", "；".join),
        rejected=("rejected", "any"),
        rows=("ref", lambda refs: list(dict.fromkeys(refs))),
    ).reset_index()
    out["expected"] = "可读取"
    out["actual"] = out["rejected"].map({True: "整行未采用", False: "该格未采用"})
    return findings_frame(out)


def duplicate_ids(ledgers: LedgerSet) -> pd.DataFrame:
    found = []
    for ledger, frame in ledgers.frames.items():
        if "id" not in frame:
            continue
        dup = frame[frame["id"].notna() & frame["id"].duplicated(keep=False)]
        if dup.empty:
            continue
        grouped = dup.groupby("id", sort=False)
        out = grouped.agg(unit=("unit", "first") if "unit" in dup else ("id", "first"), count=("id", "size"))
        out["rows"] = grouped.apply(lambda g, led=ledger: [(led, i) for i in g.index], include_groups=False)
        out = out.reset_index().rename(columns={"id": "record"})
        if "unit" not in dup:
            out["unit"] = ledgers.units.top
        out["unit"] = out["unit"].fillna(ledgers.units.top)
        title = ledger_specs()[ledger].title
        out["detail"] = title + "中编号「" + out["record"] + "」出现 " + out["count"].astype(str) + " 次"
        out["expected"] = "1"
        out["actual"] = out["count"].astype(str)
        found.append(out)
    return findings_frame(pd.concat(found) if found else pd.DataFrame())


def ledger_missing(missing: dict[str, list[str]], ledgers: LedgerSet) -> pd.DataFrame:
    """DATA-LEDGER-MISSING: one finding per absent ledger, naming the rules it kept from running; a ledger whose
    files were seen but could not be read is named as unreadable, with those files, never as missing."""
    specs = ledger_specs()
    details, actual = [], []
    for key, rules in missing.items():
        files = "、".join(dict.fromkeys(p.file for p in ledgers.unreadable(key, named=True)))
        if files:
            details.append(f"「{specs[key].title}」（{key}）的文件 {files} 无法读取，未能检查：{'、'.join(rules)}")
        else:
            details.append(f"缺少「{specs[key].title}」（{key}），未能检查：{'、'.join(rules)}")
        actual.append("无法读取" if files else "缺失")
    out = pd.DataFrame(
        {"unit": ledgers.units.top, "record": list(missing), "detail": details, "expected": "已提供", "actual": actual}
    )
    return findings_frame(out)


def role_unfilled(unfilled: pd.DataFrame, ledgers: LedgerSet) -> pd.DataFrame:
    """DATA-ROLE-UNFILLED: a role of a unit that nobody in the people register holds."""
    names = ledgers.units.names(unfilled["unit"].astype("string"))
    out = pd.DataFrame(
        {
            "unit": unfilled["unit"].to_numpy(),
            "record": unfilled["role"].to_numpy(),
            "detail": (
                names + " 无人担任「" + unfilled["role"].map(ROLE_LABELS) + "」，请在责任人名册中明确担任人"
            ).to_numpy(),
            "expected": "有人担任",
            "actual": "无人",
        }
    )
    return findings_frame(out)


# The sources found while typing the ledgers; the engine builds the others as it runs.
READ_SOURCES = {"invalid_row": invalid_rows, "duplicate_id": duplicate_ids}

"""Referrals: one per responsible person, with the firmest disposition the policy gives any of their findings,
the step-ups that raised it, and what the plan says for that step."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd

from accountability import escalation
from accountability.errors import AccountabilityError
from accountability.ingest.ledgerset import LedgerSet
from accountability.policy import Policy
from accountability.report.labels import label, severity_labels

Engine = Literal["pandas", "rete"]
ENGINES = ("pandas", "rete")
FINDING_KEYS = ["rule", "pack", "unit", "period", "record", "clause", "severity", "status", "first_seen"]


def _evaluate(table: pd.DataFrame, policy: Policy, engine: Engine) -> tuple[pd.Series, pd.DataFrame]:
    if engine == "pandas":
        return escalation.evaluate(table, policy)
    try:
        from accountability import rete
    except ImportError as exc:
        raise AccountabilityError(
            "Rete 后端需要 durable-rules，本机未安装",
            fix='pip install "accountability[rete]"（Python 3.12 及以下），或去掉 --referral-engine rete',
        ) from exc
    return rete.evaluate(table, policy)


def _reason(row: dict, count: int, rules: list[str], policy: Policy, basis: str) -> str:
    """Why this disposition: how many findings, the one that decides, its base step, the step-ups, the clause."""
    severity = severity_labels("zh")
    where = "，".join(part for part in (row["period"], row["record"]) if part)
    text = (
        f"{count} 项问题（{'、'.join(rules[:5])}{'等' if len(rules) > 5 else ''}）；"
        f"最重：{row['rule']}「{row['title']}」（{row['clause']}，{label(severity, row['severity'])}"
        f"{'，' + where if where else ''}），基础处置为{policy.label(policy.codes[row['base']])}"
    )
    if row["step_ups"]:
        labels = "、".join(s.label for s in policy.step_ups if s.id in row["step_ups"])
        text += f"，因{labels}上调"
    return text + f" → {policy.label(policy.codes[row['rank']])}；依据 {basis}"


def build_referrals(
    findings: pd.DataFrame,
    ledgers: LedgerSet,
    policy: Policy,
    as_of: date,
    plans: list[str],
    engine: Engine = "pandas",
) -> list[dict]:
    """One referral per person (roster id, or a name written in a ledger that matches nobody). `plans` are the
    plan packs audited: the shared rules' findings cite them."""
    if findings.empty:
        return []
    table = escalation.facts(findings, ledgers, policy, as_of)
    if table.empty:
        return []
    base, applies = _evaluate(table, policy, engine)
    table["base"] = base
    table["rank"] = escalation.combine(base, applies, policy)
    table["step_ups"] = [list(applies.columns[row]) for row in applies.to_numpy(dtype=bool)]
    detail = findings[["title", "unit", "period", "record", "clause", "status", "first_seen"]]
    table = table.join(detail, on="finding")
    person = escalation.PERSON
    top = table.sort_values(["rank", "finding"], ascending=[False, True], kind="stable").drop_duplicates(person)
    listed = table.sort_values([*person, "finding"], kind="stable")
    records = listed[FINDING_KEYS].assign(
        disposition=[policy.codes[r] for r in listed["rank"]], step_ups=listed["step_ups"].to_numpy()
    )
    groups = dict(iter(records.groupby([listed["key"], listed["named"]], sort=False)))
    people = ledgers.people.drop_duplicates("id").set_index("id")
    referrals = []
    for row in top.to_dict("records"):
        mine = groups[(row["key"], row["named"])]
        named = bool(row["named"]) and row["key"] in people.index
        person_row = people.loc[row["key"]] if named else None
        unit = str(person_row["unit"]) if named and not pd.isna(person_row["unit"]) else str(row["unit"])
        rules = list(dict.fromkeys(mine["rule"]))
        code = policy.codes[row["rank"]]
        basis = policy.citation_text(code, [row["pack"]] if row["pack"] in policy.citations else plans)
        referrals.append(
            {
                "person": row["key"] if row["named"] else None,
                "name": str(person_row["name"]) if named and not pd.isna(person_row["name"]) else row["key"],
                "unit": unit,
                "unit_name": str(ledgers.units.name.get(unit, unit)),
                "position": "" if not named or pd.isna(person_row["position"]) else str(person_row["position"]),
                "disposition": code,
                "disposition_label": policy.label(code),
                "base": policy.codes[row["base"]],
                "step_ups": [{"id": s.id, "label": s.label} for s in policy.step_ups if s.id in row["step_ups"]],
                "basis": basis,
                "reason": _reason(row, len(mine), rules, policy, basis)
                + ("" if row["named"] else "；该姓名未在责任人名册中登记"),
                "findings": mine.to_dict("records"),
            }
        )
    return sorted(referrals, key=lambda r: (-policy.rank(r["disposition"]), r["unit"], r["name"]))

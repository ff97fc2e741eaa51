"""Referrals: one per responsible person, with the firmest disposition the policy gives any of their findings,
the step-ups that raised it, and what the plan says for that step."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd

from accountability.errors import AccountabilityError
from accountability.ingest.ledgerset import LedgerSet
from accountability.ingest.values import as_records
from accountability.packs.model import COMMON_PACK, SEVERITY_LABELS, Pack
from accountability.referral import clauses, escalation
from accountability.referral.policy import Citation, Policy

Engine = Literal["pandas", "rete"]
ENGINES = ("pandas", "rete")
FINDING_KEYS = ["rule", "pack", "unit", "period", "record", "clause", "severity", "status", "first_seen"]


def _evaluate(table: pd.DataFrame, policy: Policy, engine: Engine) -> tuple[pd.Series, pd.DataFrame]:
    if engine == "pandas":
        return escalation.evaluate(table, policy)
    try:
        from accountability.referral import rete
    except ImportError as exc:
        raise AccountabilityError(
            "Rete 后端需要 durable-rules，本机未安装",
            fix='pip install "accountability[rete]"（Python 3.12 及以下），或去掉 --referral-engine rete',
        ) from exc
    return rete.evaluate(table, policy)


def _reason(top: dict, mine: list[dict], policy: Policy, basis: str) -> str:
    """Why this disposition: how many findings, the one that decides, its base step, the step-ups (with the periods
    of that rule they raised, so a run of weeks is named), the clause."""
    rules = list(dict.fromkeys(f["rule"] for f in mine))
    where = "，".join(part for part in (top["period"], top["record"]) if part)
    text = (
        f"{len(mine)} 项问题（{'、'.join(rules[:5])}{'等' if len(rules) > 5 else ''}）；"
        f"最重：{top['rule']}「{top['title']}」（{top['clause']}，{SEVERITY_LABELS[top['severity']][0]}"
        f"{'，' + where if where else ''}），基础处置为{policy.label(policy.codes[top['base']])}"
    )
    if top["step_ups"]:
        labels = "、".join(s.label for s in policy.step_ups if s.id in top["step_ups"])
        raised = [f["period"] for f in mine if f["rule"] == top["rule"] and f["step_ups"] and f["period"]]
        periods = f"（{'、'.join(dict.fromkeys(raised))}）" if len(raised) > 1 else ""
        text += f"，因{labels}{periods}上调" if top["ladder"] > top["base"] else f"（{labels}，已不低于该档）"
    if top["rank"] != top["ladder"]:
        way = "至少" if top["rank"] > top["ladder"] else "至多"
        text += f"，方案问责条款规定{way}为{policy.label(policy.codes[top['rank']])}"
    return text + f" → {policy.label(policy.codes[top['rank']])}；依据 {basis}"


def _people(keys: pd.DataFrame, ledgers: LedgerSet) -> pd.DataFrame:
    """Name, unit and position of each (key, named) in order; a name that matches nobody keeps itself as name."""
    roster = ledgers.people.drop_duplicates("id").set_index("id")[["name", "unit", "position"]]
    found = roster.reindex(keys["key"].where(keys["named"])).reset_index(drop=True)
    found = found.astype(object).where(found.notna(), None)
    return found.assign(name=[n if n is not None else k for n, k in zip(found["name"], keys["key"], strict=True)])


def build_referrals(
    findings: pd.DataFrame,
    ledgers: LedgerSet,
    policy: Policy,
    as_of: date,
    packs: list[Pack],
    engine: Engine = "pandas",
) -> list[dict]:
    """One referral per person (roster id, or a name written in a ledger that matches nobody). `packs` are the
    packs audited: each plan's accountability clauses bound its findings' dispositions (clauses.py), and a shared
    rule's finding answers under the plan audited."""
    # doubtful: the ledgers cannot carry them (Trust); waived: an approved 情况说明 in force covers them
    kept = ~findings["doubtful"].to_numpy(dtype=bool)
    if "waived" in findings:
        kept &= findings["waived"].isna().to_numpy()
    findings = findings[kept]
    if findings.empty:
        return []
    table = escalation.facts(findings, ledgers, policy, as_of)
    if table.empty:
        return []
    base, applies = _evaluate(table, policy, engine)
    table["base"] = base
    table["ladder"] = escalation.combine(base, applies, policy)
    plans = [p for p in packs if p.id != COMMON_PACK]
    tags = {rule.id: rule.tags for pack in packs for rule in pack.rules}
    table = clauses.bound(table.assign(rank=table["ladder"]), plans, tags, policy)
    ids = [s.id for s in policy.step_ups]
    table["step_ups"] = [[i for i, hit in zip(ids, row, strict=True) if hit] for row in applies[ids].to_numpy(bool)]
    table["disposition"] = [policy.codes[r] for r in table["rank"]]
    shown = ["title", "unit", "period", "record", "clause", "quote", "status", "first_seen"]
    table = table.join(findings[[c for c in shown if c in findings]], on="finding")
    table["clause"] = clauses.own_clause(table["clause"], table["plan"], policy)
    person = escalation.PERSON
    listed = table.sort_values([*person, "finding"], kind="stable")
    records = as_records(listed[[*FINDING_KEYS, "disposition", "step_ups"]])
    sizes = listed.groupby(person, sort=False).size()
    ends = sizes.cumsum()
    spans = dict(zip(sizes.index, zip(ends - sizes, ends, strict=True), strict=True))  # each person's records
    top = table.sort_values(["rank", "finding"], ascending=[False, True], kind="stable").drop_duplicates(person)
    top = top.reset_index(drop=True)
    people = _people(top[person], ledgers)
    unit_names = ledgers.units.name.to_dict()
    by_id = {p.id: p for p in plans}
    referrals = []
    for row, who in zip(as_records(top), as_records(people), strict=True):
        start, end = spans[(row["key"], row["named"])]
        mine = records[start:end]
        unit = str(who["unit"] or row["unit"])
        code = row["disposition"]
        plan = by_id.get(row["plan"])
        decided = plan is not None and row["clause_at"] != clauses.NO_CLAUSE
        citations = policy.citations.get(row["plan"])
        cited = plan.accountability[row["clause_at"]] if decided else citations.for_step(code) if citations else None
        if decided:
            basis = clauses.clause_text(plan, row["clause_at"], policy)
        elif cited is None and plan is not None:
            # a plan that names no accountability for this: the letter cites the duty the plan sets, in its own
            # words, and the disposition is the shared ladder's (rules/referral.yaml); a shared rule's duty is not
            # the plan's sentence, so it is said to be the ladder's alone
            own = row["rule"] in {rule.id for rule in plan.rules} and row.get("quote")
            cited = Citation(clause=str(row["clause"]), quote=str(row["quote"])) if own else None
            basis = (
                f"《{plan.title}》{cited.clause}“{cited.quote}”"
                if cited
                else f"通用问责处置规则（《{plan.title}》未写此项的问责）"
            )
        else:
            basis = policy.citation_text(code, [row["plan"]])
        referrals.append(
            {
                "person": row["key"] if row["named"] else None,
                "name": str(who["name"]),
                "unit": unit,
                "unit_name": str(unit_names.get(unit, unit)),
                "position": str(who["position"] or ""),
                "disposition": code,
                "disposition_label": policy.label(code),
                "base": policy.codes[row["base"]],
                "step_ups": [{"id": s.id, "label": s.label} for s in policy.step_ups if s.id in row["step_ups"]],
                "basis": basis,
                "plan": row["plan"],
                "basis_clause": cited.clause if cited else "",
                "basis_quote": cited.quote if cited else "",
                "reason": _reason(row, mine, policy, basis) + ("" if row["named"] else "；该姓名未在责任人名册中登记"),
                "findings": mine,
            }
        )
    return sorted(referrals, key=lambda r: (-policy.rank(r["disposition"]), r["unit"], r["name"]))

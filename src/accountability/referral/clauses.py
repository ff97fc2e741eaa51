"""The plans' own accountability sentences (a pack's `accountability:`): the bounds each sets on the disposition of
the findings it governs, inside which the shared ladder and step-ups work, and the plan a finding answers under.

A finding of a plan's rule answers under that plan. A finding of a shared rule (INT-*, DATA-*) answers under the
plan audited; with several plans audited, under the one that leaves it mildest (the reading a careful auditor can
defend before the person named). Where clauses disagree, the milder bound wins."""

from __future__ import annotations

import pandas as pd

from accountability.packs.model import AccountabilityClause, Pack
from accountability.referral.policy import Policy

NO_CLAUSE = -1


def _governed(clause: AccountabilityClause, rules: pd.Series, tags: dict[str, list[str]]) -> pd.Series:
    """Which facts' rules the clause governs, decided once per distinct rule."""
    names = [rule for rule in rules.unique() if clause.governs(rule, tags.get(rule, []))]
    return rules.isin(names)


def bound(table: pd.DataFrame, plans: list[Pack], tags: dict[str, list[str]], policy: Policy) -> pd.DataFrame:
    """Per fact (the table's rows, with `rule`, `pack` and the ladder's `rank`): `plan`, the disposition `rank`
    within the plan's bounds, and `clause`, the position in that plan's `accountability` of the clause that set it
    (NO_CLAUSE: none did, the ladder's step stands)."""
    ids = [p.id for p in plans]
    own = table["pack"].isin(ids)
    facts = pd.concat(
        [
            table[own].assign(plan=table.loc[own, "pack"]),
            *(table[~own].assign(plan=plan) for plan in ids),
        ]
    )
    if facts.empty:
        return table.assign(plan=table["pack"], clause_at=NO_CLAUSE)
    top = len(policy.codes) - 1
    lower = pd.Series(0, index=range(len(facts)))
    upper = pd.Series(top, index=range(len(facts)))
    raises = pd.Series(NO_CLAUSE, index=range(len(facts)))
    caps = pd.Series(NO_CLAUSE, index=range(len(facts)))
    rules, plan_of = facts["rule"].reset_index(drop=True), facts["plan"].reset_index(drop=True)
    for pack in plans:
        for position, clause in enumerate(pack.accountability):
            hit = _governed(clause, rules, tags) & (plan_of == pack.id)
            if clause.at_least is not None:
                floor = policy.rank(clause.at_least)
                firmer = hit & (floor > lower)
                lower, raises = lower.where(~firmer, floor), raises.where(~firmer, position)
            if clause.at_most is not None:
                ceiling = policy.rank(clause.at_most)
                milder = hit & (ceiling < upper)
                upper, caps = upper.where(~milder, ceiling), caps.where(~milder, position)
    ladder = facts["rank"].reset_index(drop=True)
    rank = ladder.clip(lower=lower).clip(upper=upper)
    # the clause that moved the disposition sets it; where none moved it, one whose bound it stands at
    clause = pd.Series(NO_CLAUSE, index=rank.index)
    for chosen, holds in [
        (caps, (rank == upper) & (caps != NO_CLAUSE)),
        (raises, (rank == lower) & (raises != NO_CLAUSE)),
        (raises, (ladder < rank) & (raises != NO_CLAUSE)),
        (caps, (ladder > rank) & (caps != NO_CLAUSE)),
    ]:
        clause = clause.where(~holds, chosen)
    facts = facts.assign(rank=rank.to_numpy(), clause_at=clause.to_numpy())
    facts["_order"] = range(len(facts))
    mildest = facts.sort_values(["rank", "_order"], kind="stable")
    chosen = mildest[~mildest.index.duplicated(keep="first")].drop(columns="_order")
    return chosen.reindex(table.index)


def clause_text(plan: Pack, position: int, policy: Policy) -> str:
    """`HJ 五(三)“……”`: the clause of `plan` at `position`, as a basis cites it."""
    clause = plan.accountability[position]
    citations = policy.citations.get(plan.id)
    return (
        f"{citations.short} {clause.clause}“{clause.quote}”"
        if citations
        else f"《{plan.title}》{clause.clause}“{clause.quote}”"
    )


def own_clause(clauses: pd.Series, plans: pd.Series, policy: Policy) -> pd.Series:
    """A shared rule's clause lists each plan's (`YH 四(四)；HJ 五(三)`); a finding answering under one plan cites
    that plan's entry only, where the list has one."""
    shorts = plans.map({plan: c.short for plan, c in policy.citations.items()})
    pairs = pd.DataFrame({"clause": clauses.astype(str), "short": shorts}).drop_duplicates().dropna()
    picked = {}
    for text, short in zip(pairs["clause"], pairs["short"], strict=True):
        entries = [e.strip() for e in text.split("；") if e.strip().startswith(f"{short} ")]
        picked[(text, short)] = entries[0] if entries else text
    keys = pd.Series(list(zip(clauses.astype(str), shorts, strict=True)), index=clauses.index)
    mapped = keys.map(picked).astype(object)
    return mapped.where(mapped.notna(), clauses)

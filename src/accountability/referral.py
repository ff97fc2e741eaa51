"""Referrals: one per responsible person, with the firmest disposition the policy (rules/referral.yaml) gives."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from accountability.ingest.ledgerset import LedgerSet
from accountability.resources import resource_dir
from accountability.yamlfile import YamlDocument

Code = Literal["reminder", "interview", "notice", "discipline", "judicial"]


class Disposition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    label: str
    clause: str


class Policy(BaseModel):
    """The disposition ladder, the base step per severity, and rules that go straight to a step."""

    model_config = ConfigDict(extra="forbid")

    dispositions: list[Disposition]
    severity: dict[Literal["low", "medium", "high"], Code]
    rule_prefix: dict[str, Code] = {}

    def rank(self, code: str) -> int:
        return [d.code for d in self.dispositions].index(code)

    def label(self, code: str) -> str:
        return self.dispositions[self.rank(code)].label

    def clause(self, code: str) -> str:
        return self.dispositions[self.rank(code)].clause


def load_policy(path: Path | None = None) -> Policy:
    doc = YamlDocument(path or resource_dir("rules") / "referral.yaml")
    try:
        return Policy.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise doc.error(
            tuple(err["loc"]), f"问责处置规则有误：{err['msg']}", "参照 rules/referral.yaml 的格式修改"
        ) from exc


def dispositions(findings: pd.DataFrame, policy: Policy) -> pd.Series:
    """The step each finding earns: the severity's base, raised by a matching rule prefix."""
    ranks = findings["severity"].map(lambda s: policy.rank(policy.severity[s]))
    for prefix, code in policy.rule_prefix.items():
        ranks = ranks.where(~findings["rule"].str.startswith(prefix), ranks.clip(lower=policy.rank(code)))
    return ranks


def build_referrals(findings: pd.DataFrame, ledgers: LedgerSet, policy: Policy) -> list[dict]:
    """One referral per person (roster id, or a name written in a ledger that matches nobody)."""
    if findings.empty:
        return []
    findings = findings.assign(rank=dispositions(findings, policy))
    by_id = findings[["responsible"]].explode("responsible").dropna().rename(columns={"responsible": "key"})
    by_name = findings[["unnamed"]].explode("unnamed").dropna().rename(columns={"unnamed": "key"})
    pairs = pd.concat([by_id.assign(named=True), by_name.assign(named=False)])
    if pairs.empty:
        return []
    pairs = pairs.join(findings[["rule", "clause", "title", "severity", "unit", "period", "record", "rank"]])
    people = ledgers.people.set_index("id")
    units = ledgers.units
    referrals = []
    for (key, named), group in pairs.groupby(["key", "named"], sort=False):
        top = group.sort_values("rank", ascending=False, kind="stable").iloc[0]
        code = policy.dispositions[int(top["rank"])].code
        person = people.loc[key] if named and key in people.index else None
        unit = str(person["unit"]) if person is not None else str(top["unit"])
        rules = list(dict.fromkeys(group["rule"]))
        reason = (
            f"{len(group)} 项问题（{'、'.join(rules[:5])}{'等' if len(rules) > 5 else ''}）；"
            f"最重：{top['rule']}「{top['title']}」（{top['clause']}，{top['severity']}）→ {policy.label(code)}"
            f"，依据 {policy.clause(code)}"
        )
        if not named:
            reason += "；该姓名未在责任人名册中登记"
        referrals.append(
            {
                "person": str(key) if named else None,
                "name": str(person["name"]) if person is not None else str(key),
                "unit": unit,
                "unit_name": str(units.name.get(unit, unit)),
                "position": "" if person is None or pd.isna(person.get("position")) else str(person["position"]),
                "disposition": code,
                "disposition_label": policy.label(code),
                "reason": reason,
                "findings": group[["rule", "unit", "period", "record", "clause", "severity"]].to_dict("records"),
            }
        )
    rank = {d.code: i for i, d in enumerate(policy.dispositions)}
    return sorted(referrals, key=lambda r: (-rank[r["disposition"]], r["unit"], r["name"]))

"""Referrals: one per responsible person, with the firmest disposition the policy (rules/referral.yaml) gives."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from accountability.ingest.ledgerset import LedgerSet
from accountability.report.labels import label, severity_labels
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
    """One referral per person (roster id, or a name written in a ledger that matches nobody), grouped at once."""
    if findings.empty:
        return []
    findings = findings.assign(rank=dispositions(findings, policy))
    by_id = findings[["responsible"]].explode("responsible").dropna().rename(columns={"responsible": "key"})
    by_name = findings[["unnamed"]].explode("unnamed").dropna().rename(columns={"unnamed": "key"})
    pairs = pd.concat([by_id.assign(named=True), by_name.assign(named=False)])
    if pairs.empty:
        return []
    pairs = pairs.join(findings[["rule", "clause", "title", "severity", "unit", "period", "record", "rank"]])
    pairs["key"] = pairs["key"].astype(str)
    pairs["order"] = range(len(pairs))
    person_keys = ["key", "named"]
    top = pairs.sort_values(["rank", "order"], ascending=[False, True], kind="stable").drop_duplicates(person_keys)
    top = top.set_index(person_keys)
    rules = pairs.drop_duplicates([*person_keys, "rule"]).groupby(person_keys, sort=False)["rule"].agg(list)
    listed = pairs.sort_values([*person_keys, "order"], kind="stable")
    records = listed[["rule", "unit", "period", "record", "clause", "severity"]].to_dict("records")
    sizes = listed.groupby(person_keys, sort=False).size()
    ends = sizes.cumsum()
    starts = ends - sizes
    people = ledgers.people.drop_duplicates("id").set_index("id")
    people = people.reindex(top.index.get_level_values("key").where(top.index.get_level_values("named")))
    codes = [policy.dispositions[int(rank)].code for rank in top["rank"]]
    severity = severity_labels("zh")
    referrals = []
    for (key, named), row, person, code in zip(top.index, top.itertuples(), people.itertuples(), codes, strict=True):
        first, last = starts[(key, named)], ends[(key, named)]
        unit = str(person.unit) if named and not pd.isna(person.unit) else str(row.unit)
        names = rules[(key, named)]
        reason = (
            f"{last - first} 项问题（{'、'.join(names[:5])}{'等' if len(names) > 5 else ''}）；"
            f"最重：{row.rule}「{row.title}」（{row.clause}，{label(severity, row.severity)}）"
            f"→ {policy.label(code)}，依据 {policy.clause(code)}"
        )
        referrals.append(
            {
                "person": key if named else None,
                "name": str(person.name) if named and not pd.isna(person.name) else key,
                "unit": unit,
                "unit_name": str(ledgers.units.name.get(unit, unit)),
                "position": "" if not named or pd.isna(person.position) else str(person.position),
                "disposition": code,
                "disposition_label": policy.label(code),
                "reason": reason + ("" if named else "；该姓名未在责任人名册中登记"),
                "findings": records[first:last],
            }
        )
    rank = {d.code: i for i, d in enumerate(policy.dispositions)}
    return sorted(referrals, key=lambda r: (-rank[r["disposition"]], r["unit"], r["name"]))

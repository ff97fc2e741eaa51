"""The referral policy (rules/referral.yaml) as validated data: the ladder, the base step per severity, the
step-ups, and what each plan says for each step."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accountability.contract.yamlfile import YamlDocument
from accountability.language.conditions import Condition
from accountability.packs.loading import validation_error
from accountability.packs.model import Code
from accountability.packs.quotes import plan_texts, quote_error, quoted
from accountability.resources import resource_dir

Severity = Literal["low", "medium", "high"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Disposition(_Strict):
    code: Code
    label: str


class EvidenceMatch(_Strict):
    """A ledger row behind the finding that meets `where` (e.g. an adit whose seal was broken)."""

    ledger: str
    where: list[Condition] = Field(min_length=1)


class Trigger(_Strict):
    """One `when` entry of a step-up: every key given must hold."""

    rule_prefix: str | None = None
    consecutive_periods: int | None = Field(None, ge=2)
    persisting: bool | None = None
    relapse: bool | None = None
    evidence: EvidenceMatch | None = None

    @model_validator(mode="after")
    def _something(self) -> Trigger:
        if not self.model_fields_set:
            raise ValueError(
                "when 的每一项至少写一个条件：rule_prefix、consecutive_periods、persisting、relapse、evidence"
            )
        return self


class ExampleFinding(_Strict):
    """One (person, finding) of a policy example and the disposition it must earn."""

    person: str
    rule: str
    severity: Severity
    period: str = ""
    persisting: bool = False
    relapse: bool = False
    evidence: bool = False  # a ledger row behind the finding meets the step-up's `evidence` conditions
    expect: Code


class PolicyExample(_Strict):
    name: str
    findings: list[ExampleFinding] = Field(min_length=1)


class StepUp(_Strict):
    id: str
    label: str
    when: list[Trigger] = Field(min_length=1)
    steps: int = Field(0, ge=0)
    to: Code | None = None
    examples: list[PolicyExample] = []

    @model_validator(mode="after")
    def _moves(self) -> StepUp:
        if not self.steps and self.to is None:
            raise ValueError(f"上调情形 {self.id} 应写 steps（上调几档）或 to（至少到哪一档）")
        return self


class Citation(_Strict):
    clause: str
    quote: str


class PlanCitations(_Strict):
    """What one plan says for each step; a step it does not name cites `general`."""

    source: str
    short: str
    general: Citation
    reminder: Citation | None = None
    interview: Citation | None = None
    notice: Citation | None = None
    discipline: Citation | None = None
    judicial: Citation | None = None

    def for_step(self, code: str) -> Citation:
        return getattr(self, code) or self.general


class Policy(_Strict):
    dispositions: list[Disposition] = Field(min_length=1)
    base: dict[Severity, Code]
    ceiling: Code
    step_ups: list[StepUp] = []
    citations: dict[str, PlanCitations] = {}
    examples: list[PolicyExample] = []

    @model_validator(mode="after")
    def _ladder(self) -> Policy:
        codes = [d.code for d in self.dispositions]
        expected = [f.expect for s in self.step_ups for e in s.examples for f in e.findings]
        expected += [f.expect for e in self.examples for f in e.findings]
        named = [*self.base.values(), self.ceiling, *(s.to for s in self.step_ups if s.to), *expected]
        missing = sorted({c for c in named if c not in codes})
        if missing:
            raise ValueError(f"处置 {'、'.join(missing)} 不在 dispositions 中")
        if set(self.base) != {"low", "medium", "high"}:
            raise ValueError("base 应为 low、medium、high 各写一档处置")
        return self

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self.dispositions]

    def rank(self, code: str) -> int:
        return self.codes.index(code)

    def label(self, code: str) -> str:
        return self.dispositions[self.rank(code)].label

    def citation_text(self, code: str, packs: list[str]) -> str:
        """`HJ 五(三)“……”` for each plan named (the shared rules' findings name every plan audited)."""
        parts = []
        for pack in packs:
            plan = self.citations.get(pack)
            if plan is not None:
                cite = plan.for_step(code)
                parts.append(f"{plan.short} {cite.clause}“{cite.quote}”")
        return "；".join(parts) or "各方案问责条款"


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate the policy; each quote must stand word for word in its plan's text."""
    doc = YamlDocument(path or resource_dir("rules") / "referral.yaml")
    try:
        policy = Policy.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(doc, exc, guide="参照 rules/referral.yaml 的格式和注释修改") from exc
    for pack, plan in policy.citations.items():
        texts = plan_texts(doc, [plan.source], ("citations", pack, "source"))
        for step in ("general", *policy.codes):
            cite = getattr(plan, step, None)
            if cite is not None and not quoted(cite.quote, texts):
                raise quote_error(doc, ("citations", pack, step, "quote"), f"{pack} 的「{step}」", cite.quote, texts)
    return policy

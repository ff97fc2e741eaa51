"""Every rule's own examples (a tiny ledger set → the exact findings) run as pytest items."""

import pandas as pd
import pytest

from accountability.audit.examples import run_clause_examples, run_example, run_policy_example
from accountability.packs.loading import load_packs
from accountability.referral import clauses
from accountability.referral.policy import load_policy

PACKS = load_packs()
CASES = [(pack, rule, example) for pack in PACKS for rule in pack.rules for example in rule.examples]


@pytest.mark.parametrize(
    ("pack", "rule", "example"), CASES, ids=[f"{rule.id}:{example.name}" for _, rule, example in CASES]
)
def test_rule_example(pack, rule, example):
    result = run_example(pack, rule, example)
    assert result.problems == []


def test_every_computed_rule_has_an_example():
    missing = [rule.id for pack in PACKS for rule in pack.rules if rule.kind != "manual" and not rule.examples]
    assert missing == []


POLICY = load_policy()
POLICY_CASES = [("base", e) for e in POLICY.examples] + [(s.id, e) for s in POLICY.step_ups for e in s.examples]


@pytest.mark.parametrize(("owner", "example"), POLICY_CASES, ids=[f"{o}:{e.name}" for o, e in POLICY_CASES])
def test_policy_example(owner, example):
    assert run_policy_example(POLICY, owner, example).problems == []


def test_every_step_up_has_an_example_and_a_wrong_expectation_fails():
    assert [s.id for s in POLICY.step_ups if not s.examples] == []
    wrong = POLICY.step_ups[1].examples[0].model_copy(deep=True)
    wrong.findings[0].expect = "interview"
    result = run_policy_example(POLICY, "consecutive", wrong)
    assert result.problems == ["P1，HJ-PATROL-WEEKLY，2025-W37 应为 interview，实为 notice"]


def test_every_plan_clause_has_an_example_that_holds_and_a_wrong_one_fails():
    plans = [pack for pack in PACKS if pack.id != "common"]
    assert [p.id for p in plans if not p.accountability] == []
    assert [(p.id, c.clause) for p in plans for c in p.accountability if not c.examples] == []
    assert [r.problems for r in run_clause_examples(PACKS, POLICY) if r.problems] == []
    tangyuan = next(p for p in plans if p.id == "tangyuan-2022")
    wrong = tangyuan.model_copy(deep=True)
    wrong.accountability[2].examples[0].findings[0].expect = "discipline"
    [result] = [r for r in run_clause_examples([wrong], POLICY) if r.problems]
    assert result.problems == ["TY-SEAL-DEADLINE 应为 discipline，实为 notice"]


def test_a_shared_finding_answers_under_the_plan_audited_and_the_mildest_of_two():
    hongjiang, tangyuan = (next(p for p in PACKS if p.id == name) for name in ("hongjiang-2025", "tangyuan-2022"))
    table = pd.DataFrame({"rule": ["INT-PHOTO-REUSE"] * 2, "pack": "common", "rank": [3, 3]})

    def rank(plans):
        return [POLICY.codes[r] for r in clauses.bound(table, plans, {}, POLICY)["rank"]]

    assert rank([hongjiang]) == ["discipline"] * 2
    assert rank([tangyuan]) == ["notice"] * 2
    assert rank([hongjiang, tangyuan]) == ["notice"] * 2
    assert clauses.bound(table, [hongjiang, tangyuan], {}, POLICY)["plan"].tolist() == ["tangyuan-2022"] * 2

"""Every rule's own examples (a tiny ledger set → the exact findings) run as pytest items."""

import pytest

from accountability.packs import load_packs
from accountability.ruletest import run_example

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

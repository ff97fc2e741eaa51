"""Every rule's own examples (a tiny ledger set → the exact findings) run as pytest items."""

from pathlib import Path

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


def test_every_rule_quotes_its_plan_verbatim():
    """Data rules quote the ledger contract; every other quote stands word for word in its plan."""
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the plans are not beside this checkout")
    plans = {path.stem: "".join(path.read_text(encoding="utf-8").split()) for path in seeds.glob("*.txt")}
    for pack in PACKS:
        for rule in pack.rules:
            if rule.kind == "data":
                continue
            texts = list(plans.values()) if pack.id == "common" else [plans[pack.id]]
            assert any("".join(rule.quote.split()) in text for text in texts), rule.id

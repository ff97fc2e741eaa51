"""benchmarks/generate.py: a generated province ingests without a data error, its size scales with the counties,
and an audit with every pack finds exactly the violations it planted, and nothing else but theft referrals."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from generated import generator

from accountability.audit.pipeline import read_ledgers, run_audit
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs

AS_OF = date(2025, 12, 31)
# findings the compliant baseline gives by design: each theft (a problem, an adit or a case of 盗采) refers its
# township's and village's leaders
BY_DESIGN = {"HJ-THEFT-ACCOUNTABILITY", "HJ-THEFT-ADIT", "HJ-THEFT-CASE"}


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    """One county as the command line writes it (parquet, seed 1, violation rate 0.02)."""
    out = tmp_path_factory.mktemp("generated") / "province"
    generator.main([str(out), "--counties", "1", "--seed", "1"])
    return out


@pytest.fixture(scope="module")
def audit(province):
    return run_audit(province, load_packs([]), AuditWindow(None, AS_OF))


def test_every_ledger_written_and_reads_without_errors(province):
    written = {p.stem for p in province.glob("*.parquet")}
    assert {"units", "people", "patrols", "adits", "key_persons", "devices", "tips", "cases", "problems",
            "eight_checks", "patches", "reports", "meetings", "closures"} <= written  # fmt: skip
    ledgers = read_ledgers(province)
    assert ledgers.errors.empty, ledgers.errors.head().to_dict("records")
    assert ledgers.problems == []


def test_audit_finds_exactly_what_was_planted(province, audit):
    planted = json.loads((province / ".planted.json").read_text(encoding="utf-8"))
    assert planted["as_of"] == AS_OF.isoformat()
    assert 6 <= len(planted["planted"]) <= 11
    found = Counter(f["rule"] for f in audit.doc["findings"])
    assert {rule: found[rule] for rule in planted["planted"]} == planted["planted"]
    assert all(n > 0 for n in planted["planted"].values())
    assert set(found) - set(planted["planted"]) <= BY_DESIGN, found
    assert not audit.doc["data_errors"]
    assert not audit.doc["audit"]["missing_ledgers"]


def test_no_violation_rate_plants_nothing():
    _, planted = generator.generate(1, seed=1, violation_rate=0)
    assert set(planted.values()) == {0}


def test_deterministic():
    first, planted_first = generator.generate(1, seed=4)
    second, planted_second = generator.generate(1, seed=4)
    assert planted_first == planted_second
    for name in ("patrols", "problems", "tips"):
        pd.testing.assert_frame_equal(first[name], second[name])


def test_sizes_scale_with_counties():
    one, _ = generator.generate(1, seed=2)
    two, _ = generator.generate(2, seed=2)
    assert len(two["patrols"]) == pytest.approx(2 * len(one["patrols"]), rel=0.03)
    for name, per_county in [("adits", 2000), ("problems", 1000), ("tips", 500), ("patches", 1000)]:
        assert (len(one[name]), len(two[name])) == (per_county, 2 * per_county)
    levels = two["units"]["level"].value_counts()
    assert levels["村"] == 2 * 180
    assert levels["乡镇"] + levels["林场"] == 2 * 15
    assert 12_000 <= len(one["patrols"]) <= 13_000

"""A large audit shares its rules with a second process and gives exactly what one process gives, even when the
second process fails."""

import os
from datetime import date

import pandas as pd
import pytest
from test_generate import generator

from accountability import audit, processes, spare_core
from accountability.audit import read_ledgers, run_audit
from accountability.engine import evaluate
from accountability.packs import load_packs

AS_OF = date(2025, 12, 31)
WINDOW = {"date_from": None, "as_of": AS_OF, "calendar": None, "by_end": False}

pytestmark = pytest.mark.skipif(not processes.FORK_SAFE, reason="the second process is forked, on Linux")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Three generated counties with planted violations, read, and every pack."""
    out = tmp_path_factory.mktemp("generated") / "province"
    generator.main([str(out), "--counties", "3", "--seed", "5"])
    return read_ledgers(out), load_packs([])


@pytest.fixture
def always(monkeypatch):
    """Every ledger set counts as large, on any number of cores."""
    monkeypatch.setattr(spare_core, "LARGE_FROM", 0)
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)


def assert_same(one, two) -> None:
    for name in ("findings", "progress", "judged"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert (one.manual, one.missing, one.guessed_years) == (two.manual, two.missing, two.guessed_years)


def test_two_processes_give_what_one_gives(province, always, monkeypatch):
    ledgers, packs = province
    received, result = [], processes.Apart.result

    def kept(apart):
        received.append((result(apart), apart.process.exitcode))
        return received[-1][0]

    monkeypatch.setattr(processes.Apart, "result", kept)
    two = spare_core.evaluate_on_two_cores(ledgers, packs, WINDOW)
    one = evaluate(ledgers, packs, **WINDOW)
    assert len(one.findings) > 500 and one.findings["rule"].nunique() > 10 and one.manual
    assert_same(one, two)
    [(theirs, exitcode)] = received
    assert exitcode == 0 and theirs.parts, "the second process ran no rule"


def test_rules_the_second_process_took_are_run_here_when_it_fails(province, always, monkeypatch):
    ledgers, packs = province

    def take_three_and_die(ledgers, packs, window, taken):
        for rule in [rule for pack in packs for rule in pack.rules][:3]:
            taken.take(rule)
        os._exit(1)

    monkeypatch.setattr(spare_core, "_second", take_three_and_die)
    assert_same(evaluate(ledgers, packs, **WINDOW), spare_core.evaluate_on_two_cores(ledgers, packs, WINDOW))


def test_small_ledger_sets_and_other_systems_stay_in_one_process(province, monkeypatch):
    ledgers, _ = province
    rows = sum(len(frame) for frame in ledgers.frames.values())
    monkeypatch.setattr(spare_core, "LARGE_FROM", rows + 1)
    assert not spare_core.worth_it(ledgers)
    monkeypatch.setattr(spare_core, "LARGE_FROM", rows)
    assert spare_core.worth_it(ledgers) == ((os.cpu_count() or 1) > 1)
    monkeypatch.setattr(processes, "FORK_SAFE", False)
    assert not spare_core.worth_it(ledgers)


def test_referrals_worked_out_apart_are_those_worked_out_here(tmp_path_factory, monkeypatch):
    """From REFERRALS_APART_FROM findings, a second process works out the referrals while this one assembles the
    document; both read the same findings and ledgers, and neither changes them."""
    out = tmp_path_factory.mktemp("generated") / "province"
    generator.main([str(out), "--counties", "3", "--seed", "5"])
    packs = load_packs([])
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(spare_core, "LARGE_FROM", 10**9)
    apart, result = [], processes.Apart.result

    def kept(other):
        apart.append(result(other))
        return apart[-1]

    monkeypatch.setattr(processes.Apart, "result", kept)
    monkeypatch.setattr(audit, "REFERRALS_APART_FROM", 0)
    two = run_audit(out, packs, None, AS_OF)
    monkeypatch.setattr(audit, "REFERRALS_APART_FROM", 10**9)
    one = run_audit(out, packs, None, AS_OF)
    assert len(apart) == 1 and apart[0] == two.referrals and len(two.referrals) > 100
    assert two.referrals == one.referrals
    for result_ in (one, two):
        result_.doc["audit"].pop("generated_at")
    assert two.doc == one.doc

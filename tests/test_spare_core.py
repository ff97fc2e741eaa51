"""A large audit runs its rules in second processes from before its ledgers are all typed, and gives exactly what
one process gives, even when a second process fails."""

import os
import time
from datetime import date

import pandas as pd
import pytest
from test_generate import generator

from accountability import spare_core
from accountability.audit import pipeline as audit
from accountability.audit.pipeline import read_ledgers, run_audit
from accountability.packs.loading import load_packs
from accountability.report import processes
from accountability.run.engine import evaluate

AS_OF = date(2025, 12, 31)
WINDOW = {"date_from": None, "as_of": AS_OF, "calendar": None, "by_end": False}

pytestmark = pytest.mark.skipif(not processes.FORK_SAFE, reason="the second process is forked, on Linux")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Three generated counties with planted violations, every pack, and the rules run in one process."""
    out = tmp_path_factory.mktemp("generated") / "province"
    generator.main([str(out), "--counties", "3", "--seed", "5"])
    packs = load_packs([])
    ledgers = read_ledgers(out)
    return out, packs, evaluate(ledgers, packs, **WINDOW)


@pytest.fixture
def always(monkeypatch):
    """Every ledger set counts as large, on any number of cores; the second processes' runs are kept."""
    monkeypatch.setattr(spare_core, "LARGE_FROM", 0)
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)
    received, result = [], processes.Apart.result

    def kept(apart):
        received.append((result(apart), apart.process.exitcode))
        return received[-1][0]

    monkeypatch.setattr(processes.Apart, "result", kept)
    return received


def on_two_cores(folder, packs):
    """Typing and rules as `run_audit` runs them; the ledgers each second process was given."""
    given = []
    with spare_core.Rules(packs, WINDOW) as rules:
        start = rules._start
        rules._start = lambda ledgers, final: (given.append(final), start(ledgers, final))
        ledgers = read_ledgers(folder, rules.typed)
        return rules.evaluate(ledgers), given, sorted(ledgers.frames), rules


def assert_same(one, two) -> None:
    for name in ("findings", "progress", "judged"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert (one.manual, one.missing, one.guessed_years) == (two.manual, two.missing, two.guessed_years)


def test_rules_begun_while_typing_give_what_one_process_gives(province, always):
    folder, packs, one = province
    two, given, _, rules = on_two_cores(folder, packs)
    assert len(one.findings) > 500 and one.findings["rule"].nunique() > 10 and one.manual
    assert_same(one, two)
    assert given[0] == {"units", "people", "patrols"}, "begun once half the rows (the patrols) were typed"
    assert all(exitcode == 0 for _, exitcode in always) and len(always) == len(given)
    took = {taker: sum(1 for flag in rules.claims if flag == taker) for taker in (1, 2, 3)}
    assert set(rules.claims) <= {1, 2, 3}, "every rule was taken, by at most three processes"
    # this process always runs the data rules; of the patrols' rules, the first second process may, on a loaded
    # machine, lose every one to the one that joins it, but the two together run them
    assert took[1] and took[2] + took[3], took


def test_a_second_process_given_every_ledger_joins_one_still_busy(province, always, monkeypatch):
    """The first second process is still on the patrols' rules when typing ends: another, given every ledger,
    takes rules meanwhile, and this process waits for the first before taking any."""
    folder, packs, one = province
    joined, second = folder.parent / "joined", spare_core._second

    def first_busy_until_joined(rules, ledgers, final, taker):
        if taker == 2:
            deadline = time.monotonic() + 60
            while not joined.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        else:
            joined.touch()
        return second(rules, ledgers, final, taker)

    monkeypatch.setattr(spare_core, "_second", first_busy_until_joined)
    two, given, every, rules = on_two_cores(folder, packs)
    assert_same(one, two)
    assert given == [{"units", "people", "patrols"}, set(every)]
    assert sum(1 for flag in rules.claims if flag == 3), "the second process given every ledger took rules"


def test_rules_a_second_process_took_are_run_here_when_it_dies(province, always, monkeypatch):
    folder, packs, one = province

    def first_three(final):
        return [rule.id for pack in packs for rule in pack.rules if spare_core.runs_on(rule, final)][:3]

    def take_three_and_die(rules, ledgers, final, taker):
        for rule in [rule for pack in packs for rule in pack.rules if rule.id in first_three(final)]:
            rules.take(rule, taker)
        os._exit(1)

    monkeypatch.setattr(spare_core, "_second", take_three_and_die)
    two, given, _, rules = on_two_cores(folder, packs)
    assert_same(one, two)
    assert len(given) == 2 and all(exitcode == 1 for exitcode in [a.process.exitcode for a in rules.apart])
    # the first took its three long before typing ended; the second races this process for its three
    assert [rules.claims.taker(rules.index[rule]) for rule in first_three(given[0])] == [2, 2, 2]


def test_a_ledger_another_changes_is_final_only_once_that_one_is_typed(province):
    """The city's 抽查记录 sets the problems' 是否抽查 as it is typed: no second process is given the problems
    before."""
    folder, _, _ = province
    finals = []
    read_ledgers(folder, lambda ledgers, final, rows_typed, rows: finals.append((final, rows_typed, rows)))
    typed_problems = [final for final, _, _ in finals if "problems" in final]
    assert typed_problems and all("spot_checks" in final for final in typed_problems)
    assert finals[-1][0] == set(read_ledgers(folder).frames) and finals[-1][1] == finals[-1][2]
    assert [rows_typed for _, rows_typed, _ in finals] == sorted(rows_typed for _, rows_typed, _ in finals)


def test_small_ledger_sets_and_other_systems_stay_in_one_process(province, monkeypatch):
    monkeypatch.setattr(spare_core, "LARGE_FROM", 1000)
    assert not spare_core.worth_it(999)
    assert spare_core.worth_it(1000) == ((os.cpu_count() or 1) > 1)
    monkeypatch.setattr(processes, "FORK_SAFE", False)
    assert not spare_core.worth_it(1000)
    folder, packs, one = province
    two, given, _, _ = on_two_cores(folder, packs)
    assert given == [] and one.findings.equals(two.findings)


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

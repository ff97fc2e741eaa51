"""processes.Apart: work in a forked second process, its result or its error back here, done here if it dies; and
the rules of an audit shared out with one."""

import dataclasses
import datetime as dt
import os
import time
from functools import partial

import pytest
from evaluations import assert_same
from example_audit import EXAMPLES
from generated import other_generator

from accountability import processes
from accountability.audit.pipeline import read_ledgers
from accountability.checks import CHECK_KINDS
from accountability.errors import AccountabilityError
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs
from accountability.run import engine
from accountability.tuning import Tuning

WINDOW = AuditWindow(None, dt.date(2025, 12, 31))
LOCKED = AccountabilityError("无法写入 report.xlsx", file="out/report.xlsx", fix="请关闭后重试")

pytestmark = pytest.mark.skipif(
    "fork" not in processes.multiprocessing.get_all_start_methods(), reason="second processes are forked"
)


def _locked() -> None:
    raise LOCKED


def test_the_work_runs_in_another_process():
    assert processes.context().get_start_method() == "fork"
    assert processes.Apart(os.getpid).result() != os.getpid()


def test_an_error_there_is_raised_here_whole():
    with pytest.raises(AccountabilityError) as raised:
        processes.Apart(_locked).result()
    assert raised.value is not LOCKED and str(raised.value) == str(LOCKED)


def test_work_is_done_here_when_the_process_dies():
    assert processes.Apart(partial(os._exit, 3), instead=os.getpid).result() == os.getpid()


def test_stop_ends_a_process_still_working():
    apart = processes.Apart(partial(time.sleep, 60))
    apart.stop()
    assert not apart.process.is_alive()


def test_only_the_batch_tuning_allows_a_second_process(monkeypatch):
    """A library caller or a server gets Tuning(): never a fork. The command line's batch entry forks where it can."""
    assert not Tuning().write_apart and not Tuning().rules_apart
    monkeypatch.setattr("accountability.tuning.sys.platform", "linux")
    monkeypatch.setattr("accountability.tuning.os.cpu_count", lambda: 2)
    assert Tuning.batch().write_apart and Tuning.batch().rules_apart
    monkeypatch.setattr("accountability.tuning.os.cpu_count", lambda: 1)
    assert not Tuning.batch().write_apart and not Tuning.batch().rules_apart
    monkeypatch.setattr("accountability.tuning.os.cpu_count", lambda: 2)
    monkeypatch.setattr("accountability.tuning.sys.platform", "win32")
    assert not Tuning.batch().write_apart and not Tuning.batch().rules_apart


@pytest.fixture(scope="module")
def other_province(tmp_path_factory):
    """Three counties of the second generator: every plan's rules, doubtful findings, unreadable rows."""
    folder = tmp_path_factory.mktemp("other") / "province"
    other_generator.main([str(folder), "--counties", "3", "--seed", "3"])
    return read_ledgers(folder), load_packs([])


SHARED = Tuning(rules_apart=True, rules_apart_from=0)


def test_rules_shared_with_a_second_process_give_the_same_findings(other_province, monkeypatch):
    ledgers, packs = other_province
    ran_here: list[str] = []
    kinds = dict(CHECK_KINDS)
    for name, kind in kinds.items():  # this process notes the rules it runs; the forked one's notes stay there
        monkeypatch.setitem(
            CHECK_KINDS,
            name,
            dataclasses.replace(kind, run=lambda ctx, p, run=kind.run: ran_here.append(p) or run(ctx, p)),
        )
    one = engine.evaluate(ledgers, packs, WINDOW)
    everything = len(ran_here)
    ran_here.clear()
    two = engine.evaluate(ledgers, packs, WINDOW, tuning=SHARED)
    assert len(one.findings) > 1000 and one.findings["doubtful"].any()
    assert 0 < len(ran_here) < everything  # the second process ran some of the rules
    assert_same(one, two)


def test_the_rules_a_dead_second_process_took_are_run_here(other_province, monkeypatch):
    """The second process dies after its third rule with findings: what it had taken is run here after all."""
    ledgers, packs = other_province
    one = engine.evaluate(ledgers, packs, WINDOW)
    here, weighed = os.getpid(), []
    weigh = engine.weigh

    def dying(rule, findings, ctx):
        weighed.append(rule.id)
        if os.getpid() != here and len(weighed) > 3:
            os._exit(1)
        return weigh(rule, findings, ctx)

    runs = []
    run_rules = engine.run_rules
    monkeypatch.setattr(engine, "weigh", dying)
    monkeypatch.setattr(engine, "run_rules", lambda *args: runs.append(os.getpid()) or run_rules(*args))
    assert_same(one, engine.evaluate(ledgers, packs, WINDOW, tuning=SHARED))
    assert runs == [here, here]  # its own share, then what the dead one had taken


def test_small_ledgers_are_checked_in_one_process(monkeypatch):
    """Below `rules_apart_from` rows the fork costs what it saves: no second process is started."""
    ledgers = read_ledgers(EXAMPLES / "hongjiang-2025")
    packs = load_packs(["hongjiang-2025"])
    monkeypatch.setattr(engine, "Apart", None)  # called, it would fail
    window = AuditWindow(None, dt.date(2025, 9, 30))
    assert len(engine.evaluate(ledgers, packs, window, tuning=Tuning(rules_apart=True)).findings) == 26

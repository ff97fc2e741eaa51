"""processes.Apart: work in a forked second process, its result or its error back here, done here if it dies."""

import os
import time
from functools import partial

import pytest

from accountability.errors import AccountabilityError
from accountability.report import processes
from accountability.tuning import Tuning

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
    assert not Tuning().write_apart
    monkeypatch.setattr("accountability.tuning.sys.platform", "linux")
    monkeypatch.setattr("accountability.tuning.os.cpu_count", lambda: 2)
    assert Tuning.batch().write_apart
    monkeypatch.setattr("accountability.tuning.os.cpu_count", lambda: 1)
    assert not Tuning.batch().write_apart
    monkeypatch.setattr("accountability.tuning.os.cpu_count", lambda: 2)
    monkeypatch.setattr("accountability.tuning.sys.platform", "win32")
    assert not Tuning.batch().write_apart

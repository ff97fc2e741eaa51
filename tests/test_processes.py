"""processes.Apart: work in a second process, its result or its error back here, done here if the process dies."""

import gc
import os
import time
from functools import partial

import pytest

from accountability.errors import AccountabilityError
from accountability.report import processes

LOCKED = AccountabilityError("无法写入 report.xlsx", file="out/report.xlsx", fix="请关闭后重试")


def _locked() -> None:
    raise LOCKED


@pytest.fixture(params=["fork", "spawn"])
def method(request, monkeypatch):
    """The second process forked (Linux) or spawned (elsewhere)."""
    if request.param == "fork" and "fork" not in processes.multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this system")
    monkeypatch.setattr(processes, "FORK_SAFE", request.param == "fork")
    return request.param


def test_the_work_runs_in_another_process(method):
    assert processes.context().get_start_method() == method
    assert processes.Apart(os.getpid).result() != os.getpid()


def test_an_error_there_is_raised_here_whole(method):
    with pytest.raises(AccountabilityError) as raised:
        processes.Apart(_locked).result()
    assert raised.value is not LOCKED and str(raised.value) == str(LOCKED)


def test_work_is_done_here_when_the_process_dies(method):
    assert processes.Apart(partial(os._exit, 3), instead=os.getpid).result() == os.getpid()


def test_stop_ends_a_process_still_working(method):
    apart = processes.Apart(partial(time.sleep, 60))
    apart.stop()
    assert not apart.process.is_alive()


@pytest.mark.skipif(not processes.FORK_SAFE, reason="beside forks, on Linux")
def test_beside_runs_the_large_work_apart_and_the_small_here(monkeypatch):
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)
    there, here = processes.beside(os.getpid, os.getpid, large=True)
    assert there != here == os.getpid()
    assert processes.beside(os.getpid, os.getpid, large=False) == (os.getpid(), os.getpid())
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 1)
    assert processes.beside(os.getpid, os.getpid, large=True) == (os.getpid(), os.getpid())
    monkeypatch.setattr(processes, "FORK_SAFE", False)
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)
    assert processes.beside(os.getpid, os.getpid, large=True) == (os.getpid(), os.getpid())


@pytest.mark.skipif(not processes.FORK_SAFE, reason="beside forks, on Linux")
def test_beside_raises_the_error_of_the_work_apart(monkeypatch):
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)
    with pytest.raises(AccountabilityError, match="无法写入"):
        processes.beside(_locked, os.getpid, large=True)


def test_objects_are_frozen_while_a_second_process_runs(method):
    """gc.freeze while any second process runs: neither process's collector walks what they share; afterwards
    every object is collectable again, also when the process could not be started."""
    first = processes.Apart(partial(time.sleep, 60))
    assert gc.get_freeze_count() > 0
    second = processes.Apart(os.getpid)
    first.stop()
    assert gc.get_freeze_count() > 0, "the second still runs"
    second.result()
    second.stop()
    assert gc.get_freeze_count() == 0 and processes.Apart.running == 0


def test_nothing_stays_frozen_when_a_second_process_cannot_start(method, monkeypatch):
    def refused(self):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(processes.multiprocessing.process.BaseProcess, "start", refused)
    with pytest.raises(OSError):
        processes.Apart(os.getpid)
    assert gc.get_freeze_count() == 0 and processes.Apart.running == 0

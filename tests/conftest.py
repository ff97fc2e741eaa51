"""Every test runs in its own empty folder, so the default outputs (reports/…, reports/history.sqlite) of a
command under test never land in the checkout or leak from one test into another."""

import pytest


@pytest.fixture(autouse=True)
def _own_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

"""Every test runs in its own empty folder, so the default outputs (reports/…, reports/history.sqlite) of a
command under test never land in the checkout or leak from one test into another; and the whole run must leave
the checkout as it found it, reports/ and the history included."""

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Left out: the caches Python and the tools write for themselves.
GENERATED = {".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".venv", "build", "dist"}


def checkout_state(root: Path = ROOT) -> dict[str, str]:
    """Every file of the checkout (ignored ones such as reports/history.sqlite too) → a digest of its bytes."""
    state = {}
    for path in root.rglob("*"):
        parts = set(path.relative_to(root).parts)
        if path.is_file() and not parts & GENERATED and not any(p.endswith(".egg-info") for p in parts):
            state[str(path.relative_to(root))] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return state


@pytest.fixture(scope="session", autouse=True)
def _checkout_unchanged(tmp_path_factory):
    """Module fixtures run before any test's own folder exists: they run in the session's folder."""
    before = checkout_state()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("session"))
        yield
    after = checkout_state()
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"the tests changed files in the checkout: {changed[:10]}"


@pytest.fixture(autouse=True)
def _own_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

"""The suite leaves the checkout as it found it: conftest compares every file before and after the run."""

from conftest import checkout_state


def test_the_checkout_guard_sees_a_file_written_into_reports(tmp_path):
    """The session guard in conftest compares these states; a history file written into a checkout shows."""
    (tmp_path / "reports").mkdir()
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    before = checkout_state(tmp_path)
    (tmp_path / "reports" / "history.sqlite").write_bytes(b"SQLite")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "m.pyc").write_bytes(b"\0")
    after = checkout_state(tmp_path)
    assert sorted(after.keys() - before.keys()) == ["reports/history.sqlite"]

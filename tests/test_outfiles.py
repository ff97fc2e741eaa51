"""Writing a file whole, and an audit's set of outputs whole: never half of one and half of another."""

import os
import re
from pathlib import Path

import pytest

from accountability.errors import AccountabilityError
from accountability.report.outfiles import write_set, write_whole


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")

    def fail(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        write_whole(path, fail)
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"] and path.read_text(encoding="utf-8") == "old"


def test_a_file_held_open_is_a_user_error(tmp_path):
    def held(tmp):
        tmp.write_text("new", encoding="utf-8")
        raise PermissionError(13, "Permission denied")

    with pytest.raises(AccountabilityError, match="Excel") as raised:
        write_whole(tmp_path / "report.xlsx", held)
    assert raised.value.file == str(tmp_path / "report.xlsx") and list(tmp_path.iterdir()) == []


def test_written_into_a_new_folder(tmp_path):
    path = write_whole(tmp_path / "letters" / "001-张三.html", lambda p: p.write_text("信", encoding="utf-8"))
    assert path.read_text(encoding="utf-8") == "信"


OURS = {"findings.json": None, "report.xlsx": None, "letters": re.compile(r"\d{3}-.*\.html|index\.html")}


def previous_set(out):
    (out / "letters").mkdir(parents=True)
    for name, text in [
        ("findings.json", "old"),
        ("report.xlsx", "old"),
        ("说明.docx", "mine"),
        ("letters/001-甲.html", "old"),
        ("letters/003-丙.html", "old"),
        ("letters/签收.pdf", "mine"),
    ]:
        (out / name).write_text(text, encoding="utf-8")  # fmt: skip


def contents(folder):
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file()}


def new_set(folder):
    (folder / "letters").mkdir()
    (folder / "findings.json").write_text("new", encoding="utf-8")
    (folder / "letters" / "001-甲.html").write_text("new", encoding="utf-8")
    return [folder / "findings.json", folder / "letters" / "001-甲.html"]


def visible(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_set_replaces_the_previous_whole_and_keeps_the_users_files(tmp_path):
    out = tmp_path / "reports" / "ledgers"
    previous_set(out)
    written = write_set(out, new_set, OURS)
    assert written == [out / "findings.json", out / "letters" / "001-甲.html"]
    assert contents(out) == {"findings.json": "new", "letters/001-甲.html": "new", "说明.docx": "mine",
                             "letters/签收.pdf": "mine"}  # fmt: skip
    assert visible(out) == ["findings.json", "letters", "说明.docx"]


def test_a_run_failing_or_killed_midway_leaves_the_previous_set_as_it_was(tmp_path):
    out = tmp_path / "ledgers"
    previous_set(out)
    before = contents(out)

    def half(folder):
        new_set(folder)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_set(out, half, OURS)
    assert contents(out) == before and visible(out) == ["findings.json", "letters", "report.xlsx", "说明.docx"]


@pytest.mark.parametrize("moved_in", [0, 1])
def test_the_next_run_rolls_back_a_swap_that_was_killed(tmp_path, moved_in):
    """Killed while the previous set was being moved aside (nothing new in yet), or while the new set was moving
    in: either way the next run finds the previous set, whole, before it writes."""
    out = tmp_path / "ledgers"
    previous_set(out)
    before = contents(out)
    aside = out / ".previous-x"
    aside.mkdir()
    (out / "findings.json").rename(aside / "findings.json")
    if moved_in:
        for name in ("report.xlsx", "letters"):
            (out / name).rename(aside / name)
        (aside / ".moved").touch()
        (out / "findings.json").write_text("new", encoding="utf-8")
    seen = {}

    def look(folder):
        seen.update(contents(out))
        raise ValueError("disk full")

    with pytest.raises(ValueError):
        write_set(out, look, OURS)
    assert {k: v for k, v in seen.items() if not k.startswith(".")} == before == contents(out)
    assert visible(out) == ["findings.json", "letters", "report.xlsx", "说明.docx"]


def test_a_set_held_open_is_a_user_error_and_the_previous_set_stays(tmp_path, monkeypatch):
    out = tmp_path / "ledgers"
    previous_set(out)
    before = contents(out)
    real = os.rename

    def held(source, target):
        if Path(source).parent.name.startswith(".writing-") and Path(source).name == "findings.json":
            raise PermissionError(13, "Permission denied")
        real(source, target)

    monkeypatch.setattr(os, "rename", held)
    with pytest.raises(AccountabilityError, match="无法替换输出目录") as raised:
        write_set(out, new_set, OURS)
    assert "Excel" in raised.value.fix
    assert contents(out) == before and visible(out) == ["findings.json", "letters", "report.xlsx", "说明.docx"]


def test_the_output_folder_may_be_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    previous_set(tmp_path)
    write_set(Path("."), new_set, OURS)
    assert Path("findings.json").read_text(encoding="utf-8") == "new" and Path.cwd() == tmp_path

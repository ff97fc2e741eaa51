"""Writing a file whole, and finding what an earlier run left behind."""

import re

import pytest

from accountability.errors import AccountabilityError
from accountability.report.outfiles import left_over, write_whole


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


def test_left_over_files_are_only_ours_not_written_now(tmp_path):
    folder = tmp_path / "out" / "letters"
    folder.mkdir(parents=True)
    for name in ("001-甲.html", "002-乙.html", "003-丙.html", "notes.html"):
        (folder / name).write_text("", encoding="utf-8")
    written = [
        tmp_path / "out" / "letters" / "001-甲.html",
        tmp_path / "out" / ".." / "out" / "letters" / "002-乙.html",
    ]
    assert left_over(folder, written, re.compile(r"\d{3}-.*\.html")) == [folder / "003-丙.html"]
    assert left_over(tmp_path / "none", written, re.compile(r".*")) == []

"""Writing outputs whole: a file (templates, samples) is written next to its place and moved in, an audit's set of
outputs is written into a hidden folder and swapped in, so a failed or killed run leaves no half-written
file and no mix of two audits; a file Excel holds open is a user error, not a traceback."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from accountability.errors import AccountabilityError


def write_whole(path: Path, write: Callable[[Path], Any]) -> Path:
    """`write(tmp)` to a temporary file next to `path`, then move it into place."""
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise AccountabilityError(
            f"无法写入 {path}",
            file=str(path),
            fix="该文件可能正在 Excel 或其他程序中打开，请关闭后重试，或用 --out 换一个位置",
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


Owned = Mapping[str, "re.Pattern[str] | None"]  # a top-level name → None (a file) or the names ours in that folder
STAGE, ASIDE, DISCARD = ".writing-", ".previous-", ".discard-"
MOVED = ".moved"  # in the aside folder: all of the previous set is there, the new one is moving in
LEFTOVER_SECONDS = 86400  # a staging folder this old was left by a run that was killed


def write_set(out_dir: Path, write: Callable[[Path], Sequence[Path]], ours: Owned) -> list[Path]:
    """An audit's outputs appear together or not at all: `write(folder)` fills a hidden folder inside `out_dir`;
    then the previous set's entries (those `ours` names) are moved aside, the new ones moved in, and the previous
    set dropped. A run killed or failing before that leaves the previous set; one killed during the swap is rolled
    back by the next run. What `ours` does not name (a file the user put there) is left alone, and what the user put
    in one of our folders (letters/) is carried into the new one; our files this run did not write (an earlier
    audit's letters, a format not asked for now) go with the previous set."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _recover(out_dir, ours)
        stage = Path(tempfile.mkdtemp(prefix=STAGE, dir=out_dir))
    except OSError as exc:
        raise AccountabilityError(f"无法创建输出目录 {out_dir}：{exc.strerror}", file=str(out_dir)) from exc
    try:
        written = [Path(p) for p in write(stage)]
        _swap(out_dir, stage, ours)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        if isinstance(exc, PermissionError):
            raise AccountabilityError(
                f"无法替换输出目录 {out_dir} 中的报告",
                file=str(out_dir),
                fix="其中的文件可能正在 Excel 或浏览器等程序中打开，请关闭后重试，或用 --out 换一个位置",
            ) from exc
        raise
    return [out_dir / p.relative_to(stage) for p in written]


def _carry(source: Path, target: Path, pattern: re.Pattern[str]) -> None:
    """Move what the user put in one of our folders (letters/签收.pdf) from `source` into `target`."""
    for entry in sorted(source.iterdir()) if source.is_dir() else []:
        if not pattern.fullmatch(entry.name) and not (target / entry.name).exists():
            target.mkdir(exist_ok=True)
            os.rename(entry, target / entry.name)


def _swap(out_dir: Path, stage: Path, ours: Owned) -> None:
    aside = Path(tempfile.mkdtemp(prefix=ASIDE, dir=out_dir))
    try:
        for name in ours:
            if (out_dir / name).exists():
                os.rename(out_dir / name, aside / name)
        (aside / MOVED).touch()
        for entry in stage.iterdir():
            os.rename(entry, out_dir / entry.name)
        for name, pattern in ours.items():
            if pattern is not None:
                _carry(aside / name, out_dir / name, pattern)
    except BaseException:
        _roll_back(out_dir, aside, ours)
        raise
    done = out_dir / f"{DISCARD}{aside.name.removeprefix(ASIDE)}"
    os.rename(aside, done)
    shutil.rmtree(done, ignore_errors=True)
    stage.rmdir()


def _roll_back(out_dir: Path, aside: Path, ours: Owned) -> None:
    """The previous set back in place: once all of it was aside (MOVED), what the new one had moved in is removed
    (the user's files in our folders carried back first); then the previous entries are moved back."""
    if (aside / MOVED).exists():
        for name, pattern in ours.items():
            if pattern is not None:
                _carry(out_dir / name, aside / name, pattern)
            _remove(out_dir / name)
        (aside / MOVED).unlink()
    for entry in aside.iterdir():
        os.rename(entry, out_dir / entry.name)
    aside.rmdir()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _recover(out_dir: Path, ours: Owned) -> None:
    """Undo what a killed run left: a swap cut short rolled back to the previous set; a finished swap's previous
    set, and staging folders of runs long dead, removed."""
    for aside in out_dir.glob(f"{ASIDE}*"):
        _roll_back(out_dir, aside, ours)
    for done in out_dir.glob(f"{DISCARD}*"):
        shutil.rmtree(done, ignore_errors=True)
    for stage in out_dir.glob(f"{STAGE}*"):
        if time.time() - stage.stat().st_mtime > LEFTOVER_SECONDS:
            shutil.rmtree(stage, ignore_errors=True)

"""Writing an output file whole: reports, templates and samples are written next to their place and moved in, so a
failed write leaves no half-written file, and a file Excel holds open is a user error, not a traceback."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
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


def left_over(folder: Path, written: Sequence[Path], names: re.Pattern[str]) -> list[Path]:
    """Files named like `names` that an earlier run left in `folder` and this one did not write: a stale letter or
    page would show findings this audit no longer has. Other files there are not ours and stay."""
    if not folder.is_dir():
        return []
    here = folder.resolve()
    places = {parent: parent.resolve() for parent in {p.parent for p in written}}  # a letter's folder, not each letter
    keep = {p.name for p in written if places[p.parent] == here}
    return sorted(p for p in folder.iterdir() if names.fullmatch(p.name) and p.name not in keep)

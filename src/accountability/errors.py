"""One exception type for every user mistake, and the exit codes, so the CLI never shows a traceback."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit status of every command (docs/interface.md)."""

    OK = 0
    FINDINGS = 1
    UNUSABLE = 2


class AccountabilityError(Exception):
    """A mistake in the user's input: says where (file, line or row, column) and how to fix it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.row = row
        self.column = column
        self.fix = fix

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"列「{self.column}」")
        text = (" ".join(where) + "：" if where else "") + self.message
        if self.fix:
            text += f"（{self.fix}）"
        return text

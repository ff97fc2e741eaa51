"""Audits an example ledger set once per test module and reads back what it wrote."""

import json
from pathlib import Path

from click.testing import CliRunner

from accountability.cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def audit_example(
    tmp_path_factory, pack: str, as_of: str, *options: str, folder: Path | None = None
) -> tuple[Path, str]:
    """Run `accountability audit examples/<pack> --pack <pack> --as-of … [options]` (or another `folder` of
    ledgers): the output folder and the console text."""
    out = tmp_path_factory.mktemp(pack)
    args = ["audit", str(folder or EXAMPLES / pack), "--pack", pack, "--as-of", as_of, "--out", str(out), *options]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out, result.output


def findings(out: Path) -> list[dict]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]


def who_answers(out: Path) -> dict[tuple[str, str, str, str], list[str]]:
    """(rule, unit, period, record) → the person ids that answer, sorted."""
    return {(f["rule"], f["unit"], f["period"], f["record"]): sorted(f["responsible"]) for f in findings(out)}

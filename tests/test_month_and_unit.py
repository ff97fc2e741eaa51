"""The monthly check (`--month`), a township auditing itself (`--unit`), the township of a unit, and progress bars
(`--quiet`)."""

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from accountability import progress
from accountability.cli import cli
from accountability.ingest.units import UnitTree
from accountability.language.periods import Window, whole_periods

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hongjiang-2025"
PATROL_RULES = {"HJ-PATROL-WEEKLY", "HJ-CROSS-PATROL", "HJ-PATROL-COVERAGE"}


def audit(*args: str) -> tuple[int, str, dict]:
    result = CliRunner().invoke(cli, ["audit", str(EXAMPLE), "--pack", "hongjiang-2025", "--out", "out", *args])
    doc = json.loads(Path("out/findings.json").read_text(encoding="utf-8")) if result.exit_code in (0, 1) else {}
    return result.exit_code, result.output, doc


def patrol_findings(doc: dict) -> list[tuple[str, str, str]]:
    return sorted((f["rule"], f["unit_name"], f["period"]) for f in doc["findings"] if f["rule"] in PATROL_RULES)


def test_monthly_checks_judge_every_week_once():
    """Months of 2025 with a floor: each week ending in the year is judged in exactly one month."""
    floor = date(2025, 1, 1)
    judged = []
    for month in range(1, 13):
        first = date(2025, month, 1)
        last = (date(2025, month + 1, 1) if month < 12 else date(2026, 1, 1)) - timedelta(days=1)
        judged += [p.label for p in whole_periods("week", Window(first, last, floor=floor))]
        quarters = [p.label for p in whole_periods("quarter", Window(first, last, floor=floor))]
        assert quarters == ([f"2025-Q{month // 3}"] if month % 3 == 0 else [])
    # 2025-W01 (from 2024-12-30) starts before the floor; 2026-W01 (from 2025-12-29) ends in January's check
    assert len(judged) == len(set(judged)) == 51
    assert judged[0] == "2025-W02" and judged[-1] == "2025-W52"
    assert whole_periods("week", Window(date(2025, 10, 1), date(2025, 10, 31)))[0].label == "2025-W41"


def test_month_september():
    code, output, doc = audit("--month", "2025-09", "--no-history")
    assert code == 0, output
    assert "检查期间：2025-09-01 至 2025-09-30" in output
    assert (doc["audit"]["from"], doc["audit"]["as_of"]) == ("2025-09-01", "2025-09-30")
    assert patrol_findings(doc) == [
        ("HJ-PATROL-COVERAGE", "铁山乡", "2025-09"),
        ("HJ-PATROL-WEEKLY", "沙湾乡", "2025-W37"),
        ("HJ-PATROL-WEEKLY", "铁山乡", "2025-W38"),
        ("HJ-PATROL-WEEKLY", "铁山乡", "2025-W39"),
    ]


def test_month_october_judges_the_week_across_the_first():
    """2025-W40 runs Sep 29 – Oct 5: the October check judges it; --from 2025-10-01 alone would never."""
    _, _, monthly = audit("--month", "2025年10月", "--no-history")
    _, _, plain = audit("--from", "2025-10-01", "--as-of", "2025-10-31", "--no-history")
    weeks = {f[2] for f in patrol_findings(monthly) if f[0] == "HJ-PATROL-WEEKLY"}
    assert weeks == {"2025-W40", "2025-W41", "2025-W42", "2025-W43"}
    assert set(patrol_findings(monthly)) - set(patrol_findings(plain)) == {
        ("HJ-PATROL-WEEKLY", unit, "2025-W40") for unit in ("沙湾乡", "铁山乡", "雪峰山国有林场", "雪峰镇")
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2025-09", "--as-of", "2025-09-30"], "--month 不能与 --from、--as-of 同时使用"),
        (["--month", "2025-13"], "无法识别的月份「2025-13」"),
    ],
)
def test_month_mistakes(args, message):
    code, output, _ = audit(*args)
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_unit_audits_a_township_and_its_villages():
    code, output, doc = audit("--as-of", "2025-09-30", "--unit", "铁山乡", "--no-history")
    assert code == 0, output
    assert doc["audit"]["scope"] == {"id": "TS", "name": "铁山乡"}
    assert sorted((f["rule"], f["period"], f["record"]) for f in doc["findings"]) == [
        ("DATA-DUPLICATE-ID", "", "TS-KD-002"),
        ("HJ-CONCEALMENT", "", "XC0167"),
        ("HJ-PATROL-COVERAGE", "2025-09", ""),
        ("HJ-PATROL-WEEKLY", "2025-W38", ""),
        ("HJ-PATROL-WEEKLY", "2025-W39", ""),
        ("HJ-POWER-SUPPLY", "", "AJ-2025-03"),
    ]
    assert {f["unit_name"] for f in doc["findings"]} == {"铁山乡"}
    # another township's bad date is not this township's; a row naming no known unit is everyone's to see
    assert [(e["row"], e["column"]) for e in doc["data_errors"]] == [(177, "巡查单位")]
    assert [r["unit_name"] for r in doc["compliance"]["rows"]] == ["铁山乡"]
    html = Path("out/report.html").read_text(encoding="utf-8")
    assert "检查单位：铁山乡及其下属单位" in html


def test_unit_by_id_and_its_own_history():
    """A township's self-check and the city's audit keep separate histories in one file."""
    audit("--as-of", "2025-09-30", "--unit", "TS")
    _, output, whole = audit("--as-of", "2025-09-30")
    assert "与上次检查" not in output  # the city's first audit: the township's own does not count
    _, output, again = audit("--as-of", "2025-10-15", "--unit", "TS")
    assert "与上次检查（2025-09-30）比对" in output
    assert again["audit"]["history"]["previous"][0]["as_of"] == "2025-09-30"
    assert whole["audit"]["scope"] is None


def test_unknown_unit_names_the_closest():
    code, output, _ = audit("--as-of", "2025-09-30", "--unit", "铁山")
    assert code == 2
    assert output.startswith("错误：--unit「铁山」：未知单位")
    assert "是否应为「铁山村」" in output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only():
    shown, piped = Terminal(), io.StringIO()
    for stream in (shown, piped):
        with progress.showing(True, stream), progress.stage("逐条检查规则", 3) as advance:
            for _ in range(3):
                advance(1)
    assert "逐条检查规则" in shown.getvalue() and "3/3" in shown.getvalue()
    assert piped.getvalue() == ""
    quiet = Terminal()
    with progress.showing(False, quiet), progress.stage("逐条检查规则", 3) as advance:
        advance(3)
    assert quiet.getvalue() == ""


def test_quiet_audit_prints_the_summary_and_no_bars():
    code, output, _ = audit("--as-of", "2025-09-30", "--no-history", "--quiet")
    assert code == 0
    assert output.startswith("洪江市非煤矿山领域“打非治违”工作实施方案\n") and "[" not in output.splitlines()[0]


def test_township_of_walks_up_the_tree():
    """Each unit's township or forest farm, itself when it is one; a unit the tree lacks, or whose parent it lacks,
    stays as written; an empty cell stays empty."""
    tree = UnitTree(
        pd.DataFrame(
            {
                "id": ["K", "T", "V", "G", "F", "O"],
                "parent": [None, "K", "T", "V", "K", "X"],
                "level": ["county", "township", "village", "village", "forest_farm", "village"],
                "name": ["县", "镇", "村", "组", "林场", "孤村"],
                "mining": [True] * 6,
            }
        )
    )
    units = pd.Series(["G", "V", "T", "F", "K", "O", "无此单位", None], index=range(10, 18), dtype="string")
    found = tree.township_of(units)
    assert found.index.tolist() == list(range(10, 18))
    assert found.iloc[:7].tolist() == ["T", "T", "T", "F", "K", "O", "无此单位"] and pd.isna(found.iloc[7])

"""What each check kind judged (the base of a compliance rate), and the rates, matrix and trend built from it."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from packrun import evaluation, rule

from accountability.audit.compliance import compliance
from accountability.audit.pipeline import run_audit
from accountability.cli import cli
from accountability.ingest.units import UnitTree
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs
from accountability.report import labels

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = {
    "hongjiang-2025": date(2025, 9, 30),
    "jincheng-2021": date(2022, 3, 19),
    "yanhu-2022": date(2023, 3, 31),
    "tangyuan-2022": date(2022, 12, 31),
    "yiyuan": date(2023, 12, 31),
}


def judged(tmp_path, kind, params, ledgers, as_of, date_from=None) -> list[tuple[str, str, int]]:
    found = evaluation(tmp_path, rule(kind, params), ledgers, as_of, date_from).judged
    return sorted((r.unit, r.period, int(r.judged)) for r in found.itertuples())


PATROLS = [
    {"id": "X1", "date": "2022-04-04", "unit": "T1"},
    {"id": "X2", "date": "2022-04-05", "unit": "T1"},
    {"id": "X3", "date": "2022-04-12", "unit": "T2"},
]


def test_count_per_period_judges_every_subject_in_every_whole_week(tmp_path):
    params = """\
        ledger: patrols
        subjects: {levels: [township]}
        period: week
        min: 2
    """
    found = judged(tmp_path, "count_per_period", params, {"patrols": PATROLS}, date(2022, 4, 17), date(2022, 4, 4))
    assert found == [("T1", "2022-W14", 1), ("T1", "2022-W15", 1), ("T2", "2022-W14", 1), ("T2", "2022-W15", 1)]


def test_record_kinds_judge_their_records_by_unit(tmp_path):
    params = """\
        ledger: patrols
        columns: [leader]
    """
    found = judged(tmp_path, "required_fields", params, {"patrols": PATROLS}, date(2022, 4, 30))
    assert found == [("T1", "", 2), ("T2", "", 1)]


def test_record_check_without_any_of_lists_occurrences_and_judges_nothing(tmp_path):
    params = """\
        ledger: patrols
        where: [{column: unit, eq: T1}]
    """
    result = evaluation(tmp_path, rule("record_check", params), {"patrols": PATROLS}, date(2022, 4, 30))
    assert len(result.findings) == 2
    assert result.judged.empty


def test_record_check_with_any_of_judges_the_records_in_scope(tmp_path):
    params = """\
        ledger: patrols
        any_of: [[{column: leader, empty: true}]]
        where: [{column: unit, eq: T1}]
    """
    found = judged(tmp_path, "record_check", params, {"patrols": PATROLS}, date(2022, 4, 30))
    assert found == [("T1", "", 2)]


def test_target_judges_each_subject_at_each_deadline(tmp_path):
    params = """\
        ledger: patrols
        subjects: {levels: [township]}
        date: date
        deadline: {by: 2022-04-30}
        min: 2
    """
    found = judged(tmp_path, "target", params, {"patrols": PATROLS}, date(2022, 5, 10))
    assert found == [("T1", "2022-04-30", 1), ("T2", "2022-04-30", 1)]
    before = judged(tmp_path, "target", params, {"patrols": PATROLS}, date(2022, 4, 20))
    assert before == []  # before the deadline: progress, nothing judged


@pytest.mark.parametrize("pack", sorted(CASES))
def test_no_rule_fails_more_items_than_it_judged(pack):
    """Every finding of a rated rule is one of the items the rule judged: the rates rest on that."""
    result = run_audit(EXAMPLES / pack, load_packs([pack]), AuditWindow(None, CASES[pack]))
    findings, counts = result.evaluation.findings, result.evaluation.judged
    rated = findings[findings["rule"].isin(counts["rule"])]
    failed = rated.groupby(["rule", "unit", "period"]).size().rename("failed")
    base = counts.groupby(["rule", "unit", "period"])["judged"].sum()
    joined = pd.concat([failed, base], axis=1).fillna(0)
    assert (joined["failed"] <= joined["judged"]).all(), joined[joined["failed"] > joined["judged"]]
    assert len(counts) > 0


def test_hongjiang_rates_matrix_and_trend():
    doc = run_audit(
        EXAMPLES / "hongjiang-2025", load_packs(["hongjiang-2025"]), AuditWindow(None, date(2025, 9, 30))
    ).doc
    comp = doc["compliance"]
    assert comp["granularity"] == "week"
    assert comp["total"] == {"judged": 90, "failed": 13}
    rates = {r["rule"]: (r["judged"], r["failed"], r["rate"]) for r in comp["rules"]}
    assert rates["HJ-PATROL-WEEKLY"] == (32, 3, 0.9062)
    assert rates["HJ-DEVICES"] == (1, 1, 0.0)
    assert rates["INT-PERSON-CLASH"] == (None, 1, None)  # an occurrence: counted, not rated
    rows = {r["unit_name"]: r for r in comp["rows"]}
    tieshan = rows["铁山乡"]["cells"]
    assert tieshan["2025-W38"] == [1, 1] and tieshan["2025-W39"] == [1, 1] and tieshan["2025-W37"] == [1, 0]
    assert (rows["雪峰山国有林场"]["judged"], rows["雪峰山国有林场"]["failed"]) == (18, 0)
    assert (rows["雪峰山国有林场"]["rate"], rows["铁山乡"]["rate"]) == (1.0, 0.7895)  # 1 − 4/19
    assert [t["period"] for t in comp["trend"]] == [f"2025-W{n}" for n in range(32, 41)]
    assert comp["columns"][-1] == ""  # records judged without a period come last


def test_matrix_rows_roll_villages_into_townships_and_many_townships_into_counties():
    units = UnitTree(
        pd.DataFrame(
            {
                "id": ["C", "K1", "K2", "T1", "T2", "V1"],
                "name": ["市", "甲县", "乙县", "甲镇", "乙镇", "一村"],
                "level": ["city", "county", "county", "township", "township", "village"],
                "parent": [None, "C", "C", "K1", "K2", "T1"],
                "mining": [None] * 6,
            }
        )
    )
    judged_items = pd.DataFrame(
        {"rule": "R", "pack": "p", "unit": ["V1", "T1", "T2"], "period": "2025-W37", "judged": [1, 1, 1]}
    )
    findings = pd.DataFrame(
        {"rule": ["R"], "pack": ["p"], "unit": ["V1"], "period": ["2025-W37"], "severity": ["high"], "title": ["t"]}
    )
    comp = compliance(findings, judged_items, units, date(2025, 9, 1), date(2025, 9, 30), {"R": "t"})
    assert [(r["unit_name"], r["judged"], r["failed"]) for r in comp["rows"]] == [("甲镇", 2, 1), ("乙镇", 1, 0)]
    comp = compliance(findings, judged_items, units, date(2025, 9, 1), date(2025, 9, 30), {"R": "t"}, max_rows=1)
    assert [(r["unit_name"], r["judged"], r["failed"]) for r in comp["rows"]] == [("甲县", 2, 1), ("乙县", 1, 0)]


def test_report_opens_with_the_overview_and_the_workbook_has_the_rates(tmp_path):
    out = tmp_path / "out"
    args = ["audit", str(EXAMPLES / "hongjiang-2025"), "--pack", "hongjiang-2025", "--as-of", "2025-09-30"]
    assert CliRunner().invoke(cli, [*args, "--out", str(out), "--no-history"]).exit_code == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.index('id="overview"') < html.index('id="summary"')
    assert html.count("<svg") == 2 and "<script" not in html
    assert "总体合规率" in html and "85.6%" in html  # 1 − 13/90
    sheet = load_workbook(out / "report.xlsx")["合规率"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == ("规则编号", "检查事项", "检查数", "未达标", "合规率")
    assert rows[2][:5] == ("HJ-DEVICES", "9月15日前新增101套监控设备并联网运行", 1, 1, 0)
    tieshan = next(r for r in rows if r[0] == "铁山乡")
    header = next(r for r in rows if r[0] == "单位")
    assert dict(zip(header, tieshan, strict=True))["W38"] == "1/1"
    assert sheet.cell(row=3, column=5).number_format == "0.0%"


def test_period_headings_carry_the_year_when_the_columns_span_years():
    assert labels.period_headings(["2025-09", "2025-10", ""]) == {"2025-09": "9月", "2025-10": "10月", "": "不分期"}
    assert labels.period_headings(["2025-W37"]) == {"2025-W37": "W37"}
    spanning = labels.period_headings(["2024-12", "2025-12"])
    assert spanning == {"2024-12": "2024-12", "2025-12": "2025-12"}

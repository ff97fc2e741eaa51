"""Each check kind's reading in the unit's favour (INTERFACE.md, "Trust"): a finding that an unreadable row or a
blank or unknown cell could overturn is doubtful and names those cells; one they cannot overturn stays confirmed."""

from datetime import date

from packrun import evaluation, rule
from test_deadline_kinds import MONTHLY, OFFICES, SEAL


def standing(result) -> list[tuple[str, str, str, bool]]:
    """(unit, period, record, doubtful) of every finding, sorted."""
    return sorted((f.unit, f.period, f.record, bool(f.doubtful)) for f in result.findings.itertuples())


def cells(result, record: str, unit: str | None = None) -> list[tuple]:
    """The doubts of the finding about `record` (of `unit`): (row, column, value, reason)."""
    found = result.findings
    [doubts] = found.loc[(found["record"] == record) & (found["unit"] == unit if unit else True), "doubts"]
    return [(d["row"], d["column"], d["value"], d["reason"]) for d in doubts]


def test_overdue_a_blank_status_may_be_done_an_unreadable_start_may_be_late_enough(tmp_path):
    adits = [
        {"id": "A4", "unit": "T2", "discovered_date": "2022-10-15", "sealed": "未封堵"},
        {"id": "A5", "unit": "T2", "discovered_date": "2022-10-01"},
        {"id": "A6", "unit": "T1", "discovered_date": "2022-10-01", "sealed": "未封堵"},
        {"id": "A7", "unit": "T1", "discovered_date": "2022年10月", "sealed": "未封堵"},
    ]
    result = evaluation(tmp_path, rule("overdue", SEAL), {"adits": adits}, date(2022, 11, 20))
    assert standing(result) == [("T1", "", "A6", False), ("T2", "", "A4", False), ("T2", "", "A5", True)]
    assert cells(result, "A5") == [(3, "封堵状态", "", "空白，可能是任何值")]


def test_ratio_a_blank_yes_may_be_yes(tmp_path):
    params = """\
        ledger: problems
        subjects: {levels: [township]}
        date: found_date
        deadline: {by: 2022-03-19, count_from: 2021-12-20}
        numerator: [{column: spot_checked, is: true}]
        min_ratio: 0.5
    """
    problems = [
        {"id": "Q1", "found_date": "2022-01-05", "unit": "T1", "spot_checked": "是"},
        {"id": "Q2", "found_date": "2022-01-05", "unit": "T1", "spot_checked": "否"},
        {"id": "Q3", "found_date": "2022-01-05", "unit": "T1", "spot_checked": "否"},
        {"id": "Q4", "found_date": "2022-01-05", "unit": "T2", "spot_checked": "否"},
        {"id": "Q5", "found_date": "2022-01-05", "unit": "T2"},
    ]
    found = evaluation(tmp_path, rule("ratio", params), {"problems": problems}, date(2022, 3, 31), date(2021, 12, 20))
    # T1: 1 of 3, no cell could make it 2; T2: 0 of 2, its blank may be a yes, and 1 of 2 is enough
    assert standing(found) == [("T1", "2022-03-19", "", False), ("T2", "2022-03-19", "", True)]


def test_required_fields_a_blank_required_cell_is_the_finding_a_blank_yes_is_a_doubt(tmp_path):
    params = """\
        ledger: adits
        columns: [responsible]
        true_columns: [in_license_area]
    """
    adits = [
        {"id": "A1", "unit": "T1", "responsible": "李四", "in_license_area": "否"},
        {"id": "A2", "unit": "T1", "in_license_area": "是"},
        {"id": "A3", "unit": "T1", "responsible": "王五"},
    ]
    result = evaluation(tmp_path, rule("required_fields", params), {"adits": adits}, date(2022, 10, 1))
    assert standing(result) == [("T1", "", "A1", False), ("T1", "", "A2", False), ("T1", "", "A3", True)]


def test_earlier_record_a_blank_answer_may_have_reported_the_problem(tmp_path):
    params = """\
        ledger: problems
        date: found_date
        earlier:
          ledger: eight_checks
          where: [{column: problem_found, is: false}]
          match: {village: village}
    """
    checks = [
        {"id": "E1", "date": "2022-01-03", "unit": "T1", "village": "一村", "problem_found": "否"},
        {"id": "E2", "date": "2022-01-03", "unit": "T1", "village": "二村"},
    ]
    problems = [
        {"id": "Q1", "found_date": "2022-01-05", "unit": "T1", "village": "一村"},
        {"id": "Q2", "found_date": "2022-01-05", "unit": "T1", "village": "二村"},
    ]
    ledgers = {"eight_checks": checks, "problems": problems}
    result = evaluation(tmp_path, rule("earlier_record", params), ledgers, date(2022, 3, 31))
    assert standing(result) == [("T1", "", "Q1", False)]  # a blank answer is no evidence of silence at all


def test_report_deadline_a_report_of_unknown_kind_or_period_may_be_the_one_due(tmp_path):
    reports = [
        {"id": "R1", "unit": "S1", "kind": "月度统计表", "period": "2023-05", "submitted_date": "2023-05-24"},
        {"id": "R2", "unit": "S1", "period": "2023-06", "submitted_date": "2023-06-20"},
        {"id": "R3", "unit": "S2", "kind": "月度统计表", "period": "2023-05", "submitted_date": "2023-05-20"},
    ]
    result = evaluation(
        tmp_path, rule("report_deadline", MONTHLY), {"reports": reports}, date(2023, 6, 30), date(2023, 5, 1),
        units=OFFICES,
    )  # fmt: skip
    assert standing(result) == [("S1", "2023-06", "monthly_stats", True), ("S2", "2023-06", "monthly_stats", False)]
    assert cells(result, "monthly_stats", "S1") == [(3, "报送事项", "", "必填项为空")]  # the row is unreadable


def test_reference_an_id_may_be_on_a_row_that_could_not_be_read(tmp_path):
    params = """\
        ledger: patrols
        date: date
        where: [{column: problem_found, is: true}]
        column: problem_ids
        target: problems
    """
    patrols = [
        {
            "id": "X1",
            "date": "2022-09-01",
            "unit": "T1",
            "team": "日常巡查",
            "problem_found": "是",
            "problem_ids": "Q1",
        },
        {
            "id": "X2",
            "date": "2022-09-02",
            "unit": "T1",
            "team": "日常巡查",
            "problem_found": "是",
            "problem_ids": "Q7",
        },
        {"id": "X3", "date": "2022-09-03", "unit": "T2", "team": "日常巡查", "problem_ids": "Q8"},
    ]
    problems = [
        {"id": "Q1", "found_date": "2022-09-01", "unit": "T1"},
        {"id": "Q7", "found_date": "2022-09-31", "unit": "T1"},
    ]
    result = evaluation(tmp_path, rule("reference", params), {"patrols": patrols, "problems": problems},
                        date(2022, 9, 30))  # fmt: skip
    # X2's Q7 is on a problems row whose date cannot be read; X3 says nothing of a problem found: no finding
    assert standing(result) == [("T1", "", "X2", True)]


def test_visits_a_patrol_that_names_no_village_may_have_visited_any_of_its_units(tmp_path):
    params = """\
        ledger: patrols
        period: month
        places: {ledger: adits, place: [village, unit], since: discovered_date}
    """
    adits = [
        {"id": "A1", "unit": "T1", "village": "一村", "discovered_date": "2023-01-01"},
        {"id": "A2", "unit": "T2", "village": "三村", "discovered_date": "2023-01-01"},
    ]
    patrols = [
        {"id": "X1", "date": "2023-02-05", "unit": "T1", "team": "日常巡查", "areas": "一村"},
        {"id": "X2", "date": "2023-02-31", "unit": "T2", "team": "日常巡查", "areas": "三村"},
    ]
    result = evaluation(tmp_path, rule("visits_per_period", params), {"adits": adits, "patrols": patrols},
                        date(2023, 2, 28), date(2023, 2, 1))  # fmt: skip
    assert standing(result) == [("T2", "2023-02", "A2", True)]
    assert cells(result, "A2") == [(3, "巡查日期", "2023-02-31", "无法识别的日期")]


def test_max_gap_an_action_of_unknown_date_may_have_closed_any_gap(tmp_path):
    params = """\
        ledger: meetings
        subjects: {top: true}
        match: any
        start: 2022-04-07
        where: [{column: kind, eq: joint_enforcement}]
        months: 2
    """
    meetings = [
        {"id": "M1", "date": "2022-05-20", "kind": "联合执法"},
        {"id": "M2", "date": "2022-10-10", "kind": "联合执法"},
        {"id": "M3", "date": "2022-12-05", "kind": "联合执法"},
    ]
    result = evaluation(tmp_path, rule("max_gap", params), {"meetings": meetings}, date(2022, 12, 31))
    assert standing(result) == [("C", "2022-07-20", "", False)]
    assert result.findings["actual"].tolist() == ["143天"]
    meetings[2]["date"] = "2022-09-31"
    result = evaluation(tmp_path, rule("max_gap", params), {"meetings": meetings}, date(2022, 12, 31))
    # M3 might be any day: before 7-20 and after 10-10 alike; the gap after M2 is judged too, and doubtful
    assert standing(result) == [("C", "2022-07-20", "", True), ("C", "2022-12-10", "", True)]
    doubts = [[(d["row"], d["column"], d["value"]) for d in found] for found in result.findings["doubts"]]
    assert doubts == [[(4, "日期", "2022-09-31")]] * 2

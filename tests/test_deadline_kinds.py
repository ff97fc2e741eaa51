"""The kinds added for the Jincheng, Yanhu, Tangyuan and Yiyuan plans, on their edges."""

from datetime import date

from packrun import UNITS, evaluation, keys, rule, run

from accountability.language.workdays import Overrides, WorkCalendar

OFFICES = [
    {"id": "C", "name": "局", "level": "department"},
    {"id": "S1", "name": "一所", "level": "office", "parent": "C"},
    {"id": "S2", "name": "二所", "level": "office", "parent": "C"},
]
MONTHLY = """\
    subjects: {levels: [office]}
    reports:
      - {kind: monthly_stats, names: [月度统计表], every_month: 24, months: [5, 6, 7], shift: true}
"""


def test_monthly_reports_shift_past_holidays_to_an_adjusted_working_sunday(tmp_path):
    reports = [
        # 2023-06-24 is a Saturday of the Dragon Boat holiday; Sunday 06-25 is an adjusted working day
        {"id": "R1", "unit": "S1", "kind": "月度统计表", "period": "2023-05", "submitted_date": "2023-05-24"},
        {"id": "R2", "unit": "S1", "kind": "月度统计表", "period": "2023年6月", "submitted_date": "2023-06-25"},
        {"id": "R3", "unit": "S1", "kind": "monthly_stats", "submitted_date": "2023-07-24"},
        {"id": "R4", "unit": "S2", "kind": "月度统计表", "period": "2023-05", "submitted_date": "2023-05-25"},
        {"id": "R5", "unit": "S2", "kind": "月度统计表", "period": "2023-06", "submitted_date": "2023-06-26"},
        {"id": "R6", "unit": "S2", "kind": "其他报表", "period": "2023-07", "submitted_date": "2023-07-20"},
    ]
    result = evaluation(
        tmp_path,
        rule("report_deadline", MONTHLY),
        {"reports": reports},
        date(2023, 7, 31),
        date(2023, 5, 1),
        units=OFFICES,
    )
    assert keys(result.findings) == [
        ("S2", "2023-05", "monthly_stats", "2023-05-25报送，逾期"),
        ("S2", "2023-06", "monthly_stats", "2023-06-26报送，逾期"),
        ("S2", "2023-07", "monthly_stats", "未报送"),
    ]
    june = result.findings[result.findings["period"] == "2023-06"].iloc[0]
    assert june["expected"] == "2023-06-25前报送（06月24日逢休息日顺延）"
    assert not result.findings["provisional"].any()
    assert result.guessed_years == []


def test_the_24th_on_a_sunday_moves_to_monday(tmp_path):
    reports = [{"id": "R1", "unit": "S1", "kind": "月度统计表", "period": "2023-09", "submitted_date": "2023-09-25"}]
    params = MONTHLY.replace("[5, 6, 7]", "[9]")
    found = run(
        tmp_path,
        rule("report_deadline", params),
        {"reports": reports},
        date(2023, 9, 30),
        date(2023, 9, 1),
        units=OFFICES,
    )
    assert found == [("S2", "2023-09", "monthly_stats", "未报送")]


def test_a_year_the_calendar_lacks_is_guessed_and_provisional(tmp_path):
    reports = [{"id": "R1", "unit": "S1", "kind": "月度统计表", "period": "2027-05", "submitted_date": "2027-05-24"}]
    params = MONTHLY.replace("[5, 6, 7]", "[5]")
    result = evaluation(
        tmp_path,
        rule("report_deadline", params),
        {"reports": reports},
        date(2027, 5, 31),
        date(2027, 5, 1),
        units=OFFICES,
    )
    assert keys(result.findings) == [("S2", "2027-05", "monthly_stats", "未报送")]
    assert result.findings["provisional"].tolist() == [True]
    assert result.findings["message"].iloc[0].endswith("（暂定：2027 年节假日安排未知）")
    assert result.guessed_years == [2027]
    notice = WorkCalendar(Overrides(holidays={date(2027, 5, 24)}))
    result = evaluation(
        tmp_path,
        rule("report_deadline", params),
        {"reports": reports},
        date(2027, 5, 31),
        date(2027, 5, 1),
        notice,
        units=OFFICES,
    )
    assert result.findings["expected"].tolist() == ["2027-05-25前报送（05月24日逢休息日顺延）"]
    assert not result.findings["provisional"].any() and result.guessed_years == []


def test_one_off_and_yearly_reports(tmp_path):
    params = """\
        subjects: {levels: [township], mining: true}
        reports:
          - {kind: measures, names: [具体举措], by: 2022-12-15}
          - {kind: summary, names: [工作总结], every_year: "12-20"}
    """
    reports = [
        {"id": "R1", "unit": "T1", "kind": "具体举措", "submitted_date": "2022-12-15"},
        {"id": "R2", "unit": "T1", "kind": "工作总结", "period": "2022年", "submitted_date": "2022-12-19"},
        {"id": "R3", "unit": "T2", "kind": "具体举措", "submitted_date": "2023-01-03"},
        {"id": "R4", "unit": "T2", "kind": "工作总结", "period": "2021", "submitted_date": "2022-12-19"},
    ]
    found = run(tmp_path, rule("report_deadline", params), {"reports": reports}, date(2023, 1, 5), date(2022, 12, 1))
    # T2's summary is for 2021, not 2022; a report after as_of is not seen
    assert found == [("T2", "2022", "summary", "未报送"), ("T2", "2022-12-15", "measures", "2023-01-03报送，逾期")]
    assert (
        run(tmp_path, rule("report_deadline", params), {"reports": reports}, date(2022, 12, 14), date(2022, 12, 1))
        == []
    )


SEAL = """\
    ledger: adits
    date: discovered_date
    due:
      - {when: [{column: discovered_date, before: 2022-10-15}], by: 2022-10-15}
      - {after: discovered_date, days: 30}
    done: [{column: sealed, eq: sealed}]
    done_date: sealed_date
"""


def test_overdue_fixed_and_counted_due_dates(tmp_path):
    adits = [
        {"id": "A1", "unit": "T1", "discovered_date": "2022-05-01", "sealed": "已封堵", "sealed_date": "2022-10-15"},
        {"id": "A2", "unit": "T1", "discovered_date": "2022-05-01", "sealed": "已封堵", "sealed_date": "2022-10-16"},
        {"id": "A3", "unit": "T1", "discovered_date": "2022-05-01", "sealed": "已封堵"},
        {"id": "A4", "unit": "T2", "discovered_date": "2022-10-15", "sealed": "未封堵"},
        {"id": "A5", "unit": "T2", "discovered_date": "2022-10-20", "sealed": "未封堵"},
        {"id": "A6", "unit": "T2", "discovered_date": "2022-12-01", "sealed": "未封堵"},
    ]
    found = run(tmp_path, rule("overdue", SEAL), {"adits": adits}, date(2022, 11, 14))
    # A3 is sealed with no date: taken as in time; A5 is due 11-19, A6 is not yet recorded on as_of
    assert found == [("T1", "", "A2", "逾期完成（2022-10-16）"), ("T2", "", "A4", "未完成")]
    assert run(tmp_path, rule("overdue", SEAL), {"adits": adits}, date(2022, 10, 14)) == []


def test_ratio_rounds_up_and_skips_units_without_records(tmp_path):
    params = """\
        ledger: problems
        subjects: {levels: [township]}
        date: found_date
        deadline: {by: 2022-03-19, count_from: 2021-12-20}
        numerator: [{column: spot_checked, is: true}]
        min_ratio: 0.3
    """
    problems = [
        {"id": f"Q{i}", "found_date": "2022-01-05", "unit": "一村", "spot_checked": "是" if i < 1 else "否"}
        for i in range(4)
    ]
    problems.append({"id": "Q9", "found_date": "2021-12-01", "unit": "T1", "spot_checked": "是"})
    found = run(tmp_path, rule("ratio", params), {"problems": problems}, date(2022, 3, 31), date(2021, 12, 20))
    # 1 of 4 in T1 (the village counts for its township); 30% of 4 rounds up to 2; Q9 is before the span
    assert found == [("T1", "2022-03-19", "", "1/4（25%）")]
    result = evaluation(tmp_path, rule("ratio", params), {"problems": problems}, date(2022, 2, 1), date(2021, 12, 20))
    progress = {(p.unit, p.target, p.actual) for p in result.progress.itertuples()}
    assert progress == {("T1", 2, 1), ("T2", 0, 0)}


def test_spatial_groups_by_parcel_and_haversine_distance(tmp_path):
    params = """\
        ledger: patches
        distance_m: 50
        value: legality
    """
    # 0.00044° of latitude is about 48.9 m, 0.00046° about 51.2 m (haversine, R = 6371008.8 m)
    patches = [
        {"id": "B1", "unit": "T1", "lon": 111.0, "lat": 35.0, "legality": "合法"},
        {"id": "B2", "unit": "T1", "lon": 111.0, "lat": 35.00044, "legality": "合法"},
        {"id": "B3", "unit": "T1", "lon": 111.0, "lat": 35.00088, "legality": "违法"},
        {"id": "C1", "unit": "T2", "lon": 112.0, "lat": 35.0, "legality": "合法"},
        {"id": "C2", "unit": "T2", "lon": 112.0, "lat": 35.00046, "legality": "违法"},
        {"id": "D1", "unit": "T2", "parcel": "DK9", "lon": 113.0, "lat": 35.0, "legality": "违法"},
        {"id": "D2", "unit": "T2", "parcel": "DK9", "lon": 113.5, "lat": 35.0, "legality": "合法"},
        {"id": "D3", "unit": "T2", "parcel": "DK9", "lon": 113.6, "lat": 35.0},
    ]
    found = run(tmp_path, rule("spatial_conflict", params), {"patches": patches}, date(2023, 1, 1))
    # B1–B2–B3 chain within 50 m step by step; C1–C2 are 51 m apart; D* share a parcel, D3 has no judgement
    assert found == [("T1", "", "B1", "B1（合法）、B2（合法）、B3（违法）"), ("T2", "", "D1", "D1（违法）、D2（合法）")]


def test_haversine_distance_threshold_matches_the_formula():
    import math

    from accountability.checks.spatial_conflict import near_pairs

    def haversine(lon1, lat1, lon2, lat2):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6_371_008.8 * math.asin(math.sqrt(a))

    import numpy as np

    lon = np.array([111.0, 111.0006, 111.00062])
    lat = np.array([35.0, 35.0, 35.0])
    distances = [haversine(lon[0], lat[0], lon[i], lat[i]) for i in (1, 2)]
    assert distances[0] < 55 < distances[1]
    assert near_pairs(lon, lat, 55).tolist() == [[0, 1], [1, 2]]


def test_earlier_records_in_the_span_before_the_finding(tmp_path):
    params = """\
        ledger: problems
        date: found_date
        where: [{column: source, in: [spot_check]}]
        earlier:
          ledger: eight_checks
          where: [{column: problem_found, is: false}]
          match: {village: village}
          from: 2021-12-20
          to: 2022-03-19
    """
    checks = [
        {"id": "E1", "date": "2021-12-10", "unit": "T1", "village": "一村", "problem_found": "否"},
        {"id": "E2", "date": "2022-01-03", "unit": "T1", "village": "一村", "problem_found": "否"},
        {"id": "E3", "date": "2022-01-04", "unit": "T1", "village": "一村", "problem_found": "否"},
        {"id": "E4", "date": "2022-01-04", "unit": "T1", "village": "二村", "problem_found": "是"},
        {"id": "E5", "date": "2022-01-09", "unit": "T2", "village": "三村", "problem_found": "否"},
    ]
    problems = [
        {"id": "Q1", "found_date": "2022-01-05", "source": "市级抽查", "unit": "T1", "village": "一村"},
        {"id": "Q2", "found_date": "2022-01-05", "source": "市级抽查", "unit": "T1", "village": "二村"},
        {"id": "Q3", "found_date": "2022-01-09", "source": "市级抽查", "unit": "T2", "village": "三村"},
        {"id": "Q4", "found_date": "2022-01-10", "source": "自查", "unit": "T2", "village": "三村"},
    ]
    result = evaluation(
        tmp_path, rule("earlier_record", params), {"eight_checks": checks, "problems": problems}, date(2022, 3, 31)
    )
    assert keys(result.findings) == [("T1", "", "Q1", "2 条此前记录填报未发现问题")]
    assert result.findings["detail"].tolist() == ["此前的记录 E2、E3 填报未发现问题"]


def test_visits_per_period_from_the_record_date_and_by_unit_when_no_village(tmp_path):
    params = """\
        ledger: patrols
        period: month
        places: {ledger: adits, place: [village, unit], since: discovered_date}
    """
    adits = [
        {"id": "A1", "unit": "T1", "village": "一村", "discovered_date": "2023-01-01"},
        {"id": "A2", "unit": "T1", "village": "二村", "discovered_date": "2023-01-01"},
        {"id": "A3", "unit": "T2", "discovered_date": "2023-02-10"},
    ]
    patrols = [
        {"id": "X1", "date": "2023-01-05", "unit": "T1", "team": "日常巡查", "areas": "一村、二村"},
        {"id": "X2", "date": "2023-02-05", "unit": "T1", "team": "日常巡查", "areas": "一村"},
        {"id": "X3", "date": "2023-02-06", "unit": "T2", "team": "日常巡查"},
    ]
    found = run(
        tmp_path,
        rule("visits_per_period", params),
        {"adits": adits, "patrols": patrols},
        date(2023, 2, 28),
        date(2023, 1, 1),
    )
    assert found == [("T1", "2023-02", "A2", "0")]


def test_required_fields_with_subjects_and_a_due_date(tmp_path):
    params = """\
        ledger: eight_batches
        subjects: {levels: [township], mining: true}
        absent: 未报送
        columns: [b1, b2]
        by: 2022-12-31
    """
    rows = [{"unit": "T1", "b1": 1}]
    yaml_rule = rule("required_fields", params)
    assert run(tmp_path, yaml_rule, {"eight_batches": rows}, date(2022, 12, 30)) == []
    found = run(tmp_path, yaml_rule, {"eight_batches": rows}, date(2023, 1, 5))
    assert found == [("T1", "2022-12-31", "第2行", "缺 打击一批非法违法行为"), ("T2", "2022-12-31", "", "无记录")]


def test_who_answers_otherwise_and_by_level(tmp_path):
    units = [*UNITS, {"id": "S", "name": "所", "level": "office", "parent": "C"}]
    people = [
        {"id": "P1", "name": "甲", "unit": "C", "roles": "主要负责人"},
        {"id": "P2", "name": "乙", "unit": "T1", "roles": "主要负责人"},
        {"id": "P3", "name": "丙", "unit": "T1"},
    ]
    params = """\
        ledger: problems
        date: found_date
    """
    problems = [
        {"id": "Q1", "found_date": "2022-05-01", "unit": "T1", "resp_person": "丙"},
        {"id": "Q2", "found_date": "2022-05-01", "unit": "T1"},
        {"id": "Q3", "found_date": "2022-05-01", "unit": "T1", "resp_person": "外单位某人"},
        {"id": "Q4", "found_date": "2022-05-01", "unit": "V1"},
    ]
    accountable = "[{person: resp_person, otherwise: main_leader}, {role: main_leader, level: county}]"
    import packrun

    original = packrun.PEOPLE
    packrun.PEOPLE = people
    try:
        result = evaluation(
            tmp_path, rule("record_check", params, accountable), {"problems": problems}, date(2022, 6, 1), units=units
        )
    finally:
        packrun.PEOPLE = original
    got = {
        f.record: (sorted(f.responsible), list(f.unnamed)) for f in result.findings.itertuples() if f.rule == "T-RULE"
    }
    # Q4: the village has no main leader: nobody of the township answers in its place
    assert got == {
        "Q1": (["P1", "P3"], []),
        "Q2": (["P1", "P2"], []),
        "Q3": (["P1"], ["外单位某人"]),
        "Q4": (["P1"], []),
    }


def test_visits_per_period_counts_distinct_days_or_records(tmp_path):
    """Two patrols of 一村 on one day are one day's visit but two records; a village named twice in one record
    and by the record's own unit is still one record."""
    adits = [
        {"id": "A1", "unit": "T1", "village": "一村", "discovered_date": "2023-01-01"},
        {"id": "A2", "unit": "T2", "discovered_date": "2023-01-01"},
    ]
    patrols = [
        {"id": "X1", "date": "2023-01-05", "unit": "T1", "team": "日常巡查", "areas": "一村、一村"},
        {"id": "X2", "date": "2023-01-05", "unit": "T1", "team": "日常巡查", "areas": "一村"},
        {"id": "X3", "date": "2023-01-09", "unit": "T2", "team": "日常巡查", "areas": "T2"},
        {"id": "X4", "date": "2023-01-20", "unit": "T2", "team": "日常巡查"},
    ]
    found = {}
    for count in ("distinct_dates", "records"):
        params = f"""\
            ledger: patrols
            period: month
            count: {count}
            min: 2
            places: {{ledger: adits, place: [village, unit]}}
        """
        found[count] = run(
            tmp_path,
            rule("visits_per_period", params),
            {"adits": adits, "patrols": patrols},
            date(2023, 1, 31),
            date(2023, 1, 1),
        )
    assert found == {"distinct_dates": [("T1", "2023-01", "A1", "1")], "records": []}

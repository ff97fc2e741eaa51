"""Check kinds on paths the Hongjiang rules do not take: quarters, two-month blocks, areas, fixed spans, yes-columns."""

from datetime import date

from packrun import UNITS, evaluation, keys, rule, run


def test_two_month_blocks_from_an_anchor(tmp_path):
    params = """\
        ledger: meetings
        subjects: {top: true}
        match: any
        period: two_months
        anchor: 2022-04-01
        where: [{column: kind, eq: joint_enforcement}]
        count: records
        min: 1
    """
    meetings = [
        {"id": "M1", "date": "2022-05-20", "kind": "联合执法"},
        {"id": "M2", "date": "2022-08-02", "kind": "联合执法"},
    ]
    found = run(tmp_path, rule("count_per_period", params), {"meetings": meetings}, date(2022, 10, 5), date(2022, 4, 7))
    # 2022-04~05 starts before `from`: not judged; 06~07 has none; 08~09 has one
    assert found == [("C", "2022-06~2022-07", "", "0")]


def test_quarters_and_areas_count_for_the_township_of_a_village(tmp_path):
    params = """\
        ledger: patrols
        subjects: {levels: [township], mining: true}
        period: quarter
        match: unit_or_areas
        where: [{column: team, eq: district}]
        count: records
        min: 1
    """
    patrols = [
        {"id": "X1", "date": "2022-12-20", "unit": "C", "team": "区级巡查", "areas": "一村"},
        {"id": "X2", "date": "2023-02-01", "unit": "T2", "team": "区级巡查"},
    ]
    found = run(tmp_path, rule("count_per_period", params), {"patrols": patrols}, date(2023, 3, 31), date(2022, 10, 1))
    assert found == [("T1", "2023-Q1", "", "0"), ("T2", "2022-Q4", "", "0")]


def test_a_patrol_filed_under_a_village_counts_for_its_township_only(tmp_path):
    params = """\
        ledger: patrols
        subjects: {levels: [township], mining: true}
        period: week
        match: unit_or_villages
        where: [{column: team, eq: daily}]
        count: distinct_dates
        min: 2
    """
    patrols = [
        {"id": "X1", "date": "2022-12-05", "unit": "T1", "team": "日常巡查"},
        {"id": "X2", "date": "2022-12-06", "unit": "V1", "team": "日常巡查"},
        {"id": "X3", "date": "2022-12-06", "unit": "T2", "team": "日常巡查"},
        {"id": "X4", "date": "2022-12-07", "unit": "V2", "team": "日常巡查"},
    ]
    found = run(tmp_path, rule("count_per_period", params), {"patrols": patrols}, date(2022, 12, 11), date(2022, 12, 5))
    # T1: its own day and two of its villages' (3 days); T2: one day; V2 belongs to T1, not T2
    assert found == [("T2", "2022-W49", "", "1")]


def test_the_leaders_of_the_city_are_city_leaders(tmp_path):
    params = """\
        ledger: patrols
        subjects: {top: true}
        match: any
        period: month
        where: [{column: team, eq: supervision}, {column: leader, has_role: city_leader}]
        count: records
        min: 1
    """
    units = [{"id": "S", "name": "市", "level": "city"}, *[{**u, "parent": u.get("parent") or "S"} for u in UNITS]]
    people = [
        {"id": "M", "name": "市长", "unit": "S", "roles": "主要负责人"},
        {"id": "D", "name": "副市长", "unit": "S", "roles": "分管领导"},
        {"id": "K", "name": "区长", "unit": "C", "roles": "主要负责人"},
    ]
    patrols = [
        {"id": "X1", "date": "2022-10-10", "unit": "T1", "team": "督导", "leader": "市长"},
        {"id": "X2", "date": "2022-11-10", "unit": "T1", "team": "督导", "leader": "副市长"},
        {"id": "X3", "date": "2022-12-10", "unit": "T1", "team": "督导", "leader": "区长"},
    ]
    ledgers = {"people": people, "patrols": patrols}
    found = run(tmp_path, rule("count_per_period", params), ledgers, date(2022, 12, 31), date(2022, 10, 1), units=units)
    assert found == [("S", "2022-12", "", "0")]


def test_village_subjects_each_week(tmp_path):
    params = """\
        ledger: patrols
        subjects: {levels: [village], parent: {levels: [township], mining: true}}
        period: week
        match: unit_or_areas
        where: [{column: team, eq: village}]
        min: 1
    """
    patrols = [
        {"id": "X1", "date": "2022-12-05", "unit": "V1", "team": "村级排查"},
        {"id": "X2", "date": "2022-12-06", "unit": "T1", "team": "村级排查", "areas": "二村"},
    ]
    found = run(tmp_path, rule("count_per_period", params), {"patrols": patrols}, date(2022, 12, 11), date(2022, 12, 5))
    assert found == [("V3", "2022-W49", "", "0")]


def test_coverage_over_a_fixed_span_judged_on_its_last_day(tmp_path):
    params = """\
        ledger: eight_checks
        subjects: {levels: [township], mining: true}
        areas: [village]
        span: {from: 2021-12-20, to: 2022-01-19}
    """
    checks = [
        {"id": "E1", "date": "2021-12-22", "unit": "T1", "village": "一村"},
        {"id": "E2", "date": "2022-01-25", "unit": "T1", "village": "二村"},
        {"id": "E3", "date": "2022-01-02", "unit": "T2", "village": "三村"},
    ]
    yaml_rule = rule("coverage", params)
    assert run(tmp_path, yaml_rule, {"eight_checks": checks}, date(2022, 1, 18), date(2021, 12, 20)) == []
    found = run(tmp_path, yaml_rule, {"eight_checks": checks}, date(2022, 3, 1), date(2021, 12, 20))
    assert found == [("T1", "2022-01-19", "", "1/2")]


def test_required_yes_columns(tmp_path):
    params = """\
        ledger: closures
        columns: [supervisor]
        true_columns: [s1, s2, s3, s4, s5, s6]
    """
    closures = [
        {
            "id": "G1",
            "unit": "T1",
            "supervisor": "甲",
            "s1": "是",
            "s2": "是",
            "s3": "是",
            "s4": "是",
            "s5": "是",
            "s6": "是",
        },
        {"id": "G2", "unit": "T1", "s1": "是", "s2": "否", "s3": "是", "s4": "是", "s5": "是"},
    ]
    found = run(tmp_path, rule("required_fields", params), {"closures": closures}, date(2022, 3, 1))
    assert found == [("T1", "", "G2", "缺 监管责任人、停止供应并处理火工用品（未达到）、妥善遣散从业人员（未达到）")]


def test_records_dated_after_as_of_are_left_out(tmp_path):
    params = """\
        ledger: problems
        date: found_date
        where: [{column: status, ne: closed}]
    """
    problems = [
        {"id": "Q1", "found_date": "2022-05-01", "unit": "T1", "status": "未整改"},
        {"id": "Q2", "found_date": "2022-07-01", "unit": "T1", "status": "未整改"},
        {"id": "Q3", "found_date": "2022-05-02", "unit": "T2", "status": "已销号"},
    ]
    found = run(tmp_path, rule("record_check", params), {"problems": problems}, date(2022, 6, 1))
    assert found == [("T1", "", "Q1", "")]


def test_same_day_clash_by_township_and_undated_records(tmp_path):
    """A village's record counts for its township, an undated record clashes with nothing, and the same township
    twice a day is no clash."""
    patrols = [
        {"id": "X1", "date": "2023-03-01", "unit": "V1", "team": "日常巡查", "leader": "张三"},
        {"id": "X2", "date": "2023-03-01", "unit": "T2", "team": "日常巡查", "leader": "张三"},
        {"id": "X4", "date": "2023-03-02", "unit": "T1", "team": "日常巡查", "leader": "李四"},
        {"id": "X5", "date": "2023-03-02", "unit": "V2", "team": "日常巡查", "leader": "李四"},
        {"id": "X6", "date": "2023-03-02", "unit": "T1", "team": "日常巡查", "leader": "王五"},
        {"id": "X7", "date": "", "unit": "T2", "team": "日常巡查", "leader": "王五"},
    ]
    params = """\
        ledger: patrols
        persons: [leader]
    """
    result = evaluation(tmp_path, rule("same_day_clash", params), {"patrols": patrols}, date(2023, 3, 31))
    assert keys(result.findings) == [("T1", "2023-03-01", "张三", "甲镇、乙镇")]
    assert result.findings["rows"].tolist() == [[("patrols", 0), ("patrols", 1)]]

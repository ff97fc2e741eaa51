"""The referrals of every example ledger set, pinned: who is referred, how firmly, from which base step, raised by
which step-ups, decided by which rule, on how many findings; and the exact reasons where a step-up decides."""

import json
import re

import pytest
from example_audit import EXAMPLES, audit_example

CASES = [
    ("hongjiang-2025", "2025-09-30"),
    ("jincheng-2021", "2022-03-31"),
    ("yanhu-2022", "2023-03-31"),
    ("tangyuan-2022", "2023-03-31"),
    ("yiyuan", "2023-12-31"),
]

# (person id, name): (disposition, base, step-ups, the rule that decides, number of findings)
EXPECTED = {
    "hongjiang-2025": {
        ("P080", "欧阳诚"): ("discipline", "discipline", [], "HJ-POWER-SUPPLY", 1),
        ("P041", "肖光明"): ("discipline", "discipline", ["integrity"], "INT-PHOTO-REUSE", 2),
        ("P021", "易海波"): ("discipline", "interview", ["integrity"], "INT-PERSON-CLASH", 2),
        ("P020", "曾宪平"): ("discipline", "discipline", [], "HJ-CRIME-TRANSFER", 3),
        ("P031", "黄志强"): ("discipline", "discipline", [], "HJ-CONCEALMENT", 4),
        ("P011", "刘建军"): ("discipline", "discipline", [], "HJ-CONCEALMENT", 3),
        ("P012", "舒晓峰"): ("discipline", "discipline", [], "HJ-THEFT-ACCOUNTABILITY", 2),
        ("P010", "蒋文华"): ("discipline", "discipline", [], "HJ-THEFT-ACCOUNTABILITY", 5),
        ("P016", "梁春生"): ("discipline", "discipline", [], "HJ-THEFT-CASE", 1),
        ("P015", "唐远山"): ("discipline", "discipline", [], "HJ-THEFT-ACCOUNTABILITY", 1),
        ("P030", "田茂林"): ("notice", "interview", ["consecutive"], "HJ-PATROL-WEEKLY", 4),
        ("P001", "谭志明"): ("interview", "interview", [], "HJ-DEVICES", 2),
        ("P003", "杨国庆"): ("interview", "interview", [], "HJ-CITY-PATROL-DAYS", 1),
        ("P061", "钟雨晴"): ("interview", "interview", [], "HJ-REWARD-TIER", 2),
    },
    "jincheng-2021": {
        ("P102", "李建平"): ("discipline", "discipline", [], "JC-MISSED-DISCOVERY", 1),
        ("P420", "刘振华"): ("discipline", "discipline", [], "JC-POWER-SUPPLY", 1),
        ("P311", "茹建军"): ("discipline", "interview", ["integrity"], "INT-COPIED-NOTES", 1),
        ("P200", "赵文军"): ("interview", "interview", [], "JC-RECTIFY-FIELDS", 1),
        ("P300", "张卫东"): ("interview", "interview", [], "JC-CLOSURE-SIX", 2),
        ("P112", "申小燕"): ("discipline", "interview", [], "JC-RECTIFY-OVERDUE", 2),
        ("P020", "焦文斌"): ("interview", "interview", [], "JC-COUNTY-REPORT", 1),
        ("P210", "吉长青"): ("interview", "interview", [], "JC-FULL-SWEEP", 1),
        ("P001", "牛建国"): ("interview", "interview", [], "JC-SPOTCHECK-RATIO", 1),
        ("P310", "吉红梅"): ("reminder", "reminder", [], "DATA-INVALID-ROW", 1),
        ("P030", "卫国强"): ("reminder", "reminder", [], "JC-HOTLINE", 1),
    },
    "yanhu-2022": {
        ("P201", "吉晓峰"): ("discipline", "discipline", [], "YH-CLEARANCE", 1),
        ("P300", "宁志勇"): ("discipline", "discipline", [], "YH-CLEARANCE", 5),
        ("P100", "杨志刚"): ("discipline", "discipline", ["integrity"], "INT-PHOTO-REUSE", 3),
        ("P112", "王丽娟"): ("discipline", "discipline", ["integrity"], "INT-PHOTO-REUSE", 1),
        ("P200", "侯建民"): ("discipline", "interview", [], "YH-SAT-INCONSISTENT", 5),
        ("P212", "南秀英"): ("discipline", "interview", [], "YH-VILLAGE-WEEKLY", 1),
        ("P001", "高志强"): ("discipline", "interview", [], "YH-DISTRICT-QUARTERLY", 1),
        ("P021", "姚磊"): ("interview", "interview", [], "YH-REWARD-PAID", 1),
    },
    "tangyuan-2022": {
        ("P302", "邢雅丽"): ("notice", "discipline", [], "TY-SEAL-DEADLINE", 1),
        ("P202", "韩春雷"): ("notice", "discipline", [], "TY-SEAL-DEADLINE", 1),
        ("P401", "崔永生"): ("interview", "interview", [], "TY-SEAL-ACCEPTANCE", 3),
        ("P301", "曲文斌"): ("interview", "interview", [], "TY-MINE-FIELDS", 2),
        ("P141", "马玉芬"): ("interview", "interview", [], "TY-STAGE-REPORTS", 1),
        ("P161", "吴长海"): ("interview", "interview", [], "TY-STAGE-REPORTS", 1),
        ("P201", "高德福"): ("interview", "interview", [], "TY-MINE-FIELDS", 2),
        ("P001", "孙立新"): ("interview", "interview", [], "TY-JOINT-ENFORCEMENT", 3),
        ("P402", "姜晓东"): ("interview", "reminder", [], "TY-MONTHLY-FOLLOWUP", 1),
        ("P131", "陈国栋"): ("interview", "reminder", [], "TY-MONTHLY-FOLLOWUP", 1),
    },
    "yiyuan": {
        ("P202", "马丽"): ("interview", "interview", [], "YY-MONTHLY-REPORT", 1),
        ("P201", "高建华"): ("notice", "reminder", [], "YY-NIGHT-PATROL", 2),
        ("P101", "张明亮"): ("interview", "interview", [], "YY-SAT-VERIFY", 3),
        ("P301", "徐海涛"): ("notice", "interview", [], "YY-SITE-PATROL", 2),
        ("P401", "杜文斌"): ("interview", "interview", [], "YY-MONTHLY-REPORT", 2),
        ("P001", "王振华"): ("reminder", "reminder", [], "YY-MONTHLY-MEETING", 1),
    },
}


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """Each example audited once: pack → referrals.json."""
    results = {}
    for pack, as_of in CASES:
        out, _ = audit_example(tmp_path_factory, pack, as_of)
        results[pack] = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    return results


@pytest.mark.parametrize("pack", list(EXPECTED))
def test_who_is_referred_and_how_firmly(audited, pack):
    found = audited[pack]
    got = {
        (r["person"], r["name"]): (
            r["disposition"],
            r["base"],
            [s["id"] for s in r["step_ups"]],
            re.search(r"最重：(\S+?)「", r["reason"]).group(1),
            len(r["findings"]),
        )
        for r in found
    }
    assert got == EXPECTED[pack]
    ranks = ["reminder", "interview", "notice", "discipline", "judicial"]
    order = [ranks.index(r["disposition"]) for r in found]
    assert order == sorted(order, reverse=True)


@pytest.mark.parametrize("pack", list(EXPECTED))
def test_each_plan_cites_its_own_clause_for_each_step(audited, pack):
    found = audited[pack]
    clauses = {"hongjiang-2025": {"HJ 三(四)3", "HJ 五(三)"}, "jincheng-2021": {"JC 五(二)", "JC 四(二)"},
               "yanhu-2022": {"YH 五(三)"}, "tangyuan-2022": {"TY 七(四)"}, "yiyuan": {"YY 四(四)"}}  # fmt: skip
    assert {r["basis"].split("“")[0] for r in found} <= clauses[pack]
    assert all("；" not in r["basis"] for r in found)  # one plan's sentence, never a list of plans'
    plan_text = (EXAMPLES.parent / "rules" / "plans" / f"{pack}.txt").read_text(encoding="utf-8")
    assert all(r["basis"].split("“", 1)[1].rstrip("”") in plan_text for r in found)
    assert all(r["reason"].endswith(r["basis"]) or r["reason"].endswith("该姓名未在责任人名册中登记") for r in found)


def test_the_reasons_a_step_up_decides(audited):
    found = audited["hongjiang-2025"]
    reasons = {r["name"]: r["reason"] for r in found}
    assert reasons["田茂林"] == (
        "4 项问题（HJ-PATROL-COVERAGE、HJ-PATROL-WEEKLY、DATA-DUPLICATE-ID）；最重：HJ-PATROL-WEEKLY"
        "「涉矿乡镇、林场每周日常巡查不少于3次」（三(一)1；四(二)；三(四)1，中，2025-W38），基础处置为约谈，"
        "因同一问题连续两个周期出现（2025-W38、2025-W39）上调 → 通报批评；依据 HJ 五(三)“建立重大问题追责问责机制”"
    )
    assert reasons["肖光明"].startswith(
        "2 项问题（INT-PHOTO-REUSE、INT-COPIED-NOTES）；最重：INT-PHOTO-REUSE「举证照片一图多用」"
    )
    assert (
        "基础处置为移交纪检监察机关（弄虚作假，已不低于该档） → 移交纪检监察机关；依据 HJ 五(三)" in reasons["肖光明"]
    )
    tian = next(r for r in found if r["name"] == "田茂林")
    weekly = [
        (f["period"], f["disposition"], f["step_ups"]) for f in tian["findings"] if f["rule"] == "HJ-PATROL-WEEKLY"
    ]
    assert weekly == [("2025-W38", "notice", ["consecutive"]), ("2025-W39", "notice", ["consecutive"])]

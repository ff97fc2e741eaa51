"""The escalation policy: base step per severity, step-ups, the ceiling, and the policy file's own checks."""

import textwrap
from datetime import date

import pandas as pd
import pytest

from accountability.audit.examples import example_table
from accountability.errors import AccountabilityError
from accountability.ingest.ledgerset import build_ledger_set
from accountability.packs.loading import load_packs
from accountability.referral import escalation
from accountability.referral.policy import ExampleFinding, Policy, load_policy
from accountability.referral.referrals import build_referrals
from accountability.resources import resource_dir

LADDER = [{"code": c, "label": c} for c in ("reminder", "interview", "notice", "discipline", "judicial")]


def policy(step_ups, ceiling="discipline"):
    return Policy.model_validate(
        {"dispositions": LADDER, "base": {"low": "reminder", "medium": "interview", "high": "discipline"},
         "ceiling": ceiling, "step_ups": step_ups}
    )  # fmt: skip


def table(rows, pol=None):
    """Facts as a policy example writes them: (person, rule, severity, period, persisting, relapse)."""
    fields = ["person", "rule", "severity", "period", "persisting", "relapse"]
    findings = [ExampleFinding(**dict(zip(fields, row, strict=True)), expect="reminder") for row in rows]
    return escalation.example_facts(findings, pol or load_policy())


def ranks(rows, pol):
    base, applies = escalation.evaluate(table(rows, pol), pol)
    return [pol.codes[r] for r in escalation.combine(base, applies, pol)]


def test_runs_count_per_person_and_rule_and_ignore_duplicate_periods():
    rows = [
        ("P1", "R", "low", "2025-W37", False, False),
        ("P1", "R", "low", "2025-W38", False, False),
        ("P1", "R", "low", "2025-W38", False, False),  # a second township the same week
        ("P1", "S", "low", "2025-W39", False, False),  # another rule: its own run
        ("P2", "R", "low", "2025-W39", False, False),  # another person
        ("P1", "R", "low", "2025-W40", False, False),  # continues P1's run of R: 37, 38, (39 missing) → 40 alone
        ("P1", "R", "low", "", False, False),
    ]
    assert escalation.run_lengths(table(rows)).tolist() == [2, 2, 2, 1, 1, 1, 0]


def test_runs_follow_each_period_kind_across_year_ends():
    rows = [
        ("P1", "W", "low", "2020-W53", False, False),
        ("P1", "W", "low", "2021-W01", False, False),
        ("P1", "M", "low", "2025-12", False, False),
        ("P1", "M", "low", "2026-01", False, False),
        ("P1", "Q", "low", "2025-Q4", False, False),
        ("P1", "Q", "low", "2026-Q1", False, False),
        ("P1", "D", "low", "2025-09-15", False, False),  # a deadline's day does not recur
        ("P1", "D", "low", "2025-09-16", False, False),
    ]
    assert escalation.run_lengths(table(rows)).tolist() == [2, 2, 2, 2, 2, 2, 0, 0]


def test_steps_add_up_to_the_ceiling_and_a_floor_may_pass_it():
    step_ups = [
        {"id": "a", "label": "a", "when": [{"persisting": True}], "steps": 2},
        {"id": "b", "label": "b", "when": [{"relapse": True}], "steps": 2},
        {"id": "c", "label": "c", "when": [{"rule_prefix": "CRIME-"}], "to": "judicial"},
    ]
    rows = [
        ("P1", "R", "low", "", False, False),
        ("P1", "R", "low", "", True, False),
        ("P1", "R", "low", "", True, True),
        ("P1", "R", "high", "", True, True),
        ("P1", "CRIME-1", "low", "", False, False),
    ]
    assert ranks(rows, policy(step_ups)) == ["reminder", "notice", "discipline", "discipline", "judicial"]
    assert ranks(rows, policy(step_ups, ceiling="interview")) == [
        "reminder", "interview", "interview", "discipline", "judicial",
    ]  # fmt: skip


def test_the_shipped_policy_ladder():
    shipped = load_policy()
    rows = [
        ("P1", "HJ-X", "low", "", False, False),
        ("P1", "HJ-X", "medium", "", False, False),
        ("P1", "HJ-X", "high", "", False, False),
        ("P1", "INT-PHOTO-REUSE", "low", "", False, False),
        ("P1", "HJ-Y", "medium", "2025-W37", True, False),
        ("P1", "HJ-Y", "medium", "2025-W38", False, False),
    ]
    assert ranks(rows, shipped) == ["reminder", "interview", "discipline", "discipline", "discipline", "notice"]


def test_a_reopened_adit_behind_a_finding_is_a_relapse():
    """The evidence step-up reads the ledger rows behind each finding: A1's seal was broken, A2 was never sealed."""
    units = [{"id": "T1", "name": "甲镇", "level": "township"}]
    people = [{"id": "P1", "name": "甲", "unit": "T1", "roles": "主要负责人"}]
    adits = [{"id": "A1", "unit": "T1", "sealed": "被重新打开"}, {"id": "A2", "unit": "T1", "sealed": "未封堵"}]
    tables = [example_table(k, rows, "t") for k, rows in {"units": units, "people": people, "adits": adits}.items()]
    ledgers = build_ledger_set("t", tables)
    findings = pd.DataFrame(
        {"rule": "R", "pack": "p", "title": "t", "clause": "一", "severity": "medium", "unit": "T1", "period": "",
         "record": ["A1", "A2"], "rows": [[("adits", 0)], [("adits", 1)]], "responsible": [["P1"], ["P1"]],
         "unnamed": [[], []], "status": "new", "first_seen": "2025-09-30", "persisting": False, "relapse": False,
         "doubtful": False}
    )  # fmt: skip
    referrals = build_referrals(findings, ledgers, load_policy(), date(2025, 9, 30), load_packs(["hongjiang-2025"]))
    assert [(f["record"], f["disposition"], f["step_ups"]) for f in referrals[0]["findings"]] == [
        ("A1", "notice", ["relapse"]),
        ("A2", "interview", []),
    ]
    assert referrals[0]["disposition"] == "notice" and referrals[0]["base"] == "interview"
    assert referrals[0]["basis"] == "HJ 五(三)“建立重大问题追责问责机制”"
    assert "因死灰复燃上调 → 通报批评" in referrals[0]["reason"]


def write(tmp_path, text):
    path = tmp_path / "referral.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


HEAD = """\
dispositions: [{code: reminder, label: 提醒}, {code: interview, label: 约谈}]
base: {low: reminder, medium: interview, high: interview}
ceiling: interview
"""


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("step_ups:\n  - {id: x, label: x, when: [{persisting: true}]}\n", 5, "应写 steps"),
        ("step_ups:\n  - {id: x, label: x, when: [{}], steps: 1}\n", 5, "至少写一个条件"),
        ("step_ups:\n  - {id: x, label: x, when: [{persisting: true}], to: notice}\n", None, "notice"),
        ("step_ups:\n  - {id: x, label: x, when: [{consecutive_periods: 1}], steps: 1}\n", 5, "consecutive_periods"),
    ],
)
def test_a_policy_mistake_names_its_line(tmp_path, body, line, words):
    with pytest.raises(AccountabilityError) as err:
        load_policy(write(tmp_path, HEAD + body))
    assert words in str(err.value)
    if line:
        assert f"第 {line} 行" in str(err.value) or f":{line}" in str(err.value)


def test_a_citation_must_be_quoted_word_for_word(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "hj.txt").write_text((resource_dir("rules") / "plans" / "hongjiang-2025.txt").read_text("utf-8"), "utf-8")
    body = (
        "citations:\n  hongjiang-2025:\n    source: plans/hj.txt\n    short: HJ\n"
        "    general: {clause: 五(三), quote: 建立重大问题追责问责机制}\n"
        "    interview: {clause: 五(三), quote: 纪委监委将开展谈话}\n"
    )
    with pytest.raises(AccountabilityError) as err:
        load_policy(write(tmp_path, HEAD + body))
    assert "hongjiang-2025 的「interview」引文在方案原文中找不到" in str(err.value)

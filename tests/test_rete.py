"""The Rete backend (durable_rules) gives exactly what the vectorised one gives: on small tables with known answers,
and on the referrals of every example ledger set."""

import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from accountability.cli import cli
from accountability.errors import AccountabilityError
from accountability.language.periods import label_spans
from accountability.referral import escalation
from accountability.referral.policy import Policy, load_policy

pytest.importorskip("durable")  # durable-rules builds on Python 3.11 and 3.12 only

import durable_rules_engine

from accountability.referral import rete

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
POLICY = load_policy()
STEPS = [s.id for s in POLICY.step_ups]  # integrity, consecutive, consecutive_3, persisting, relapse
REOPENED = escalation.evidence_column(STEPS.index("relapse"), 1)  # the adit-reopened evidence of `relapse`
WEEKLY = "HJ-PATROL-WEEKLY"


def table(*rows: dict, evidence: tuple[str, ...] = (REOPENED,)) -> pd.DataFrame:
    """A facts table as escalation.facts builds it, from rows that give `period` labels instead of kind/ordinal."""
    defaults = {"key": "P1", "named": True, "rule": WEEKLY, "pack": "hongjiang-2025", "severity": "low"}
    flags = dict.fromkeys(("persisting", "relapse", *evidence), False)
    frame = pd.DataFrame([{**defaults, **flags, "period": "", **row} for row in rows])
    spans = label_spans(frame.pop("period"))
    frame.insert(2, "finding", range(len(frame)))
    frame.insert(8, "kind", spans["kind"])
    frame.insert(9, "ordinal", spans["ordinal"])
    return frame


def both(facts: pd.DataFrame, policy: Policy = POLICY) -> tuple[list[int], dict[str, list[bool]]]:
    """Both backends' answers, which must be identical; returned as plain lists to compare with the expected."""
    base, applies = escalation.evaluate(facts, policy)
    rete_base, rete_applies = rete.evaluate(facts, policy)
    pd.testing.assert_series_equal(rete_base, base)
    pd.testing.assert_frame_equal(rete_applies, applies)
    return base.tolist(), {column: applies[column].tolist() for column in applies}


def applied(facts: pd.DataFrame, policy: Policy = POLICY) -> list[list[str]]:
    """Per fact, the ids of the step-ups that apply (both backends agreeing)."""
    _, applies = both(facts, policy)
    return [[step for step, hits in applies.items() if hits[i]] for i in range(len(facts))]


def weeks(*numbers: int, **row) -> list[dict]:
    return [{"period": f"2025-W{n:02d}", **row} for n in numbers]


def test_base_rank_per_severity():
    facts = table({"severity": "low"}, {"severity": "medium"}, {"severity": "high"})
    base, applies = both(facts)
    assert base == [0, 1, 3]  # reminder, interview, discipline
    assert not any(any(hits) for hits in applies.values())


def test_two_consecutive_weeks_step_up_both():
    assert applied(table(*weeks(37, 38))) == [["consecutive"], ["consecutive"]]


def test_three_consecutive_weeks_mark_all_three_for_two_and_three():
    assert applied(table(*weeks(37, 38, 39))) == [["consecutive", "consecutive_3"]] * 3


def test_a_gap_breaks_the_run():
    facts = table(*weeks(30, 32, 33, 35, 36, 37))
    assert applied(facts) == [[], ["consecutive"], ["consecutive"], *[["consecutive", "consecutive_3"]] * 3]


def test_runs_are_per_person_and_rule():
    facts = table(
        *weeks(37, key="P1"),
        *weeks(38, key="P2"),  # another person's next week
        *weeks(38, key="P1", rule="HJ-PATROL-COVERAGE"),  # another rule
        *weeks(38, key="P1", named=False),  # a written name that happens to equal the id
        *weeks(40, 41, key="P2"),
    )
    assert applied(facts) == [[], [], [], [], ["consecutive"], ["consecutive"]]


def test_runs_are_per_period_kind():
    facts = table({"period": "2025-W40"}, {"period": "2025-10"}, {"period": "2025-11"}, {"period": "2025-12-31"})
    assert applied(facts) == [[], ["consecutive"], ["consecutive"], []]  # a deadline's day never recurs


def test_two_findings_in_one_week_count_once_and_both_step_up():
    """Two townships in the same week: one period of the run, and each finding is in it."""
    facts = table(*weeks(37), *weeks(38), *weeks(38), *weeks(39))
    assert applied(facts) == [["consecutive", "consecutive_3"]] * 4
    assert applied(table(*weeks(38), *weeks(38))) == [[], []]


def test_rule_prefix():
    facts = table({"rule": "INT-PHOTO-REUSE"}, {"rule": "INT-COPIED-NOTES", "severity": "medium"}, {"rule": "HJ-INT"})
    base, applies = both(facts)
    assert applies["integrity"] == [True, True, False]
    assert base == [0, 1, 0]


def test_persisting_and_relapse():
    facts = table({"persisting": True}, {"relapse": True}, {"persisting": True, "relapse": True}, {})
    assert applied(facts) == [["persisting"], ["relapse"], ["persisting", "relapse"], []]


def test_evidence_flag():
    facts = table({REOPENED: True}, {})
    assert applied(facts) == [["relapse"], []]


def policy_with(*when: dict) -> Policy:
    """The shipped policy with one more step-up, `extra`, applying on `when`."""
    data = POLICY.model_dump(exclude_none=True)
    data["step_ups"].append({"id": "extra", "label": "测试", "when": list(when), "steps": 1})
    return Policy.model_validate(data)


def test_prefix_is_matched_literally():
    policy = policy_with({"rule_prefix": "HJ.PATROL"}, {"rule_prefix": "INT-PHOTO"})
    facts = table({"rule": WEEKLY}, {"rule": "HJ.PATROL"}, {"rule": "INT-PHOTO-REUSE"}, {"rule": "INT-PHOTOS"})
    _, applies = both(facts, policy)
    assert applies["extra"] == [False, True, True, True]  # `.` is not a wildcard


def test_run_with_a_condition_each_fact_must_meet():
    """consecutive_periods with persisting: a fact steps up if it persists AND is in the run, not if a neighbour is."""
    policy = policy_with({"consecutive_periods": 2, "persisting": True, "rule_prefix": "HJ-"})
    facts = table(*weeks(37), *weeks(38, persisting=True), *weeks(40, persisting=True), *weeks(38, rule="INT-X"))
    _, applies = both(facts, policy)
    assert applies["extra"] == [False, True, False, False]


def test_longest_run_durable_can_hold():
    assert applied(table(*weeks(*range(1, 17))), policy_with({"consecutive_periods": 16}))[0] == [
        "consecutive",
        "consecutive_3",
        "extra",
    ]
    with pytest.raises(AccountabilityError, match="16"):
        rete.evaluate(table(*weeks(1)), policy_with({"consecutive_periods": 17}))


def test_a_fact_no_rule_matches_does_not_stop_the_others():
    """durable raises MessageNotHandledException for the batch and leaves the other facts' actions queued."""
    facts = table(*weeks(37, 38), {"severity": "unheard-of"})
    base, applies = rete.evaluate(facts, POLICY)
    assert base.tolist()[:2] == [0, 0]
    assert applies["consecutive"].tolist() == [True, True, False]


def test_every_ruleset_is_freed_and_no_thread_is_left(monkeypatch):
    """The engine holds at most 131,071 rulesets a process, and the default host starts dispatch threads."""
    created, deleted = [], []
    create, delete = durable_rules_engine.create_ruleset, durable_rules_engine.delete_ruleset
    monkeypatch.setattr(durable_rules_engine, "create_ruleset", lambda *a: created.append(create(*a)) or created[-1])
    monkeypatch.setattr(durable_rules_engine, "delete_ruleset", lambda h: deleted.append(h) or delete(h))
    threads = threading.active_count()
    for _ in range(3):
        rete.evaluate(table(*weeks(37, 38)), POLICY)
    rete.evaluate(table(*weeks(37)).iloc[:0], POLICY)  # nothing to assert
    assert len(created) == 4
    assert sorted(deleted) == sorted(created)
    assert threading.active_count() == threads


def audit(ledgers: str, out: Path, *args: str) -> str:
    """`accountability audit` with json output; the referrals it wrote."""
    options = ["--pack", ledgers, "--out", str(out), "--format", "json", *args]
    result = CliRunner().invoke(cli, ["audit", str(EXAMPLES / ledgers), *options])
    assert result.exit_code == 0, result.output
    return (out / "referrals.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("pack", "as_of"),
    [
        ("hongjiang-2025", "2025-09-30"),
        ("jincheng-2021", "2022-03-31"),
        ("yanhu-2022", "2023-03-31"),
        ("tangyuan-2022", "2023-03-31"),
        ("yiyuan", "2023-12-31"),
    ],
)
def test_examples_give_identical_referrals(tmp_path, pack, as_of):
    args = ("--as-of", as_of, "--no-history")
    pandas = audit(pack, tmp_path / "pandas", *args)
    assert pandas == audit(pack, tmp_path / "rete", *args, "--referral-engine", "rete")
    assert '"disposition"' in pandas


def test_persisting_findings_give_identical_referrals(tmp_path):
    """A second audit a month later: findings persist from the first and are stepped up."""
    pack = "hongjiang-2025"
    audit(pack, tmp_path / "first", "--as-of", "2025-09-30", "--history", str(tmp_path / "pandas.sqlite"))
    shutil.copy(tmp_path / "pandas.sqlite", tmp_path / "rete.sqlite")
    later = ("--as-of", "2025-10-31", "--history")
    pandas = audit(pack, tmp_path / "pandas", *later, str(tmp_path / "pandas.sqlite"))
    rete_out = audit(pack, tmp_path / "rete", *later, str(tmp_path / "rete.sqlite"), "--referral-engine", "rete")
    assert pandas == rete_out
    for step in ('"persisting"', '"consecutive_3"', '"integrity"'):
        assert step in pandas

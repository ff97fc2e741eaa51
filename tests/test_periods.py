"""Whole periods inside the audit window, labels, and yearly deadlines."""

from datetime import date

import pandas as pd
import pytest

from accountability.language.periods import (
    AuditWindow,
    Window,
    label_spans,
    period_labels,
    whole_periods,
    yearly_deadlines,
)


def labels(kind, start, end, anchor=None):
    return [p.label for p in whole_periods(kind, Window(start, end), anchor)]


@pytest.mark.parametrize(
    ("kind", "start", "end", "expected"),
    [
        # a window starting on a Friday and ending on a Wednesday: the partial weeks at both ends are not judged
        ("week", date(2025, 8, 1), date(2025, 8, 20), ["2025-W32", "2025-W33"]),
        ("week", date(2025, 9, 1), date(2025, 9, 7), ["2025-W36"]),
        ("week", date(2025, 9, 2), date(2025, 9, 7), []),
        # ISO week 53 across the new year
        ("week", date(2026, 12, 28), date(2027, 1, 3), ["2026-W53"]),
        ("week", date(2020, 12, 28), date(2021, 1, 10), ["2020-W53", "2021-W01"]),
        # a window starting mid-month: that month is not judged
        ("month", date(2025, 8, 15), date(2025, 10, 31), ["2025-09", "2025-10"]),
        ("month", date(2025, 8, 1), date(2025, 9, 29), ["2025-08"]),
        ("quarter", date(2022, 12, 1), date(2023, 6, 30), ["2023-Q1", "2023-Q2"]),
        ("year", date(2024, 1, 1), date(2025, 12, 30), ["2024"]),
    ],
)
def test_whole_periods(kind, start, end, expected):
    assert labels(kind, start, end) == expected


def test_two_month_blocks_count_from_anchor_and_skip_a_block_started_before_from():
    anchor = date(2022, 4, 1)
    assert labels("two_months", date(2022, 4, 7), date(2022, 10, 1), anchor) == ["2022-06~2022-07", "2022-08~2022-09"]
    assert labels("two_months", date(2022, 4, 1), date(2022, 5, 31), anchor) == ["2022-04~2022-05"]
    assert labels("two_months", date(2022, 1, 1), date(2022, 5, 31), anchor) == ["2022-04~2022-05"]


def test_period_labels_vectorised_with_empty_dates():
    dates = pd.Series(pd.to_datetime(["2025-09-01", None, "2027-01-03", "2022-07-31"]))
    assert period_labels("week", dates).tolist()[0] == "2025-W36"
    assert pd.isna(period_labels("week", dates).iloc[1])
    assert period_labels("week", dates).iloc[2] == "2026-W53"
    assert period_labels("month", dates).iloc[3] == "2022-07"
    assert period_labels("quarter", dates).iloc[0] == "2025-Q3"
    assert period_labels("two_months", dates, date(2022, 4, 1)).iloc[3] == "2022-06~2022-07"


def test_yearly_deadlines_inside_window():
    assert yearly_deadlines("12-31", Window(date(2025, 8, 1), date(2026, 12, 31))) == [
        date(2025, 12, 31),
        date(2026, 12, 31),
    ]
    assert yearly_deadlines("12-31", Window(date(2025, 8, 1), date(2025, 12, 30))) == []


def test_day_periods_are_every_day_of_the_window_and_label_their_date():
    assert labels("day", date(2024, 2, 28), date(2024, 3, 1)) == ["2024-02-28", "2024-02-29", "2024-03-01"]
    got = period_labels("day", pd.Series(pd.to_datetime(["2024-01-10", None])))
    assert got.iloc[0] == "2024-01-10" and pd.isna(got.iloc[1])


def test_the_campaign_is_judged_once_when_the_window_holds_it_whole():
    def campaign(date_from, as_of, by_end=False):
        window = AuditWindow(date_from, as_of, by_end).for_plan(date(2026, 3, 1), date(2026, 6, 8))
        return [p.label for p in whole_periods("campaign", window)]

    assert campaign(None, date(2026, 6, 30)) == ["2026-03-01~2026-06-08"]
    assert campaign(None, date(2026, 6, 7)) == []  # not over yet
    assert campaign(date(2026, 3, 2), date(2026, 6, 30)) == []  # the window misses its first day
    assert campaign(date(2026, 6, 1), date(2026, 6, 30), by_end=True) == ["2026-03-01~2026-06-08"]  # month it ends
    assert campaign(date(2026, 5, 1), date(2026, 5, 31), by_end=True) == []
    assert campaign(date(2026, 7, 1), date(2026, 7, 31), by_end=True) == []  # judged already, not again
    no_end = AuditWindow(None, date(2026, 12, 31)).for_plan(date(2026, 3, 1), None)
    assert whole_periods("campaign", no_end) == []
    window = AuditWindow(None, date(2026, 6, 30)).for_plan(date(2026, 3, 1), date(2026, 6, 8))
    got = period_labels("campaign", pd.Series(pd.to_datetime(["2026-03-01", "2026-06-09", None])), window=window)
    assert got.iloc[0] == "2026-03-01~2026-06-08" and got.iloc[1:].isna().all()


def test_label_spans_read_days_and_the_campaign_back_without_ordinals():
    spans = label_spans(pd.Series(["2024-01-10", "2026-03-01~2026-06-08", "2022-04~2022-05", "2026-03-01~x"]))
    assert spans["kind"].tolist()[:3] == ["day", "campaign", "two_months"] and pd.isna(spans["kind"].iloc[3])
    assert spans["start"].iloc[1] == pd.Timestamp("2026-03-01") and spans["end"].iloc[1] == pd.Timestamp("2026-06-08")
    assert spans["ordinal"].iloc[:2].isna().all()

"""The condition language of `where:`: each operator, empty cells, lists."""

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from accountability.language.conditions import Condition, evaluate

FRAME = pd.DataFrame(
    {
        "team": pd.Series(["daily", "cross", None], dtype="string"),
        "found": pd.Series([True, False, None], dtype="boolean"),
        "day": pd.to_datetime(["2025-08-01", "2025-09-20", None]),
        "areas": pd.Series([("V1", "V2"), (), ("V3",)], dtype=object),
        "responsible": pd.Series(["P1", "甲公司", None], dtype="string"),
        "responsible_text": pd.Series(["王 镇长", "甲公司", None], dtype="string"),
        "holder": pd.Series(["王镇长", "乙公司", None], dtype="string"),
        "leader": pd.Series(["P1", "P2", None], dtype="string"),
        "leader_id": pd.Series(["P1", "P2", None], dtype="string"),
    }
)
PEOPLE = pd.DataFrame({"id": ["P1", "P2"], "roles": [("city_leader",), ("patrol_leader",)]})
LISTS = pd.ArrowDtype(pa.large_list(pa.large_string()))
# The same records as typing leaves them: lists are Arrow lists.
TYPED = FRAME.assign(areas=pd.Series(FRAME["areas"].map(list).tolist(), dtype=LISTS))
TYPED_PEOPLE = PEOPLE.assign(roles=pd.Series(PEOPLE["roles"].map(list).tolist(), dtype=LISTS))


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"column": "team", "eq": "daily"}, [True, False, False]),
        ({"column": "team", "ne": "daily"}, [False, True, True]),
        ({"column": "team", "in": ["daily", None]}, [True, False, True]),
        ({"column": "team", "not_in": ["daily"]}, [False, True, True]),
        ({"column": "found", "is": True}, [True, False, False]),
        ({"column": "found", "is": False}, [False, True, False]),
        ({"column": "found", "is_not": True}, [False, True, True]),
        ({"column": "team", "empty": True}, [False, False, True]),
        ({"column": "areas", "empty": True}, [False, True, False]),
        ({"column": "areas", "in": ["V2"]}, [True, False, False]),
        ({"column": "day", "older_than_days": 30}, [True, False, False]),
        ({"column": "day", "on_or_after": "2025-09-01"}, [False, True, False]),
        ({"column": "day", "before": "2025-09-20"}, [True, False, False]),
        ({"column": "day", "after": "2025-08-01"}, [False, True, False]),
        ({"column": "day", "on_or_before": "2025-09-01"}, [True, False, False]),
        ({"column": "responsible", "eq_column": "holder"}, [True, False, True]),
        ({"column": "responsible", "ne_column": "holder"}, [False, True, False]),
        ({"column": "leader", "has_role": "city_leader"}, [True, False, False]),
        ({"column": "responsible", "min_length": 3}, [True, True, False]),
        ({"column": "holder", "contains": ["镇长", "乙"]}, [True, True, False]),
        ({"column": "responsible", "contains": ["王镇"]}, [True, False, False]),
    ],
)
@pytest.mark.parametrize("typed", [False, True], ids=["tuples", "arrow_lists"])
def test_operator(condition, expected, typed):
    frame, people = (TYPED, TYPED_PEOPLE) if typed else (FRAME, PEOPLE)
    mask = evaluate(Condition.model_validate(condition), frame, date(2025, 9, 30), people)
    assert mask.tolist() == expected


def test_exactly_one_operator():
    with pytest.raises(ValueError, match="恰好一个判断"):
        Condition.model_validate({"column": "team", "eq": "daily", "ne": "cross"})
    with pytest.raises(ValueError, match="恰好一个判断"):
        Condition.model_validate({"column": "team"})


def test_numbers_and_night_times():
    frame = pd.DataFrame(
        {
            "amount": pd.Series([0.0, 2000.0, None], dtype="Float64"),
            "start": pd.Series(["20:00", "05:59", "06:00"], dtype="string"),
        }
    )
    at_most = Condition.model_validate({"column": "amount", "at_most": 0})
    at_least = Condition.model_validate({"column": "amount", "at_least": 1000})
    night = Condition.model_validate({"column": "start", "time_in": ["20:00", "06:00"]})
    day = Condition.model_validate({"column": "start", "time_in": ["06:00", "20:00"]})
    assert evaluate(at_most, frame, date(2025, 1, 1), None).tolist() == [True, False, False]
    assert evaluate(at_least, frame, date(2025, 1, 1), None).tolist() == [False, True, False]
    assert evaluate(night, frame, date(2025, 1, 1), None).tolist() == [True, True, False]
    assert evaluate(day, frame, date(2025, 1, 1), None).tolist() == [False, False, True]
    with pytest.raises(ValueError, match="time_in"):
        Condition.model_validate({"column": "start", "time_in": ["8点", "06:00"]})


def test_text_columns_compare_folded_and_without_any_white_space():
    frame = pd.DataFrame(
        {
            "responsible": pd.Series(["王\u3000镇长", "ＡＢ矿业", "李\u2028四\xa0", "赵六", None], dtype="string"),
            "holder": pd.Series(["王镇长", "AB 矿业", "\t李四\n", "赵 七", None], dtype="string"),
        }
    )
    same = evaluate(Condition(column="responsible", eq_column="holder"), frame, date(2025, 9, 30), None)
    assert same.tolist() == [True, True, True, False, True]  # two empty cells are alike, as before


def test_white_space_is_what_python_calls_white_space_in_every_character():
    import re

    import pyarrow.compute as pc

    from accountability.language.conditions import WHITE_SPACE

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    texts = ["a" + c + "b" for c in chars]
    arrow = pc.replace_substring_regex(pa.array(texts), WHITE_SPACE, "").to_pylist()
    assert arrow == [re.sub(r"\s+", "", t) for t in texts]

"""Working days for "逢节假日顺延": real adjusted working days (调休), holiday notices for unknown years."""

from datetime import date

import pytest
from workbooks import xlsx

from accountability.errors import AccountabilityError
from accountability.language.workdays import Overrides, WorkCalendar, load_overrides


@pytest.mark.parametrize(
    ("due", "moved"),
    [
        (date(2024, 2, 17), date(2024, 2, 18)),  # Saturday of the Spring Festival holiday → adjusted working Sunday
        (date(2023, 6, 24), date(2023, 6, 25)),  # Saturday of the Dragon Boat holiday → adjusted working Sunday
        (date(2021, 4, 24), date(2021, 4, 25)),  # an ordinary Saturday followed by an adjusted working Sunday
        (date(2023, 9, 24), date(2023, 9, 25)),  # the 24th on a Sunday → Monday
        (date(2020, 1, 24), date(2020, 2, 3)),  # New Year's Eve 2020: the extended holiday to 2 February
        (date(2023, 10, 7), date(2023, 10, 7)),  # an adjusted working Saturday is a working day itself
        (date(2023, 5, 24), date(2023, 5, 24)),  # a Wednesday stays
    ],
)
def test_next_working_day_on_real_calendars(due, moved):
    calendar = WorkCalendar()
    assert calendar.next_workday(due) == (moved, False)
    assert calendar.guessed == set()


def test_a_year_the_library_lacks_is_guessed_and_remembered():
    calendar = WorkCalendar()
    assert calendar.next_workday(date(2027, 4, 24)) == (date(2027, 4, 26), True)
    assert calendar.next_workday(date(2027, 4, 21)) == (date(2027, 4, 21), True)
    assert calendar.guessed == {2027}


def test_a_notice_for_the_year_is_used_instead():
    calendar = WorkCalendar(Overrides(holidays={date(2027, 5, 3)}, workdays={date(2027, 4, 25)}))
    assert calendar.next_workday(date(2027, 4, 24)) == (date(2027, 4, 25), False)
    assert calendar.next_workday(date(2027, 5, 1)) == (date(2027, 5, 4), False)
    assert calendar.guessed == set()


def test_notice_files_yaml_csv_and_xlsx(tmp_path):
    (tmp_path / "h.yaml").write_text("holidays: [2027-05-03, 2027年5月4日]\nworkdays: [2027-04-25]\n", encoding="utf-8")
    loaded = load_overrides(tmp_path / "h.yaml")
    assert loaded.holidays == {date(2027, 5, 3), date(2027, 5, 4)} and loaded.workdays == {date(2027, 4, 25)}
    (tmp_path / "h.csv").write_text("日期,类型\n2027-05-03,节假日\n2027/4/25,调休上班\n", encoding="gb18030")
    loaded = load_overrides(tmp_path / "h.csv")
    assert loaded.holidays == {date(2027, 5, 3)} and loaded.workdays == {date(2027, 4, 25)}
    xlsx(tmp_path / "h.xlsx", {"Sheet1": [["日期", "类型"], [date(2027, 5, 3), "休"], [date(2027, 4, 25), "班"]]})
    assert load_overrides(tmp_path / "h.xlsx").years == {2027}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.yaml", "holidays: [2027-02-30]\n", "无法识别的日期：2027-02-30"),
        ("bad.yaml", "days: [2027-02-03]\n", "只有 holidays: 和 workdays:"),
        ("bad.csv", "日期,类型\n2027-05-03,放假一天\n", "类型无法识别：放假一天"),
        ("bad.csv", "date\n2027-05-03\n", "“日期”和“类型”两列"),
        ("missing.yaml", None, "找不到节假日文件"),
    ],
)
def test_bad_notice_files_say_what_to_fix(tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(AccountabilityError, match=message):
        load_overrides(tmp_path / name)

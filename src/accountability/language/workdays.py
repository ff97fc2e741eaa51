"""Working days of mainland China for "逢节假日顺延": chinese-calendar's holidays and adjusted working days
(调休), an override file for years it does not know, and a record of the years that had to be guessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pandas as pd
import yaml

from accountability.errors import AccountabilityError
from accountability.ingest.files import CSV_ENCODINGS
from accountability.ingest.values import parse_date

HOLIDAY_WORDS = {"holiday", "节假日", "假日", "休", "放假"}
WORKDAY_WORDS = {"workday", "调休上班", "上班", "班", "工作日"}
MAX_SHIFT = 30  # the longest run of days off in any calendar is the Spring Festival week and its weekends


@dataclass
class Overrides:
    """Days an office's own notice declares: holidays and adjusted working days, and the years it covers."""

    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)

    @property
    def years(self) -> set[int]:
        return {d.year for d in self.holidays | self.workdays}


def _dates(values: list, path: Path, what: str) -> set[date]:
    parsed = parse_date(pd.Series(values, dtype=object))
    bad = [str(v) for v, b in zip(values, parsed.bad, strict=True) if b or v in (None, "")]
    if bad:
        raise AccountabilityError(
            f"节假日文件的{what}中有无法识别的日期：{'、'.join(bad)}", file=str(path), fix="日期写成 2027-02-06"
        )
    return {d.date() for d in parsed.values}


def load_overrides(path: Path) -> Overrides:
    """A YAML file `{holidays: [dates], workdays: [dates]}`, or a CSV/xlsx table with columns 日期 and 类型
    (节假日/休 or 调休上班/班), as a State Council holiday notice lists them."""
    if not path.is_file():
        raise AccountabilityError(
            "找不到节假日文件", file=str(path), fix="--holidays 写 .yaml、.csv 或 .xlsx 文件的路径"
        )
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        except yaml.YAMLError as exc:
            raise AccountabilityError(
                f"节假日文件不是有效的 YAML：{exc}", file=str(path), fix="见 README“节假日与调休”"
            ) from exc
        if not isinstance(data, dict) or set(data) - {"holidays", "workdays"}:
            raise AccountabilityError(
                "节假日文件应只有 holidays: 和 workdays: 两项", file=str(path), fix="见 README“节假日与调休”"
            )
        return Overrides(
            _dates(list(data.get("holidays") or []), path, "holidays"),
            _dates(list(data.get("workdays") or []), path, "workdays"),
        )
    table = pd.read_excel(path, dtype=object, engine="calamine") if path.suffix.lower() == ".xlsx" else _read_csv(path)
    table.columns = [str(c).strip() for c in table.columns]
    day_col = next((c for c in table.columns if c in ("日期", "date")), None)
    kind_col = next((c for c in table.columns if c in ("类型", "kind")), None)
    if day_col is None or kind_col is None:
        raise AccountabilityError("节假日表应有“日期”和“类型”两列", file=str(path), fix="类型写 节假日 或 调休上班")
    kinds = table[kind_col].astype("string").str.strip()
    unknown = sorted(set(kinds.dropna()) - HOLIDAY_WORDS - WORKDAY_WORDS)
    if unknown:
        raise AccountabilityError(
            f"节假日表的类型无法识别：{'、'.join(unknown)}",
            file=str(path),
            column=kind_col,
            fix="写 节假日 或 调休上班",
        )
    return Overrides(
        _dates(table.loc[kinds.isin(HOLIDAY_WORDS), day_col].tolist(), path, "节假日"),
        _dates(table.loc[kinds.isin(WORKDAY_WORDS), day_col].tolist(), path, "调休上班日"),
    )


def _read_csv(path: Path) -> pd.DataFrame:
    for encoding in CSV_ENCODINGS:
        try:
            return pd.read_csv(path, dtype=object, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise AccountabilityError("节假日表的编码无法识别", file=str(path), fix="另存为 UTF-8 编码的 CSV")


class WorkCalendar:
    """Is a day a working day; the next working day. Years neither the library nor the overrides know fall
    back to Monday–Friday and are remembered, so the findings they touch are marked provisional."""

    def __init__(self, overrides: Overrides | None = None) -> None:
        self.overrides = overrides or Overrides()
        self.guessed: set[int] = set()

    def _judge(self, day: date) -> tuple[bool, bool]:
        """(is it a working day, is that known): the notice first, then the library, else Monday–Friday."""
        if day in self.overrides.workdays or day in self.overrides.holidays:
            return day in self.overrides.workdays, True
        if day.year in self.overrides.years:
            return day.weekday() < 5, True
        try:
            return bool(chinese_calendar.is_workday(day)), True
        except NotImplementedError:
            return day.weekday() < 5, False

    def next_workday(self, day: date) -> tuple[date, bool]:
        """The day itself if it is a working day, else the next one; and whether a year had to be guessed."""
        current, guessed = day, False
        for _ in range(MAX_SHIFT):
            working, known = self._judge(current)
            if not known:
                guessed = True
                self.guessed.add(current.year)
            if working:
                return current, guessed
            current += timedelta(days=1)
        return current, guessed

"""The city's spot-check sample (晋城方案四(二)“市级抽查比例将不少于30%”): in each county (or township, or the
whole city) draw at least the ratio of its problems, rounded up as JC-SPOTCHECK-RATIO counts them, and write the
draw as a 抽查记录 the inspector fills in and hands back; ingest then counts those problems as spot-checked.

The draw depends only on the ledgers' content, the ratio and the seed, so anyone can re-draw it to verify that
nobody picked the easy cases: each group is sorted by problem id and drawn by its own generator, seeded with
(seed, crc32(group unit id)), so file names, row order and the other groups do not change a group's draw."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from accountability import __version__
from accountability.checks.ratio import required
from accountability.contract.schema import ledger_specs
from accountability.errors import AccountabilityError
from accountability.forms.ledger_templates import ValueLists, ledger_sheet
from accountability.ingest.ledgerset import LedgerSet
from accountability.ingest.units import TOWNSHIP_LEVELS, UnitTree
from accountability.ingest.values import isin
from accountability.report.outfiles import write_whole

GROUP_LEVELS: dict[str, tuple[str, ...]] = {"county": ("county",), "township": TOWNSHIP_LEVELS, "city": ("city",)}
GROUP_NAMES = {"county": "县(市、区)", "township": "乡镇(林场)", "city": "市"}
COPIED = ["problem", "unit", "county", "found_date", "description", "kind"]
NOTES_SHEET = "抽样说明"


@dataclass
class Sample:
    """A drawn sample: `rows` (the COPIED columns, group by group in id order) and per group its problems, the
    number required (rounded up) and the number drawn; `orphans` problems had no unit at the `by` level."""

    rows: pd.DataFrame
    groups: pd.DataFrame
    ratio: float
    seed: int
    by: str
    date_from: date | None
    as_of: date | None
    ledgers: str
    orphans: int
    top_name: str

    @property
    def percent(self) -> str:
        return f"{self.ratio * 100:.4g}%"

    @property
    def dates(self) -> str:
        """The found_date span, as the title and the notes sheet state it."""
        if self.date_from and self.as_of:
            return f"发现日期 {self.date_from} 至 {self.as_of}"
        if self.date_from or self.as_of:
            return f"发现日期 {self.date_from} 及以后" if self.date_from else f"发现日期 {self.as_of} 及以前"
        return "全部发现日期"

    @property
    def title(self) -> str:
        total, drawn = int(self.groups["problems"].sum()), int(self.groups["drawn"].sum())
        return (
            f"市级抽查样本：按{GROUP_NAMES[self.by]}分组，抽取比例{self.percent}，随机种子{self.seed}，"
            f"{self.dates}，共抽取 {drawn} / {total} 条"
        )

    @property
    def orphan_note(self) -> str:
        if not self.orphans:
            return ""
        return f"{self.orphans} 条问题找不到所属{GROUP_NAMES[self.by]}，归入「{self.top_name}」组"

    def summary(self, out: Path, ledgers: str) -> list[str]:
        """What the command prints: the file, each group, the total, and how to re-draw the same sample."""
        lines = [f"已写出抽查样本：{out}", f"按{GROUP_NAMES[self.by]}分组，抽取比例 {self.percent}，{self.dates}："]
        lines += [f"  {g.name}：问题 {g.problems} 条，抽取 {g.drawn} 条" for g in self.groups.itertuples()]
        lines.append(f"合计：问题 {self.groups['problems'].sum()} 条，抽取 {self.groups['drawn'].sum()} 条")
        if self.orphans:
            lines.append(f"注意：{self.orphan_note}")
        dates = "".join(f" --{flag} {day}" for flag, day in (("from", self.date_from), ("as-of", self.as_of)) if day)
        lines.append(
            f"随机种子 {self.seed}。重新抽取同一样本（核对用）：accountability sample {ledgers} "
            f"--ratio {self.ratio:g} --seed {self.seed} --by {self.by}{dates}"
        )
        lines.append("抽查后请填写抽查日期、抽查人、抽查结果，把本文件放回台账文件夹，检查时即计为已抽查。")
        return lines


def _unit_labels(units: UnitTree, ids: pd.Series) -> pd.Series:
    """Unit names as the inspector reads them; the id where two units share a name, so the hand-back resolves."""
    shared = units.name.index[units.name.duplicated(keep=False)]
    return units.names(ids).where(~isin(ids, shared), ids)


def _population(ledgers: LedgerSet, date_from: date | None, as_of: date | None) -> pd.DataFrame:
    """The problems found in [date_from, as_of], one row per id, in id order (the order the draw relies on)."""
    if not ledgers.has("problems"):
        raise AccountabilityError(
            "台账中没有问题整改台账（problems），无法抽样",
            file=ledgers.name,
            fix="请在台账文件夹中放入「问题整改台账.xlsx」（列：问题编号、发现日期、所属乡镇……）",
        )
    problems = ledgers.frame("problems")
    keep = pd.Series(True, index=problems.index)
    if date_from:
        keep &= problems["found_date"] >= pd.Timestamp(date_from)
    if as_of:
        keep &= problems["found_date"] <= pd.Timestamp(as_of)
    problems = problems[keep].sort_values(["id", "found_date", "unit"]).drop_duplicates("id")
    if problems.empty:
        span = "" if not (date_from or as_of) else f"在 {date_from or '…'} 至 {as_of or '…'} 期间发现的"
        raise AccountabilityError(
            f"问题整改台账中没有{span}可用的问题，无法抽样",
            file=ledgers.name,
            fix="请检查 --from/--as-of，或问题整改台账的问题编号、发现日期、所属乡镇三列",
        )
    return problems


def draw_sample(
    ledgers: LedgerSet,
    ratio: float,
    seed: int,
    by: str = "county",
    date_from: date | None = None,
    as_of: date | None = None,
) -> Sample:
    """Draw required(ratio, n) problems of each group without replacement, reproducibly (see the module)."""
    problems = _population(ledgers, date_from, as_of)
    units = ledgers.units
    county_of = units.ancestor(problems["county"].fillna(problems["unit"]), ("county",))
    # by county, a problem's own 县(市、区) decides, as JC-SPOTCHECK-RATIO groups it
    start = problems["county"].fillna(problems["unit"]) if by == "county" else problems["unit"]
    group = units.ancestor(start, GROUP_LEVELS[by])
    orphans = int(group.isna().sum())
    group = group.fillna(units.top)
    kinds = ledger_specs()["problems"].column("kind").value_labels
    rows = pd.DataFrame(
        {
            "problem": problems["id"],
            "unit": _unit_labels(units, problems["unit"]),
            "county": _unit_labels(units, county_of),
            "found_date": problems["found_date"],
            "description": problems["description"],
            "kind": problems["kind"].map(kinds).fillna(problems["kind"]),
        }
    )
    picked, counts = [], []
    grouped = dict(tuple(rows.groupby(group.to_numpy(), sort=False)))
    for gid in units.frame.index[units.frame.index.isin(list(grouped))]:
        members = grouped[gid]
        n, k = len(members), required(ratio, len(members))
        rng = np.random.default_rng([seed, zlib.crc32(str(gid).encode())])
        picked.append(members.iloc[np.sort(rng.choice(n, size=k, replace=False))])
        counts.append({"group": gid, "name": units.name[gid], "problems": n, "required": k, "drawn": len(picked[-1])})
    return Sample(
        rows=pd.concat(picked, ignore_index=True),
        groups=pd.DataFrame(counts),
        ratio=ratio,
        seed=seed,
        by=by,
        date_from=date_from,
        as_of=as_of,
        ledgers=ledgers.name,
        orphans=orphans,
        top_name=str(units.name[units.top]),
    )


def _put(sheet: Worksheet, row: int, values: list[object]) -> None:
    """One row of cells; text stays text even when it starts with '=' (ledger values, not formulas)."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"


def _record_rows(sample: Sample) -> list[list[object]]:
    """The sampled problems as rows of the 抽查记录, the inspector's columns left empty."""
    copied = sample.rows[COPIED].astype(object)
    copied["found_date"] = sample.rows["found_date"].dt.date
    copied = copied.where(copied.notna(), None)
    blank = [None] * (len(ledger_specs()["spot_checks"].columns) - len(COPIED))
    return [[*values, *blank] for values in copied.itertuples(index=False)]


def _notes_sheet(sheet: Worksheet, sample: Sample) -> None:
    """抽样说明: the parameters that reproduce the draw, and the count of each group (ingest skips this sheet)."""
    rows: list[list[object]] = [
        ["项目", "内容"],
        ["抽取比例", sample.percent],
        ["随机种子", sample.seed],
        ["分组", f"按{GROUP_NAMES[sample.by]}（--by {sample.by}）"],
        ["发现日期起", str(sample.date_from or "不限")],
        ["发现日期止", str(sample.as_of or "不限")],
        ["台账", sample.ledgers],
        ["生成时间", datetime.now().isoformat(sep=" ", timespec="seconds")],
        ["程序版本", f"accountability {__version__}"],
        [
            "抽样方法",
            "每组按问题编号排序，用 numpy.random.default_rng([随机种子, crc32(分组单位编码)]) 不放回抽取"
            "⌈比例×问题数⌉条（至少1条）；同样的台账、比例和种子得到同样的样本，与文件名和行序无关",
        ],
    ]
    if sample.orphans:
        rows.append(["说明", sample.orphan_note])
    rows += [[], ["分组", "单位编码", "问题数", "应抽（向上取整）", "已抽"]]
    rows += [[g.name, g.group, g.problems, g.required, g.drawn] for g in sample.groups.itertuples()]
    rows.append(["合计", None, *sample.groups[["problems", "required", "drawn"]].sum().astype(int).tolist()])
    for index, values in enumerate(rows, start=1):
        _put(sheet, index, values)
    for index in (1, len(rows) - len(sample.groups) - 1):
        for cell in sheet[index]:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 60


def write_sample(sample: Sample, path: Path) -> None:
    """The xlsx the inspector fills in."""
    if path.suffix.lower() != ".xlsx":
        raise AccountabilityError(
            "抽查样本须写成 .xlsx 文件", file=str(path), fix="请用 --out 抽查记录.xlsx 这样的文件名"
        )
    book = Workbook()
    spec, lists = ledger_specs()["spot_checks"], ValueLists()
    book.active.title = spec.title
    ledger_sheet(book.active, spec, lists, sample.title, _record_rows(sample))
    _notes_sheet(book.create_sheet(NOTES_SHEET), sample)
    lists.write(book)
    write_whole(path, book.save)

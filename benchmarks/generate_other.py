"""A second province generator, independent of generate.py and shaped otherwise, for timing audits on ledgers the
project was not tuned on.

    python benchmarks/generate_other.py OUT [--counties 100] [--seed 7]

What differs from generate.py:
- shape: 6 to 28 townships a county and 2 to 40 villages a township (skewed: a few large townships), so counties
  differ in size by a factor of ten; about half the townships mining;
- headers: the ledgers' other Chinese headers (编号, 日期, 单位, 类型 …), never the English keys; units and people
  named, not numbered, in every other ledger (names vs ids);
- files: several files per ledger, one per block of counties (巡查台账-第N册.parquet), the registers and the small
  ledgers as .xlsx, one patrol block as .csv; a title row above the header in the .xlsx files;
- cells: dates as Chinese text (2025年9月3日) in some files, as Excel serial numbers in others, as datetimes in the
  rest; booleans as 是/否 and √/×; free text of 20 to 400 characters; list cells joined by 、;
- proportions: far more findings: about a fifth of the township-weeks short of patrols, a third of the adits with a
  blank responsible person, half the problems overdue, many tips pending; a few unreadable cells (bad dates,
  unknown units) in every large ledger.
Nothing here is planted to an exact count: this generator is for speed and for output at scale, not for findings.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

YEAR_START = np.datetime64("2025-01-01")
DAYS = 365
EXCEL_EPOCH = np.datetime64("1899-12-30")
COUNTIES_PER_FILE = 10
CHARS = np.array(list("巡查辖区废弃矿硐封堵完好重点区域未发现盗采异常走访群众非法开采问题登记整改台账"))
SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"))
GIVEN = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红林海波斌宇浩凯鹏飞"))


def words(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """n free texts of low to high characters, drawn from a pool once and sliced: no Python per character."""
    pool = "".join(rng.choice(CHARS, size=200_000))
    starts = rng.integers(0, len(pool) - high, size=n)
    lengths = rng.integers(low, high + 1, size=n)
    return np.array([pool[s : s + k] for s, k in zip(starts, lengths, strict=True)], dtype=object)


def units(rng: np.random.Generator, counties: int) -> pd.DataFrame:
    """The city, its counties, their townships, villages, a 自然资源所 for every four townships (serving them) and a
    police station; every name distinct."""
    rows = [("C0", "东陵市", "市", None, None, None)]
    for c in range(counties):
        county = f"东陵市第{c + 1}县"
        rows.append((f"C{c + 1}", county, "县", "东陵市", None, None))
        towns = int(rng.integers(6, 29))
        served: list[list[str]] = []
        for t in range(towns):
            town = f"{county}{t + 1}号镇"
            rows.append((f"C{c + 1}T{t + 1}", town, "镇", county, "是" if rng.random() < 0.5 else "否", None))
            if t % 4 == 0:
                served.append([])
            served[-1].append(town)
            for v in range(int(min(40, 2 + rng.pareto(1.2) * 6))):
                rows.append((f"C{c + 1}T{t + 1}V{v + 1}", f"{town}{v + 1}村", "村", town, None, None))
        for o, names in enumerate(served):
            office = f"{county}第{o + 1}自然资源所"
            rows.append((f"C{c + 1}O{o + 1}", office, "自然资源所", county, None, "、".join(names)))
        rows.append((f"C{c + 1}P", f"{county}公安局", "局", county, None, None))
    return pd.DataFrame(rows, columns=["编码", "名称", "级别", "上级单位", "涉矿", "服务范围"])


def people(rng: np.random.Generator, register: pd.DataFrame) -> pd.DataFrame:
    """A main leader for every unit; for townships a patrol leader and a village contact covering their villages;
    a party secretary for every village. Names are made distinct by their unit's number."""
    level = register["级别"].to_numpy()
    name = register["名称"].to_numpy()
    parent = register["上级单位"].to_numpy()
    town = level == "镇"
    villages = pd.Series(name[level == "村"]).groupby(parent[level == "村"]).agg("、".join)
    parts = [
        pd.DataFrame({"单位": name, "责任": np.where(level == "村", "村支部书记", "主要负责人"), "包联区域": None}),
        pd.DataFrame({"单位": name[town], "责任": "巡查队长", "包联区域": None}),
        pd.DataFrame({"单位": name[town], "责任": "包村干部", "包联区域": villages.reindex(name[town]).to_numpy()}),
    ]
    out = pd.concat(parts, ignore_index=True)
    n = len(out)
    out.insert(0, "编号", [f"R{i:07d}" for i in range(n)])
    out.insert(1, "姓名", rng.choice(SURNAMES, n) + rng.choice(GIVEN, n) + pd.Series(range(n)).astype(str).to_numpy())
    return out


def dates_as(kind: str, days: np.ndarray) -> np.ndarray | pd.Series:
    """Dates as a clerk's file holds them: Chinese text, Excel serial numbers or datetimes."""
    stamps = YEAR_START + days.astype("timedelta64[D]")
    if kind == "text":
        parts = pd.Series(stamps).dt
        text = parts.year.astype(str) + "年" + parts.month.astype(str) + "月" + parts.day.astype(str) + "日"
        return text.to_numpy()
    if kind == "serial":
        return (stamps - EXCEL_EPOCH).astype(int).astype(float)
    return pd.to_datetime(stamps)


def patrols(rng: np.random.Generator, register: pd.DataFrame, crew: pd.DataFrame, blocks: list[np.ndarray]) -> list:
    """Daily patrols of every mining township, 1 to 5 days a week (a fifth of the weeks short of three), their
    villages as areas, long notes; a few bad dates and unknown units."""
    towns = register[(register["级别"] == "镇") & (register["涉矿"] == "是")]
    leader = crew[crew["责任"] == "巡查队长"].set_index("单位")["姓名"]
    village_lists = register[register["级别"] == "村"].groupby("上级单位")["名称"].agg(list)
    out = []
    for index, counties in enumerate(blocks):
        chosen = towns[towns["编码"].str.extract(r"^C(\d+)T")[0].astype(int).isin(counties + 1).to_numpy()]
        per_week = rng.choice([1, 2, 3, 4, 5, 6, 7], size=(len(chosen), 52), p=[0.03, 0.15, 0.2, 0.22, 0.2, 0.1, 0.1])
        town_at = np.repeat(np.arange(len(chosen)), per_week.sum(axis=1))
        week_at = np.concatenate([np.repeat(np.arange(52), row) for row in per_week])
        days = week_at * 7 + rng.integers(0, 7, size=len(week_at))
        n = len(days)
        names = chosen["名称"].to_numpy()[town_at]
        rotations = [_rotations(v) for v in village_lists.reindex(chosen["名称"]).to_numpy()]
        flat = np.array([text for r in rotations for text in r], dtype=object)
        offsets = np.cumsum([0, *(len(r) for r in rotations)])[:-1]
        turn = pd.Series(town_at).groupby(town_at).cumcount().to_numpy()
        sizes = np.array([len(r) for r in rotations])
        kind = ("text", "serial", "datetime")[index % 3]
        frame = pd.DataFrame(
            {
                "编号": [f"X{index:03d}-{i:07d}" for i in range(n)],
                "日期": dates_as(kind, days),
                "单位": names,
                "类型": "日常巡查",
                "巡查村": flat[offsets[town_at] + turn % sizes[town_at]],
                "巡查时间": rng.choice(["08:30", "09时", "14:00", "20:30"], size=n),
                "带队领导": leader.reindex(names).to_numpy(),
                "发现问题": rng.choice(["否", "×", "是"], size=n, p=[0.6, 0.3, 0.1]),
                "情况记录": words(rng, n, 20, 400),
                "现场照片": [f"IMG_{index:03d}_{i:07d}.jpg" for i in range(n)],
            }
        )
        frame = pd.concat([frame, _village_patrols(rng, register, chosen, index, kind)], ignore_index=True)
        n = len(frame)
        bad = rng.random(n) < 0.0005
        frame.loc[bad, "日期"] = "2025年13月1日" if kind == "text" else np.nan
        frame.loc[rng.random(n) < 0.0003, "单位"] = "不存在的镇"
        out.append(frame)
    return out


def _village_patrols(
    rng: np.random.Generator, register: pd.DataFrame, towns: pd.DataFrame, index: int, kind: str
) -> pd.DataFrame:
    """Each village of these townships checks itself in most weeks (村级排查), signed by its party secretary's name
    as written; short notes."""
    villages = register[(register["级别"] == "村") & register["上级单位"].isin(towns["名称"]).to_numpy()]
    held = rng.random((len(villages), 52)) < 0.85
    village_at, week_at = np.nonzero(held)
    n = len(village_at)
    return pd.DataFrame(
        {
            "编号": [f"V{index:03d}-{i:07d}" for i in range(n)],
            "日期": dates_as(kind, week_at * 7 + rng.integers(0, 7, size=n)),
            "单位": villages["名称"].to_numpy()[village_at],
            "类型": "村级排查",
            "巡查村": villages["名称"].to_numpy()[village_at],
            "发现问题": rng.choice(["否", "√"], size=n, p=[0.95, 0.05]),
            "情况记录": words(rng, n, 8, 40),
        }
    )


def _rotations(villages: object) -> list[str]:
    """A township's villages three by three: its patrols take them in turn, so a month covers most of them."""
    if not isinstance(villages, list) or not villages:
        return [""]
    return ["、".join(villages[i : i + 3]) for i in range(0, len(villages), 3)]


def small_ledgers(rng: np.random.Generator, register: pd.DataFrame, crew: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Adits, problems, tips and cases of the townships, with far more gaps than generate.py makes."""
    towns = register[register["级别"] == "镇"]["名称"].to_numpy()
    villages = register[register["级别"] == "村"]
    mining = register[(register["级别"] == "镇") & (register["涉矿"] == "是")]["名称"]
    sites = villages[villages["上级单位"].isin(mining).to_numpy()]  # adits lie in the mining townships
    n_adits, n_problems, n_tips, n_cases = len(towns) * 40, len(towns) * 80, len(towns) * 25, len(towns) * 3
    pick = rng.integers(0, len(sites), size=n_adits)
    adits = pd.DataFrame(
        {
            "编号": [f"K{i:07d}" for i in range(n_adits)],
            "乡镇(林场)": sites["上级单位"].to_numpy()[pick],
            "村(社区)": sites["名称"].to_numpy()[pick],
            "矿井类型": rng.choice(["政策性关闭", "正常关闭", "非法开采点"], size=n_adits),
            "矿区范围内": rng.choice(["是", "否"], size=n_adits),
            "责任人": np.where(rng.random(n_adits) < 0.33, None, rng.choice(crew["姓名"].to_numpy(), size=n_adits)),
            "是否封堵": rng.choice(["已封堵", "未封堵", "被重新打开"], size=n_adits, p=[0.8, 0.15, 0.05]),
            "封堵日期": dates_as("serial", rng.integers(0, 300, size=n_adits)),
            "登记日期": dates_as("text", rng.integers(0, 200, size=n_adits)),
            "盗采": rng.choice(["否", "是"], size=n_adits, p=[0.97, 0.03]),
        }
    )
    pick = rng.integers(0, len(villages), size=n_problems)
    found = rng.integers(0, 330, size=n_problems)
    problems = pd.DataFrame(
        {
            "编号": [f"Q{i:07d}" for i in range(n_problems)],
            "发现日期": dates_as("datetime", found),
            "问题来源": rng.choice(["巡查", "自查", "举报", "抽查"], size=n_problems),
            "所属乡镇": villages["上级单位"].to_numpy()[pick],
            "所在村": villages["名称"].to_numpy()[pick],
            "问题类型": rng.choice(["封堵不到位", "非法开采", "安全隐患", "其他"], size=n_problems),
            "问题描述": words(rng, n_problems, 20, 200),
            "整改要求": words(rng, n_problems, 10, 60),
            "责任单位": villages["上级单位"].to_numpy()[pick],
            "责任人": np.where(rng.random(n_problems) < 0.1, None, rng.choice(crew["姓名"].to_numpy(), n_problems)),
            "最近督办日期": dates_as("serial", np.full(n_problems, DAYS - 20)),
            "整改时限": dates_as("text", np.minimum(found + rng.integers(10, 60, size=n_problems), DAYS - 1)),
            "整改状态": rng.choice(["整改中", "已销号", "未整改"], size=n_problems, p=[0.35, 0.5, 0.15]),
        }
    )
    pick = rng.integers(0, len(towns), size=n_tips)
    tips = pd.DataFrame(
        {
            "编号": [f"J{i:07d}" for i in range(n_tips)],
            "受理日期": dates_as("serial", rng.integers(0, 340, size=n_tips)),
            "受理单位": towns[pick],
            "涉及乡镇": towns[pick],
            "核查结果": rng.choice(["属实", "不属实", "核查中"], size=n_tips, p=[0.4, 0.3, 0.3]),
            "是否立案": rng.choice(["是", "否", None], size=n_tips),
            "奖励金额": rng.choice(["2000", "2,000元", "0.2万元", "", "1000"], size=n_tips),
        }
    )
    pick = rng.integers(0, len(towns), size=n_cases)
    cases = pd.DataFrame(
        {
            "案件编号": [f"A{i:06d}" for i in range(n_cases)],
            "立案日期": dates_as("text", rng.integers(0, 360, size=n_cases)),
            "乡镇": towns[pick],
            "违法类型": rng.choice(["私挖盗采", "无证开采", "越界开采"], size=n_cases),
            "是否大案要案": rng.choice(["否", "是"], size=n_cases, p=[0.9, 0.1]),
            "当事人": rng.choice(SURNAMES, n_cases) + "某",
            "是否涉嫌犯罪": rng.choice(["否", "是", None], size=n_cases),
        }
    )
    return {"废弃矿硐封堵台账": adits, "问题整改台账": problems, "举报线索台账": tips, "案件台账": cases}


def write_xlsx(path: Path, frame: pd.DataFrame, title: str) -> None:
    """A workbook as a clerk keeps one: a title row above the header, written row by row (write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append([title])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and np.isnan(v)) else v for v in row])
    book.save(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    register = units(rng, args.counties)
    crew = people(rng, register)
    write_xlsx(args.out / "单位名册.xlsx", register, "单位名册")
    crew.to_csv(args.out / "责任人名册.csv", index=False, encoding="utf-8-sig")
    blocks = np.array_split(np.arange(args.counties), max(1, -(-args.counties // COUNTIES_PER_FILE)))
    rows = len(register) + len(crew)
    for index, frame in enumerate(patrols(rng, register, crew, blocks)):
        rows += len(frame)
        if index == 1:
            frame.to_csv(args.out / f"巡查台账-第{index + 1}册.csv", index=False, encoding="utf-8-sig")
        else:
            frame.astype({"日期": object}).to_parquet(args.out / f"巡查台账-第{index + 1}册.parquet", index=False)
    for title, frame in small_ledgers(rng, register, crew).items():
        rows += len(frame)
        if len(frame) <= 20_000:
            write_xlsx(args.out / f"{title}.xlsx", frame, title)
        else:
            frame.to_parquet(args.out / f"{title}.parquet", index=False)
    print(f"{args.counties} 个县，{rows:,} 行，{time.perf_counter() - started:.1f} 秒：{args.out}")


if __name__ == "__main__":
    main()

"""Generates a province-scale ledger set for all five plans, compliant by default, with violations planted at a
known rate, for timing audits at scale.

    python benchmarks/generate.py OUT [--counties 100] [--seed 1] [--format parquet|xlsx|csv] [--violation-rate 0.02]

OUT gets one file per ledger named by its English key (units.parquet, patrols.parquet …) and `.planted.json`: per
rule id, how many findings the planted violations give. Audit the set with every pack as of 2025-12-31:

    accountability audit OUT --as-of 2025-12-31

The dot keeps .planted.json out of ingest, which skips hidden files, so the folder reads without a file problem.

Shape (per county; everything scales linearly with --counties, 1 to 1000): 15 townships (12 mining, one of them a
forest farm), 180 villages (8 to 16 a township), a natural-resources bureau with 3 offices (自然资源所) and a police
bureau, ~315 people; about 12,300 patrols, 2,000 adits, 1,000 problems, 500 tips, 1,000 satellite patches,
130 devices, 150 key persons, ~290 eight-checks, 20 cases, 5 closures, ~75 reports, 13 meetings. The top unit is a
city (level 市) with a city patrol team, four city departments and the city leaders, and its own monthly meetings.
At --counties 100: 1,500 townships, 18,000 villages, 1.23M patrols, 200k adits, 100k problems, 50k tips, 100k
patches; 1.8M rows in all. Units and people are referred to by id everywhere; every name is distinct anyway.
Every role a finding can refer to is held (no DATA-ROLE-UNFILLED).

Dates: the ledgers as they stand at the end of 2025, spread over the union of the plans' windows, so that one audit
with every pack as of 2025-12-31 judges every plan on data it has:
- 2025, the province-year (Hongjiang from 2025-08-01; Yiyuan's year is the year of as_of, so all 2025): the bulk of
  the patrols (daily patrols 3–4 distinct days a week in every mining township, their villages covered each month in
  rotation, 2–3 cross patrols a month, village patrols in three weeks of four, the city team on ~24 days a month,
  monthly supervision by a city leader, offices' day and night patrols), problems found on patrols, tips, cases,
  key persons, devices, the offices' monthly statistics and year report, monthly joint meetings and a warning-
  education meeting per county that every key person and enterprise head attends.
- Jincheng's campaign, 2021-12-20 … 2022-03-19: eight-checks of every village of the mining townships (one in the
  concentrated phase, one in the follow-up), the problems they found (at least 30% spot-checked in each county,
  with a spot_checks record each), closures meeting the six standards, each county's work report.
- Tangyuan, 2022-04-07 … 2023-03-31: adits are registered from 2022-04-07 on (those found before 2022-10-15 sealed
  by then, later ones within 30 days, all accepted), departments' four stage reports, monthly consultations and
  joint enforcement (held every month from 2021-12 to 2025-12 at city level).
- Yanhu, 2022-12-01 … 2023-03-31: weekly village patrols of every village of the mining townships, two township
  patrols a month, a district (county) patrol of each mining township each month, problems found then (all closed
  by 2023-03-31), the measures / eight-batches / summary reports and an eight_batches row per mining township.
Records that no window needs (tips, cases, patches 2022Q4…2025Q4) are dated in 2025 or spread over the years.

Planted violations, 10 rules over the five packs and the common one, only where the finding count is exact: of the
N items a kind applies to, round(rate × N) are made wrong (at least one when the rate is above 0, at most as many
as qualify); .planted.json gives the finding count per rule for an audit with every pack as of 2025-12-31:
- HJ-PATROL-WEEKLY: N = mining township × judged ISO week (2025-W32 … W52); each chosen township-week is left with
  2 daily-patrol days: one finding each.
- HJ-ADIT-FIELDS, TY-MINE-FIELDS, YY-SITE-REGISTRY: N = adits; each chosen adit loses its responsible person (and is
  made closure type 其他 outside any licence area, so no other adit rule fires): one finding of each rule per adit.
- JC-RECTIFY-OVERDUE: N = 2025 problems whose deadline fell before 2025-11-30; each chosen one is still 整改中 (and
  was followed up in December, so TY-MONTHLY-FOLLOWUP does not fire).
- HJ-TIP-VERIFY, HJ-REWARD-TIER, YH-REWARD-PAID: N = tips, three disjoint draws: received by 2025-11-30 and still
  核查中; verified true without a case and rewarded 1000 instead of 2000; verified true, the right amount, never paid.
  A tip still 核查中 breaks Jincheng's "逐件核实" too: JC-TIP-VERIFY finds the same tips.
- YY-MONTHLY-REPORT: N = office × month (March–November); each chosen monthly statistics sent 1–5 days after its
  due date (the 24th, moved to the next working day by the mainland-China calendar).
- INT-PHOTO-REUSE: N = 2025 daily patrols; pairs of them share one photo: one finding per pair.
Everything else is compliant: with --violation-rate 0 an audit with every pack as of 2025-12-31 finds nothing but
HJ-THEFT-ACCOUNTABILITY, HJ-THEFT-ADIT and HJ-THEFT-CASE, by design one referral per theft problem (about 1% of the
problems), per adit marked 盗采 (5%) and per 私挖盗采 case (a third).

Everything is vectorised with numpy (no per-row Python over the big ledgers; text columns go to pandas through
pyarrow). 100 counties: about 7.5 s to generate and 1.2 s to write as parquet (44 MB). xlsx is written row by row
with openpyxl's write-only mode, a sheet holding at most 1,048,575 rows (a longer ledger continues on sheets named
第2册巡查台账 …, which ingest reads as the same ledger): about 37 s at 10 counties (180k rows, 10 MB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from accountability.contract.schema import ledger_specs
from accountability.language.workdays import WorkCalendar

AS_OF = dt.date(2025, 12, 31)
TOWNSHIPS_PER_COUNTY = 15
MINING_PER_COUNTY = 12
OFFICES_PER_COUNTY = 3
VILLAGE_PATTERN = np.array([8, 9, 10, 11, 12, 12, 12, 12, 12, 12, 12, 13, 14, 15, 16])  # 180 villages a county
ADITS_PER_COUNTY = 2000
PROBLEMS_PER_COUNTY = 1000
YH_PROBLEMS_PER_COUNTY = 60
TIPS_PER_COUNTY = 500
PATCHES_PER_COUNTY = 1000
CASES_PER_COUNTY = 20
CLOSURES_PER_COUNTY = 5
DEVICES_NEW, DEVICES_OLD = 110, 20
NEW_ADITS, NEW_KEY_PERSONS, OLD_KEY_PERSONS = 12, 7, 5
EXCEL_ROWS = 1_048_575
MAX_COUNTIES = 1000  # distinct person names and sensible coordinates up to here

SYLLABLES = (
    "青石东西南北安平和兴龙凤山水河溪岭峰泉林竹松柏桃李梅金银铜铁云霞清明长乐永新宁远"
    "丰华盛春秋阳江湖田庄坪坝岗塘湾源桥沙黄白红"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红林海波斌宇浩凯鹏飞"
    "云峰辉东亮成春雪梅新文晓光德荣庆福贵永生长清"
)
CITY = "南岭市"
# short enough (< 30 characters) that repeating them on many dates is no INT-COPIED-NOTES; the last one for
# patrols that found a problem
NOTES = (
    "巡查辖区废弃矿硐，封堵完好",
    "巡查重点区域，未发现盗采",
    "未发现异常",
    "查看矿硐封堵和警示标牌，无异常",
    "走访群众，未发现非法开采",
    "发现问题，已登记整改台账",
)

# problem kinds: the ledger word, a description, the rectification required; and their shares among problems
KINDS = {
    "theft": ("盗采", "后山发现私挖盗采痕迹", "立即制止，清理现场并移交执法部门"),
    "illegal_mining": ("非法开采", "发现无证开采点一处", "立即关停，拆除设备，恢复地貌"),
    "unsealed": ("封堵不到位", "废弃矿硐封堵不严，有扒开痕迹", "重新封堵并设置警示标牌"),
    "hazard": ("安全隐患", "采空区边坡有滑坡隐患", "设置围挡，落实专人看护"),
    "other": ("其他", "警示标牌缺失", "限期整改到位"),
}
KIND_SHARE = [0.01, 0.04, 0.30, 0.30, 0.35]
# the kind of problem an abnormal eight-check item (c1 … c8) turns up
ITEM_KIND = np.array([3, 4, 1, 4, 4, 2, 2, 4])

DAY = np.timedelta64(1, "D")
NAT = np.datetime64("NaT", "D")


def day(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


def cat(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars."""
    out = np.asarray(parts[0]).astype(str)
    for part in parts[1:]:
        out = np.char.add(out, np.asarray(part).astype(str))
    return out


def numbered(prefix: str, n: int, width: int, start: int = 1) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(start, start + n).astype(str), width))


def join_list(*columns: np.ndarray) -> np.ndarray:
    """Lists as the ledgers write them: items joined with 、."""
    out = columns[0]
    for column in columns[1:]:
        out = np.char.add(np.char.add(out, "、"), column)
    return out


def yes_no(mask: np.ndarray) -> np.ndarray:
    return np.where(mask, "是", "否")


def ranks(keys: np.ndarray) -> np.ndarray:
    """For keys sorted ascending: each element's position within its run of equal keys."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=int)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    return np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))


def month_index(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype(int)


def random_days(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    """n days drawn uniformly from [start, end]."""
    span = int((day(end) - day(start)) / DAY) + 1
    return day(start) + rng.integers(0, span, n) * DAY


def distinct_days(rng: np.random.Generator, rows: int, k: int, span: int = 28) -> np.ndarray:
    """For each row, k distinct day offsets in [0, span)."""
    return np.argsort(rng.random((rows, span)), axis=1)[:, :k]


def table(columns: dict) -> pd.DataFrame:
    """A DataFrame whose text columns go to pandas' string dtype through pyarrow (much faster than pandas'
    own conversion of a million Chinese strings)."""
    return pd.DataFrame({name: _text(values) for name, values in columns.items()})


def _text(values):
    """numpy text (fixed-width, "" for empty, or objects with None) → pandas' string dtype via pyarrow."""
    if not isinstance(values, np.ndarray) or values.dtype.kind not in "UO":
        return values
    try:
        dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pandas before 2.3
        return values.astype(object)
    if values.dtype.kind == "O":
        return pd.array(pa.array(values, from_pandas=True, type=pa.string()), dtype=dtype)
    empty = values == ""
    return pd.array(pa.array(values, mask=empty if empty.any() else None, type=pa.string()), dtype=dtype)


def dates_column(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype="datetime64[D]").astype("datetime64[ns]")


@dataclass
class Tree:
    """The unit tree as arrays: counties, townships (global index t = county × 15 + local), villages, offices."""

    counties: int
    county_ids: np.ndarray
    county_names: np.ndarray
    county_short: np.ndarray
    t_ids: np.ndarray
    t_names: np.ndarray
    t_county: np.ndarray
    t_mining: np.ndarray
    t_forest: np.ndarray
    t_syllable: np.ndarray
    nv: np.ndarray
    v_start: np.ndarray
    v_ids: np.ndarray
    v_names: np.ndarray
    v_town: np.ndarray
    v_local: np.ndarray
    office_ids: np.ndarray
    office_county: np.ndarray
    lon0: np.ndarray  # each township's south-west corner: a 0.14° box per township, 0.6° per county
    lat0: np.ndarray

    @property
    def mining_towns(self) -> np.ndarray:
        return np.flatnonzero(self.t_mining)

    def village(self, town: np.ndarray, k: np.ndarray) -> np.ndarray:
        """The (k mod n)-th village of each township, as a global village index."""
        return self.v_start[town] + np.mod(k, self.nv[town])


class Generator:
    """Builds the ledgers; `planted` counts the findings each planted violation gives, by rule id."""

    def __init__(self, counties: int, seed: int, rate: float) -> None:
        self.rng = np.random.default_rng(seed)
        self.rate = rate
        self.planted: dict[str, int] = {}
        self.tree = self._tree(counties)
        self.name_order = self.rng.permutation(len(SURNAMES) * len(GIVEN) ** 2)
        self.names_used = 0

    # -- sizes ------------------------------------------------------------------------------------------------

    def how_many(self, eligible: int, pool: int | None = None) -> int:
        """round(rate × eligible), at least one when the rate is above 0, at most the pool to draw from."""
        if self.rate <= 0 or eligible == 0:
            return 0
        return int(min(max(1, round(self.rate * eligible)), eligible if pool is None else pool))

    def choose(self, candidates: np.ndarray, n: int) -> np.ndarray:
        return np.sort(self.rng.choice(candidates, size=n, replace=False)) if n else candidates[:0]

    # -- names ------------------------------------------------------------------------------------------------

    def names(self, n: int) -> np.ndarray:
        """n person names (surname + two given characters), distinct across every call."""
        if self.names_used + n > len(self.name_order):
            raise ValueError(f"too many people for {len(self.name_order):,} distinct names")
        code = self.name_order[self.names_used : self.names_used + n]
        self.names_used += n
        surnames, given = np.array(list(SURNAMES)), np.array(list(GIVEN))
        g = len(GIVEN)
        return cat(
            surnames[code % len(SURNAMES)], given[(code // len(SURNAMES)) % g], given[code // (len(SURNAMES) * g)]
        )

    # -- the unit tree ----------------------------------------------------------------------------------------

    def _tree(self, counties: int) -> Tree:
        rng = self.rng
        syl = np.array(list(dict.fromkeys(SYLLABLES)))
        if not 1 <= counties <= MAX_COUNTIES:
            raise ValueError(f"--counties must be 1 to {MAX_COUNTIES}")
        pairs = rng.permutation(len(syl) ** 2)[:counties]
        short = cat(syl[pairs // len(syl)], syl[pairs % len(syl)])
        county_ids = numbered("K", counties, 3)
        n_towns = counties * TOWNSHIPS_PER_COUNTY
        t_county = np.repeat(np.arange(counties), TOWNSHIPS_PER_COUNTY)
        t_local = np.tile(np.arange(TOWNSHIPS_PER_COUNTY), counties)
        t_syllable = syl[np.argsort(rng.random((counties, len(syl))), axis=1)[:, :TOWNSHIPS_PER_COUNTY].ravel()]
        order = np.argsort(rng.random((counties, TOWNSHIPS_PER_COUNTY)), axis=1)  # townships in random order
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(TOWNSHIPS_PER_COUNTY)[None, :].repeat(counties, 0), axis=1)
        rank = rank.ravel()
        mining = rank < MINING_PER_COUNTY
        forest = rank == 0
        nv = VILLAGE_PATTERN[np.argsort(rng.random((counties, TOWNSHIPS_PER_COUNTY)), axis=1)].ravel()
        suffix = np.where(forest, "国有林场", np.where(rng.random(n_towns) < 0.6, "镇", "乡"))
        t_ids = cat(county_ids[t_county], "T", np.char.zfill((t_local + 1).astype(str), 2))
        t_names = cat(short[t_county], t_syllable, suffix)
        v_start = np.r_[0, np.cumsum(nv)[:-1]]
        v_town = np.repeat(np.arange(n_towns), nv)
        v_local = np.arange(nv.sum()) - v_start[v_town]
        v_syl = syl[np.argsort(rng.random((n_towns, len(syl))), axis=1)[:, :16]]
        v_ids = cat(t_ids[v_town], "V", np.char.zfill((v_local + 1).astype(str), 2))
        v_names = cat(
            short[t_county[v_town]], t_syllable[v_town], v_syl[v_town, v_local], np.where(forest[v_town], "工区", "村")
        )
        office_county = np.repeat(np.arange(counties), OFFICES_PER_COUNTY)
        office_ids = cat(county_ids[office_county], "S", np.tile(np.arange(1, OFFICES_PER_COUNTY + 1), counties))
        return Tree(
            counties=counties,
            county_ids=county_ids,
            county_names=cat(short, "县"),
            county_short=short,
            t_ids=t_ids,
            t_names=t_names,
            t_county=t_county,
            t_mining=mining,
            t_forest=forest,
            t_syllable=t_syllable,
            nv=nv,
            v_start=v_start,
            v_ids=v_ids,
            v_names=v_names,
            v_town=v_town,
            v_local=v_local,
            office_ids=office_ids,
            office_county=office_county,
            lon0=100.0 + (t_county % 30) * 0.6 + (t_local % 4) * 0.14,
            lat0=20.0 + (t_county // 30) * 0.6 + (t_local // 4) * 0.14,
        )

    def units(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        c = tr.counties
        city = table(
            {
                "id": ["C", "C-XCD", "C-ZRJ", "C-GAJ", "C-GD", "C-YJ"],
                "name": [
                    CITY,
                    f"{CITY}打非治违联合巡查队",
                    f"{CITY}自然资源局",
                    f"{CITY}公安局",
                    "国网南岭供电公司",
                    f"{CITY}应急管理局",
                ],
                "level": ["市", "巡查队", "局", "局", "部门", "局"],
                "parent": [None, "C", "C", "C", "C", "C"],
                "mining": None,
                "hotline": ["0745-12345", None, None, None, None, None],
            }
        )
        counties = table(
            {
                "id": tr.county_ids,
                "name": tr.county_names,
                "level": "县",
                "parent": "C",
                "mining": None,
                "hotline": cat("0", 700 + np.arange(c), "-", rng.integers(1_000_000, 9_999_999, c)),
            }
        )
        departments = table(
            {
                "id": np.concatenate([cat(tr.county_ids, "-ZRJ"), cat(tr.county_ids, "-GAJ")]),
                "name": np.concatenate([cat(tr.county_names, "自然资源局"), cat(tr.county_names, "公安局")]),
                "level": "局",
                "parent": np.concatenate([tr.county_ids, tr.county_ids]),
            }
        )
        local = np.tile(np.arange(OFFICES_PER_COUNTY), c)
        # office k covers the townships whose local index is k mod 3, and is named after the first of them
        named_after = tr.office_county * TOWNSHIPS_PER_COUNTY + local
        offices = table(
            {
                "id": tr.office_ids,
                "name": cat(tr.county_short[tr.office_county], tr.t_syllable[named_after], "自然资源所"),
                "level": "自然资源所",
                "parent": cat(tr.county_ids[tr.office_county], "-ZRJ"),
            }
        )
        towns = table(
            {
                "id": tr.t_ids,
                "name": tr.t_names,
                "level": np.where(tr.t_forest, "林场", "乡镇"),
                "parent": tr.county_ids[tr.t_county],
                "mining": yes_no(tr.t_mining),
            }
        )
        villages = table({"id": tr.v_ids, "name": tr.v_names, "level": "村", "parent": tr.t_ids[tr.v_town]})
        frame = pd.concat([city, counties, departments, offices, towns, villages], ignore_index=True)
        return frame.reindex(columns=["id", "name", "level", "parent", "mining", "hotline"])

    # -- people -----------------------------------------------------------------------------------------------

    def people(self) -> pd.DataFrame:
        tr = self.tree
        parts = [
            table(
                {
                    "id": [
                        "C-ML",
                        "C-CL1",
                        "C-CL2",
                        "C-XCD-PL",
                        "C-ZRJ-ML",
                        "C-ZRJ-HD",
                        "C-GAJ-ML",
                        "C-GD-ML",
                        "C-YJ-ML",
                        "C-ZRJ-LI",
                        "C-GAJ-LI",
                        "C-GD-LI",
                        "C-YJ-LI",
                    ],
                    "unit": [
                        "C",
                        "C",
                        "C",
                        "C-XCD",
                        "C-ZRJ",
                        "C-ZRJ",
                        "C-GAJ",
                        "C-GD",
                        "C-YJ",
                        "C-ZRJ",
                        "C-GAJ",
                        "C-GD",
                        "C-YJ",
                    ],
                    "position": [
                        "市长",
                        "副市长",
                        "副市长",
                        "队长",
                        "局长",
                        "执法支队干部",
                        "局长",
                        "总经理",
                        "局长",
                        *["联络员"] * 4,
                    ],
                    "roles": [
                        "主要负责人",
                        "市领导",
                        "市领导",
                        "巡查队长",
                        "主要负责人",
                        "经办人",
                        "主要负责人",
                        "主要负责人",
                        "主要负责人",
                        *["联络员"] * 4,
                    ],
                }
            )
        ]
        k = tr.county_ids
        for suffix, unit, position, role in [
            ("-ML", k, "县长", "主要负责人"),
            ("-HD", cat(k, "-ZRJ"), "执法大队干部", "经办人"),
            ("-EH1", k, "矿业公司经理", "矿企负责人"),
            ("-EH2", k, "矿业公司经理", "矿企负责人"),
            ("-ZRJ-ML", cat(k, "-ZRJ"), "局长", "主要负责人"),
            ("-GAJ-ML", cat(k, "-GAJ"), "局长", "主要负责人"),
            ("-ZRJ-LI", cat(k, "-ZRJ"), "联络员", "联络员"),
            ("-GAJ-LI", cat(k, "-GAJ"), "联络员", "联络员"),
        ]:
            parts.append(table({"id": cat(k, suffix), "unit": unit, "position": position, "roles": role}))
        o = tr.office_ids
        for suffix, position, role in [
            ("-ML", "所长", "主要负责人"),
            ("-LI", "业务员", "联络员"),
            ("-PL", "执法监察员", "巡查队长"),
        ]:
            parts.append(table({"id": cat(o, suffix), "unit": o, "position": position, "roles": role}))
        t = tr.t_ids
        head = np.where(tr.t_forest, "场长", np.where(np.char.endswith(tr.t_names, "镇"), "镇长", "乡长"))
        for suffix, position, role in [
            ("-ML", head, "主要负责人"),
            ("-PL", "日常巡查队队长", "巡查队长"),
            ("-DL", "分管副职", "分管领导"),
        ]:
            parts.append(table({"id": cat(t, suffix), "unit": t, "position": position, "roles": role}))
        villages = table({"town": tr.v_town, "village": tr.v_ids, "local": tr.v_local})
        for suffix, groups, position, role in [("-VC", 3, "包村干部", "包村干部"), ("-AL", 2, "包片领导", "包片领导")]:
            covers = (
                villages.assign(group=villages["local"] % groups)
                .groupby(["town", "group"], sort=True)["village"]
                .agg("、".join)
                .reset_index()
            )
            ids = cat(t[covers["town"].to_numpy()], suffix, covers["group"].to_numpy() + 1)
            parts.append(
                pd.DataFrame(
                    {
                        "id": ids,
                        "unit": t[covers["town"].to_numpy()],
                        "position": position,
                        "roles": role,
                        "covers": covers["village"].to_numpy(),
                    }
                )
            )
        secretary = np.where(tr.t_forest[tr.v_town], "工区负责人", "村党支部书记")
        parts.append(
            table({"id": cat(tr.v_ids, "-PS"), "unit": tr.v_ids, "position": secretary, "roles": "村支部书记"})
        )
        frame = pd.concat(parts, ignore_index=True)
        frame["name"] = self.names(len(frame))
        return frame.reindex(columns=["id", "name", "unit", "position", "roles", "covers"])

    # -- patrols ----------------------------------------------------------------------------------------------

    def patrols(self) -> dict[str, np.ndarray]:
        """All patrols as columns; `_kind`, `_town`, `_village` say what each is, for the problems and photos."""
        tr, rng = self.tree, self.rng
        parts: list[dict[str, np.ndarray]] = []

        def part(kind: str, days, unit, team, areas, leader, members="", start_time=None, town=-1, village=-1):
            n = len(days)
            times = ["08:30", "09:00", "14:00", "14:30", "15:00"]
            parts.append(
                {
                    "_kind": np.full(n, kind),
                    "date": np.asarray(days, dtype="datetime64[D]"),
                    "unit": np.broadcast_to(np.asarray(unit, dtype=str), (n,)),
                    "team": np.full(n, team),
                    "areas": np.broadcast_to(np.asarray(areas, dtype=str), (n,)),
                    "start_time": np.broadcast_to(rng.choice(times, n) if start_time is None else start_time, (n,)),
                    "leader": np.broadcast_to(np.asarray(leader, dtype=str), (n,)),
                    "members": np.broadcast_to(np.asarray(members, dtype=str), (n,)),
                    "_town": np.broadcast_to(town, (n,)),
                    "_village": np.broadcast_to(village, (n,)),
                }
            )

        # 2025 daily patrols: 3–4 distinct days a week in mining townships, one a week elsewhere
        mondays = day("2024-12-30") + 7 * np.arange(53) * DAY
        n_towns = len(tr.t_ids)
        slots = np.argsort(rng.random((n_towns, len(mondays), 7)), axis=2)[:, :, :4]
        keep = np.zeros(slots.shape, dtype=bool)
        keep[tr.t_mining, :, :3] = True
        keep[tr.t_mining, :, 3] = rng.random((tr.t_mining.sum(), len(mondays))) < 0.5
        keep[~tr.t_mining, :, 0] = True
        judged = np.flatnonzero((mondays >= day("2025-08-01")) & (mondays + 6 * DAY <= np.datetime64(AS_OF, "D")))
        eligible = (tr.mining_towns[:, None] * len(mondays) + judged[None, :]).ravel()
        short = self.choose(eligible, self.how_many(len(eligible)))
        keep[short // len(mondays), short % len(mondays), 2:] = False
        self.planted["HJ-PATROL-WEEKLY"] = len(short)
        dates = mondays[None, :, None] + slots * DAY
        keep &= (dates >= day("2025-01-01")) & (dates <= day("2025-12-31"))
        town = np.broadcast_to(np.arange(n_towns)[:, None, None], slots.shape)[keep]
        dates = dates[keep]
        order = np.lexsort((dates, town))
        town, dates = town[order], dates[order]
        rank = ranks(town * 10_000 + month_index(dates))
        first = tr.village(town, 3 * rank)
        areas = join_list(*(tr.v_ids[tr.village(town, 3 * rank + i)] for i in range(3)))
        members = join_list(cat(tr.t_ids[town], "-DL"), cat(tr.t_ids[town], "-VC", rank % 3 + 1))
        part(
            "daily",
            dates,
            tr.t_ids[town],
            "日常巡查",
            areas,
            cat(tr.t_ids[town], "-PL"),
            members,
            town=town,
            village=first,
        )

        # cross patrols: 2–3 distinct days a month, in the villages of the next township of the county
        towns = tr.mining_towns
        n = len(towns) * 12
        picks = distinct_days(rng, n, 3)
        keep = np.ones(picks.shape, dtype=bool)
        keep[:, 2] = rng.random(n) < 0.5
        town = np.repeat(towns, 12)[:, None].repeat(3, 1)[keep]
        month = np.tile(np.arange(12), len(towns))[:, None].repeat(3, 1)[keep]
        slot = np.broadcast_to(np.arange(3), picks.shape)[keep]
        dates = day("2025-01-01").astype("datetime64[M]") + month
        dates = dates.astype("datetime64[D]") + picks[keep] * DAY
        partner = tr.t_county[town] * TOWNSHIPS_PER_COUNTY + (town % TOWNSHIPS_PER_COUNTY + 1) % TOWNSHIPS_PER_COUNTY
        areas = join_list(
            tr.v_ids[tr.village(partner, 2 * slot + month)], tr.v_ids[tr.village(partner, 2 * slot + month + 1)]
        )
        part(
            "cross",
            dates,
            tr.t_ids[town],
            "交叉巡查",
            areas,
            cat(tr.t_ids[town], "-PL"),
            cat(tr.t_ids[town], "-DL"),
            town=town,
        )

        # 2025 village patrols: three weeks of four, never two weeks running without one
        n_v = len(tr.v_ids)
        week = np.tile(np.arange(len(mondays)), n_v)
        village = np.repeat(np.arange(n_v), len(mondays))
        take = (week + village) % 4 != 0
        week, village = week[take], village[take]
        dates = mondays[week] + rng.integers(0, 7, len(week)) * DAY
        inside = (dates >= day("2025-01-01")) & (dates <= day("2025-12-31"))
        week, village, dates = week[inside], village[inside], dates[inside]
        part(
            "village",
            dates,
            tr.v_ids[village],
            "村级排查",
            tr.v_ids[village],
            cat(tr.v_ids[village], "-PS"),
            town=tr.v_town[village],
            village=village,
        )

        # the city team: every day of 2025 whose day of the month is not a multiple of 5 (23–25 days a month)
        year = np.arange(day("2025-01-01"), day("2026-01-01"))
        year = year[(year - year.astype("datetime64[M]")).astype(int) % 5 != 4]
        mining_villages = np.flatnonzero(tr.t_mining[tr.v_town])
        seen = rng.choice(mining_villages, (len(year), 2))
        part(
            "city",
            year,
            np.full(len(year), "C-XCD"),
            "市联合巡查",
            join_list(tr.v_ids[seen[:, 0]], tr.v_ids[seen[:, 1]]),
            "C-XCD-PL",
            village=seen[:, 0],
        )

        # city leaders' supervision: twice a month
        months = np.arange(24) // 2
        dates = (day("2025-01-01").astype("datetime64[M]") + months).astype("datetime64[D]") + (
            np.tile([6, 19], 12) + rng.integers(0, 5, 24)
        ) * DAY
        town = rng.choice(tr.mining_towns, 24)
        part(
            "supervision",
            dates,
            tr.t_ids[town],
            "领导督导",
            tr.v_ids[tr.village(town, rng.integers(0, 16, 24))],
            np.tile(["C-CL1", "C-CL2"], 12),
            town=town,
        )

        # offices: a day patrol and a night patrol each month in their townships' villages
        offices = np.arange(len(tr.office_ids))
        office = np.repeat(offices, 24)
        month = np.tile(np.arange(24) // 2, len(offices))
        night = np.tile([True, False], 12 * len(offices))
        town = (
            tr.office_county[office] * TOWNSHIPS_PER_COUNTY
            + office % OFFICES_PER_COUNTY
            + OFFICES_PER_COUNTY * rng.integers(0, TOWNSHIPS_PER_COUNTY // OFFICES_PER_COUNTY, len(office))
        )
        dates = (day("2025-01-01").astype("datetime64[M]") + month).astype("datetime64[D]") + (
            np.where(night, 3, 15) + rng.integers(0, 10, len(office))
        ) * DAY
        areas = join_list(*(tr.v_ids[tr.village(town, k)] for k in range(3)))
        part(
            "office",
            dates,
            tr.office_ids[office],
            "日常巡查",
            areas,
            cat(tr.office_ids[office], "-PL"),
            start_time=np.where(night, rng.choice(["20:30", "21:00", "05:30"], len(office)), "09:30"),
        )

        # Yanhu window: weekly village patrols (2022-W49 … 2023-W12) of every village of the mining townships
        yh_mondays = day("2022-12-05") + 7 * np.arange(16) * DAY
        village = np.repeat(mining_villages, len(yh_mondays))
        dates = np.tile(yh_mondays, len(mining_villages)) + rng.integers(0, 7, len(village)) * DAY
        part(
            "yh_village",
            dates,
            tr.v_ids[village],
            "村级排查",
            tr.v_ids[village],
            cat(tr.v_ids[village], "-PS"),
            town=tr.v_town[village],
            village=village,
        )
        # … two township patrols a month, and a district (county) patrol of each mining township each month
        yh_months = (day("2022-12-01").astype("datetime64[M]") + np.arange(4)).astype("datetime64[D]")
        town = np.repeat(towns, 8)
        slot = np.tile(np.arange(8), len(towns))
        picks = distinct_days(rng, len(towns) * 4, 2).ravel()
        dates = yh_months[slot // 2] + picks * DAY
        areas = join_list(*(tr.v_ids[tr.village(town, 4 * slot + k)] for k in range(4)))
        part("yh_township", dates, tr.t_ids[town], "乡级排查", areas, cat(tr.t_ids[town], "-ML"), town=town)
        town = np.repeat(towns, 4)
        dates = yh_months[np.tile(np.arange(4), len(towns))] + rng.integers(0, 28, len(town)) * DAY
        part(
            "yh_district",
            dates,
            tr.county_ids[tr.t_county[town]],
            "区级巡查",
            tr.v_ids[tr.village(town, rng.integers(0, 16, len(town)))],
            cat(tr.county_ids[tr.t_county[town]], "-ML"),
            town=town,
        )

        columns = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
        order = np.argsort(columns["date"], kind="stable")
        columns = {key: value[order] for key, value in columns.items()}
        n = len(order)
        columns["id"] = numbered("XC", n, 8)
        columns["problem_found"] = np.full(n, "否")
        columns["problem_ids"] = np.full(n, "")  # filled in by problems()
        columns["notes"] = rng.integers(0, len(NOTES) - 1, n)  # an index into NOTES
        columns["photo"] = cat("IMG_", columns["id"], ".jpg")
        return columns

    def patrols_table(self, columns: dict[str, np.ndarray]) -> pd.DataFrame:
        return table(
            {
                "id": columns["id"],
                "date": dates_column(columns["date"]),
                "unit": columns["unit"],
                "team": columns["team"],
                "areas": columns["areas"],
                "start_time": columns["start_time"],
                "leader": columns["leader"],
                "members": columns["members"],
                "signer": columns["leader"],
                "problem_found": columns["problem_found"],
                "problem_ids": columns["problem_ids"],
                "notes": np.array(NOTES)[columns["notes"]],
                "photo": columns["photo"],
            }
        )

    # -- eight checks (Jincheng campaign) ---------------------------------------------------------------------

    def eight_checks(self) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
        """Two eight-checks of every village of the mining townships (concentrated phase, follow-up); one in ten
        finds something abnormal, which becomes a problem: returned as its row, the item and the village."""
        tr, rng = self.tree, self.rng
        villages = np.flatnonzero(tr.t_mining[tr.v_town])
        village = np.concatenate([villages, villages])
        dates = np.concatenate(
            [
                random_days(rng, "2021-12-20", "2022-01-19", len(villages)),
                random_days(rng, "2022-01-20", "2022-03-19", len(villages)),
            ]
        )
        order = np.argsort(dates, kind="stable")
        village, dates = village[order], dates[order]
        n = len(village)
        abnormal = rng.random(n) < 0.1
        item = rng.integers(0, 8, n)
        town = tr.v_town[village]
        frame = table(
            {
                "id": numbered("BC", n, 7),
                "date": dates_column(dates),
                "unit": tr.t_ids[town],
                "village": tr.v_ids[village],
                "signer": cat(tr.t_ids[town], "-VC", tr.v_local[village] % 3 + 1),
                "problem_found": yes_no(abnormal),
            }
        )
        for k in range(8):
            frame[f"c{k + 1}"] = np.where(abnormal & (item == k), "异常", "正常")
        found = {"date": dates[abnormal], "item": item[abnormal], "village": village[abnormal]}
        return frame, found

    # -- problems ---------------------------------------------------------------------------------------------

    def problems(
        self, patrols: dict[str, np.ndarray], checks: dict[str, np.ndarray]
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Problems from the Jincheng eight-checks, Yanhu-window and 2025 patrols; the patrols that found them are
        marked (problem_found, problem_ids). Also the spot_checks record of the campaign's spot-checked problems."""
        tr, rng = self.tree, self.rng
        jc_kind = ITEM_KIND[checks["item"]]
        n_total = PROBLEMS_PER_COUNTY * tr.counties
        n_yh = YH_PROBLEMS_PER_COUNTY * tr.counties
        kind, town = patrols["_kind"], patrols["_town"]
        mining = np.zeros(len(kind), dtype=bool)
        mining[town >= 0] = tr.t_mining[town[town >= 0]]
        yh_rows = self.choose(np.flatnonzero(kind == "yh_village"), n_yh)
        pool = np.flatnonzero(((kind == "daily") | (kind == "village")) & mining)
        rows_2025 = self.choose(pool, n_total - n_yh - len(jc_kind))
        rows = np.concatenate([yh_rows, rows_2025])
        n_jc, n_rest = len(jc_kind), len(rows)
        found = np.concatenate([checks["date"], patrols["date"][rows]])
        village = np.concatenate([checks["village"], patrols["_village"][rows]])
        town = tr.v_town[village]
        kinds = np.concatenate([jc_kind, rng.choice(len(KINDS), n_rest, p=KIND_SHARE)])  # indices into KINDS
        source = np.concatenate([np.full(n_jc, "自查"), np.where(kind[rows] == "daily", "巡查", "排查")])
        n = n_jc + n_rest
        ids = numbered("WT", n, 7)
        allowed = rng.choice([15, 30, 60], n)
        deadline = found + allowed * DAY
        late_2025 = found >= day("2025-12-01")
        deadline[late_2025] = found[late_2025] + 60 * DAY
        closed = found + (rng.random(n) * allowed).astype(int) * DAY + DAY
        closed = np.minimum(closed, deadline)
        early = found <= day("2023-03-31")
        closed[early] = np.minimum(closed[early], day("2023-03-31"))
        closed = np.minimum(closed, np.datetime64(AS_OF, "D"))
        status = np.where(late_2025, rng.choice(["未整改", "整改中"], n), "已整改").astype(object)
        closed = np.where(late_2025, NAT, closed)
        followup = np.where(
            late_2025, found + (rng.random(n) * (day("2025-12-31") - found).astype(int)).astype(int) * DAY, NAT
        )
        is_jc = np.arange(n) < n_jc
        county = tr.t_county[town]
        # campaign problems: two of every five in each county spot-checked (at least 30%, rounded up)
        jc_rank = ranks(np.sort(county[is_jc], kind="stable"))
        jc_order = np.argsort(county[is_jc], kind="stable")
        spot = rng.random(n) < 0.1
        jc_spot = np.zeros(n_jc, dtype=bool)
        jc_spot[jc_order] = jc_rank % 5 < 2
        spot[:n_jc] = jc_spot

        # planted: 2025 problems left 整改中 after their deadline, followed up in December
        eligible = np.flatnonzero((found >= day("2025-01-01")) & (deadline < day("2025-11-30")))
        late = self.choose(eligible, self.how_many(len(eligible)))
        status[late] = "整改中"
        closed[late] = NAT
        followup[late] = day("2025-12-10") + rng.integers(0, 15, len(late)) * DAY
        self.planted["JC-RECTIFY-OVERDUE"] = len(late)

        word, description, requirement = (np.array(column) for column in zip(*KINDS.values(), strict=True))
        frame = table(
            {
                "id": ids,
                "found_date": dates_column(found),
                "source": source,
                "unit": tr.t_ids[town],
                "village": tr.v_ids[village],
                "kind": word[kinds],
                "description": cat(tr.v_names[village], description[kinds]),
                "requirement": requirement[kinds],
                "resp_unit": tr.t_ids[town],
                "resp_person": cat(tr.t_ids[town], "-DL"),
                "deadline": dates_column(deadline),
                "status": status,
                "closed_date": dates_column(closed),
                "spot_checked": yes_no(spot),
                "last_followup": dates_column(followup),
                "county": tr.county_ids[county],
            }
        )
        # the patrols that found them
        patrols["problem_found"][rows] = "是"
        patrols["problem_ids"] = patrols["problem_ids"].astype(ids.dtype)
        patrols["problem_ids"][rows] = ids[n_jc:]
        patrols["notes"][rows] = len(NOTES) - 1
        spotted = frame.iloc[:n_jc][jc_spot]
        spot_checks = table(
            {
                "problem": spotted["id"].to_numpy(),
                "unit": spotted["unit"].to_numpy(),
                "county": spotted["county"].to_numpy(),
                "found_date": spotted["found_date"].to_numpy(),
                "description": spotted["description"].to_numpy(),
                "kind": spotted["kind"].to_numpy(),
                "checked_date": spotted["closed_date"].to_numpy()
                + pd.to_timedelta(rng.integers(1, 10, len(spotted)), "D"),
                "inspector": "C-ZRJ-HD",
                "result": "整改到位",
                "notes": "现场核实，已整改到位",
            }
        )
        return frame, spot_checks

    def plant_photos(self, patrols: dict[str, np.ndarray]) -> None:
        """Planted: pairs of 2025 daily patrols sharing one photo (一图多用), one finding per pair."""
        daily = np.flatnonzero(patrols["_kind"] == "daily")
        n = self.how_many(len(daily), len(daily) // 2)
        rows = self.rng.permutation(self.choose(daily, 2 * n))
        first, second = rows[:n], rows[n:]
        patrols["photo"][second] = patrols["photo"][first]
        self.planted["INT-PHOTO-REUSE"] = n

    # -- adits, key persons, devices ---------------------------------------------------------------------------

    def adits(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        towns = tr.mining_towns
        per_county = np.array_split(np.arange(ADITS_PER_COUNTY), MINING_PER_COUNTY)
        sizes = np.tile([len(p) for p in per_county], tr.counties)
        town = np.repeat(towns, sizes)
        n = len(town)
        local = ranks(town)
        discovered = random_days(rng, "2022-04-07", "2025-12-20", n)
        new = local < NEW_ADITS
        discovered[new] = random_days(rng, "2025-08-01", "2025-11-30", int(new.sum()))
        order = np.lexsort((discovered, town))
        town, discovered = town[order], discovered[order]
        village = tr.village(town, rng.integers(0, 16, n))
        closure = rng.choice(
            ["policy", "normal", "protected_exit", "illegal", "other"], n, p=[0.35, 0.2, 0.1, 0.25, 0.1]
        )
        normal = closure == "normal"
        company = cat(tr.county_short[tr.t_county[town]], tr.t_syllable[town], "矿业有限公司")
        holder = np.where(normal | (closure == "policy"), company, None)
        responsible = np.where(normal, company, cat(tr.t_ids[town], "-PL")).astype(object)
        offset = rng.integers(1, 26, n) * DAY
        sealed_date = discovered + offset
        before = discovered < day("2022-10-15")
        sealed_date[before] = np.minimum(sealed_date[before], day("2022-10-15"))
        sealed_date = np.minimum(sealed_date, np.datetime64(AS_OF, "D"))
        unsealed = (discovered >= day("2025-12-02")) & (rng.random(n) < 0.5)  # due after as_of
        accepted = np.minimum(sealed_date + rng.integers(1, 11, n) * DAY, np.datetime64(AS_OF, "D"))
        words = {
            "policy": "政策性关闭",
            "normal": "正常关闭",
            "protected_exit": "保护地内退出",
            "illegal": "非法开采点",
            "other": "其他",
        }
        closure_words = pd.Series(closure).map(words).to_numpy(dtype=object)
        in_license = yes_no(normal).astype(object)
        # planted: no responsible person (closure type 其他, outside any licence area)
        missing = self.choose(np.arange(n), self.how_many(n))
        closure_words[missing] = "其他"
        in_license[missing] = "否"
        holder[missing] = None
        responsible[missing] = None
        for rule in ("HJ-ADIT-FIELDS", "TY-MINE-FIELDS", "YY-SITE-REGISTRY"):
            self.planted[rule] = len(missing)
        return table(
            {
                "id": numbered("KD", n, 7),
                "unit": tr.t_ids[town],
                "village": tr.v_ids[village],
                "closure_type": closure_words,
                "in_license_area": in_license,
                "license_holder": holder,
                "responsible": responsible,
                "sealed": np.where(unsealed, "未封堵", "已封堵"),
                "sealed_date": dates_column(np.where(unsealed, NAT, sealed_date)),
                "accepted_date": dates_column(np.where(unsealed, NAT, accepted)),
                "accepted_by": np.where(unsealed, None, cat(tr.county_names[tr.t_county[town]], "自然资源局")),
                "discovered_date": dates_column(discovered),
                "theft": yes_no(rng.random(n) < 0.05),
                "lon": np.round(tr.lon0[town] + rng.random(n) * 0.12, 6),
                "lat": np.round(tr.lat0[town] + rng.random(n) * 0.12, 6),
            }
        )

    def key_persons(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        sizes = np.where(tr.t_mining, NEW_KEY_PERSONS + OLD_KEY_PERSONS, 2)
        town = np.repeat(np.arange(len(tr.t_ids)), sizes)
        local = ranks(town)
        n = len(town)
        new = tr.t_mining[town] & (local < NEW_KEY_PERSONS)
        discovered = random_days(rng, "2022-04-07", "2025-07-31", n)
        discovered[new] = random_days(rng, "2025-08-01", "2025-11-30", int(new.sum()))
        return table(
            {
                "id": numbered("ZD", n, 6),
                "name": self.names(n),
                "unit": tr.t_ids[town],
                "village": tr.v_ids[tr.village(town, rng.integers(0, 16, n))],
                "discovered_date": dates_column(discovered),
                "control": rng.choice(["每月走访一次", "签订承诺书，每月走访", "纳入网格化管理，定期走访"], n),
            }
        )

    def devices(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        per = DEVICES_NEW + DEVICES_OLD
        county = np.repeat(np.arange(tr.counties), per)
        n = len(county)
        new = np.tile(np.arange(per) < DEVICES_NEW, tr.counties)
        installed = random_days(rng, "2023-01-01", "2025-07-31", n)
        installed[new] = random_days(rng, "2025-08-01", "2025-09-15", int(new.sum()))
        town = county * TOWNSHIPS_PER_COUNTY + rng.integers(0, TOWNSHIPS_PER_COUNTY, n)
        return table(
            {
                "id": numbered("SB", n, 6),
                # the plan counts its drones apart from the 101 monitoring devices: only the older ones are drones
                "kind": np.where(new, rng.choice(["摄像头", "监控"], n), rng.choice(["摄像头", "无人机"], n)),
                "unit": tr.t_ids[town],
                "installed_date": dates_column(installed),
                "networked": yes_no(new | (rng.random(n) < 0.8)),
            }
        )

    # -- tips, cases, blacklist --------------------------------------------------------------------------------

    def tips(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        n = TIPS_PER_COUNTY * tr.counties
        received = random_days(rng, "2025-01-01", "2025-12-31", n)
        order = np.argsort(received, kind="stable")
        county = np.repeat(np.arange(tr.counties), TIPS_PER_COUNTY)[order]
        received = received[order]
        town = county * TOWNSHIPS_PER_COUNTY + rng.integers(0, TOWNSHIPS_PER_COUNTY, n)
        pending = received >= day("2025-12-01")
        true = ~pending & (rng.random(n) < 0.4)
        case = true & (rng.random(n) < 0.35)
        end = np.datetime64(AS_OF, "D")
        verified_date = np.minimum(received + rng.integers(2, 21, n) * DAY, end)
        reward = np.where(case, 20000.0, np.where(true, 2000.0, 0.0))
        paid = np.minimum(verified_date + rng.integers(3, 16, n) * DAY, end)
        verified = np.where(pending, "核查中", np.where(true, "属实", "不属实")).astype(object)
        case_filed = np.where(pending, None, yes_no(case)).astype(object)
        reward = np.where(pending, np.nan, reward)
        verified_date = np.where(pending, NAT, verified_date)
        paid = np.where(true, paid, NAT)
        # planted: still 核查中 after 30 days; a true tip without a case rewarded 1000; a true tip never paid
        idle = self.choose(np.flatnonzero(~pending), self.how_many(n, int((~pending).sum())))
        verified[idle], case_filed[idle], reward[idle] = "核查中", None, np.nan
        verified_date[idle], paid[idle] = NAT, NAT
        free = np.ones(n, dtype=bool)
        free[idle] = False
        low = self.choose(np.flatnonzero(true & ~case & free), self.how_many(n, int((true & ~case & free).sum())))
        reward[low] = 1000.0
        free[low] = False
        unpaid = self.choose(np.flatnonzero(true & free), self.how_many(n, int((true & free).sum())))
        paid[unpaid] = NAT
        self.planted["HJ-TIP-VERIFY"] = self.planted["JC-TIP-VERIFY"] = len(idle)
        self.planted["HJ-REWARD-TIER"] = len(low)
        self.planted["YH-REWARD-PAID"] = len(unpaid)
        return table(
            {
                "id": numbered("JB", n, 7),
                "received_date": dates_column(received),
                "receiving_unit": tr.county_ids[county],
                "handler": cat(tr.county_ids[county], "-HD"),
                "unit": tr.t_ids[town],
                "village": tr.v_ids[tr.village(town, rng.integers(0, 16, n))],
                "verified": verified,
                "verified_date": dates_column(verified_date),
                "case_filed": case_filed,
                "reward_amount": reward,
                "reward_paid_date": dates_column(paid),
            }
        )

    def cases(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        tr, rng = self.tree, self.rng
        n = CASES_PER_COUNTY * tr.counties
        county = np.repeat(np.arange(tr.counties), CASES_PER_COUNTY)
        town = tr.mining_towns[county * MINING_PER_COUNTY + rng.integers(0, MINING_PER_COUNTY, n)]
        filed = random_days(rng, "2025-02-01", "2025-12-20", n)
        parties = rng.integers(1, 3, n)
        names = self.names(int(parties.sum()))
        two = np.flatnonzero(parties == 2)
        starts = np.r_[0, np.cumsum(parties)[:-1]]
        listed = names[starts].astype(object)
        listed[two] = join_list(names[starts[two]], names[starts[two] + 1])
        crime = rng.random(n) < 0.3
        clue = rng.random(n) < 0.05
        end = np.datetime64(AS_OF, "D")
        cases = table(
            {
                "id": numbered("AJ", n, 6),
                "filed_date": dates_column(filed),
                "unit": tr.t_ids[town],
                "village": tr.v_ids[tr.village(town, rng.integers(0, 16, n))],
                "kind": rng.choice(["私挖盗采", "无证开采", "非法收购矿产品"], n),
                "major": yes_no(np.arange(n) % CASES_PER_COUNTY == 0),
                "parties": listed,
                "crime_suspected": yes_no(crime),
                "police_transfer_date": dates_column(np.where(crime, np.minimum(filed + 10 * DAY, end), NAT)),
                "discipline_clue": yes_no(clue),
                "discipline_transfer_date": dates_column(np.where(clue, np.minimum(filed + 15 * DAY, end), NAT)),
                "power_supplied": "否",
                "power_supplier": None,
            }
        )
        owner = np.repeat(np.arange(n), parties)
        blacklist = table({"name": names, "listed_date": dates_column(np.minimum(filed[owner] + 5 * DAY, end))})
        return cases, blacklist

    # -- patches ----------------------------------------------------------------------------------------------

    def patches(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        n = PATCHES_PER_COUNTY * tr.counties
        county = np.repeat(np.arange(tr.counties), PATCHES_PER_COUNTY)
        town = np.sort(county * TOWNSHIPS_PER_COUNTY + rng.integers(0, TOWNSHIPS_PER_COUNTY, n))
        cell = ranks(town)  # a grid of 400 m cells per township, ±55 m jitter: no two patches within 50 m
        lon = tr.lon0[town] + (cell % 25) * 0.004 + (rng.random(n) - 0.5) * 0.001
        lat = tr.lat0[town] + (cell // 25) * 0.004 + (rng.random(n) - 0.5) * 0.001
        change = rng.choice(
            ["construction", "pseudo", "restoration", "natural_disaster", "mining"], n, p=[0.4, 0.25, 0.15, 0.1, 0.1]
        )
        mining = change == "mining"
        licensed = rng.random(n) < 0.15
        legality = np.where(mining & ~licensed, "违法", np.where(rng.random(n) < 0.9, "合法", "其他"))
        quarters = np.array([f"{y}Q{q}" for y in range(2022, 2026) for q in range(1, 5)][3:])
        ids = numbered("TB", n, 7)
        words = {
            "construction": "工程建设",
            "pseudo": "伪变化",
            "restoration": "生态修复",
            "natural_disaster": "自然灾害",
            "mining": "开采",
        }
        return table(
            {
                "id": ids,
                "quarter": quarters[rng.integers(0, len(quarters), n)],
                "unit": tr.t_ids[town],
                "parcel": cat("DK-", ids),
                "lon": np.round(lon, 6),
                "lat": np.round(lat, 6),
                "change_type": pd.Series(change).map(words).to_numpy(),
                "mining_signs": yes_no(mining),
                "legality": legality,
                "photo": cat("TB_", ids, ".jpg"),
                "licensed": yes_no(licensed),
                "field_verified": "是",
                "suspected": yes_no(mining & ~licensed & (rng.random(n) < 0.3)),
            }
        )

    # -- reports, meetings, closures, eight batches ------------------------------------------------------------

    def reports(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        rows: list[pd.DataFrame] = []

        def add(unit, kind, period, submitted):
            rows.append(table({"unit": unit, "kind": kind, "period": period, "submitted_date": submitted}))

        # Jincheng: each county's work report by 2022-01-19
        add(
            tr.county_ids,
            "排查整治工作报告",
            "集中排查整治阶段",
            dates_column(random_days(rng, "2022-01-10", "2022-01-19", tr.counties)),
        )
        # Tangyuan: every department's four stage reports
        departments = np.concatenate(
            [["C-ZRJ", "C-GAJ", "C-GD", "C-YJ"], cat(tr.county_ids, "-ZRJ"), cat(tr.county_ids, "-GAJ")]
        )
        for kind, period, start, end in [
            ("第一阶段工作总结", "第一阶段", "2022-06-25", "2022-07-05"),
            ("第二阶段工作总结", "第二阶段", "2022-10-05", "2022-10-15"),
            ("第三阶段工作总结", "第三阶段", "2022-12-05", "2022-12-15"),
            ("专项整治行动情况总结报告", "全程", "2023-01-20", "2023-02-05"),
        ]:
            add(departments, kind, period, dates_column(random_days(rng, start, end, len(departments))))
        # Yanhu: each mining township's measures, eight-batches report and summary
        towns = tr.t_ids[tr.mining_towns]
        for kind, start, end in [
            ("具体举措", "2022-12-05", "2022-12-15"),
            ("八个一批情况", "2022-12-20", "2022-12-31"),
            ("工作总结", "2022-12-20", "2022-12-31"),
        ]:
            add(towns, kind, "2022年", dates_column(random_days(rng, start, end, len(towns))))
        # Yiyuan: the offices' monthly statistics (March–November, by the 24th or the next working day) and year report
        calendar = WorkCalendar()
        months = np.arange(3, 12)
        due = np.array([np.datetime64(calendar.next_workday(dt.date(2025, m, 24))[0], "D") for m in months])
        n_off = len(tr.office_ids)
        office = np.repeat(np.arange(n_off), len(months))
        month = np.tile(np.arange(len(months)), n_off)
        submitted = due[month] - rng.integers(0, 6, len(office)) * DAY
        late = self.choose(np.arange(len(office)), self.how_many(len(office)))
        submitted[late] = due[month[late]] + rng.integers(1, 6, len(late)) * DAY
        self.planted["YY-MONTHLY-REPORT"] = len(late)
        add(
            tr.office_ids[office],
            "月度统计表",
            cat("2025-", np.char.zfill(months[month].astype(str), 2)),
            dates_column(submitted),
        )
        add(tr.office_ids, "专题报告", "2025年", dates_column(random_days(rng, "2025-12-10", "2025-12-19", n_off)))
        frame = pd.concat(rows, ignore_index=True)
        frame = frame.sort_values("submitted_date", kind="stable").reset_index(drop=True)
        frame.insert(0, "id", numbered("BS", len(frame), 6))
        return frame

    def meetings(self, key_persons: pd.DataFrame) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        months = (day("2021-12-01").astype("datetime64[M]") + np.arange(49)).astype("datetime64[D]")
        rows = [
            table(
                {
                    "date": dates_column(months + (day_ - 1 + rng.integers(0, 4, len(months))) * DAY),
                    "kind": kind,
                    "unit": "C",
                    "attendees": attendees,
                }
            )
            for day_, kind, attendees in [
                (8, "联席会议", "C-ML、C-CL1、C-ZRJ-ML、C-GAJ-ML、C-GD-ML、C-YJ-ML"),
                (18, "会商", "C-CL1、C-ZRJ-ML、C-GAJ-ML"),
                (24, "联合执法", "C-CL2、C-ZRJ-ML、C-GAJ-ML、C-XCD-PL"),
            ]
        ]
        county = np.repeat(np.arange(tr.counties), 12)
        month = np.tile(np.arange(12), tr.counties)
        dates = (day("2025-01-01").astype("datetime64[M]") + month).astype("datetime64[D]") + rng.integers(
            5, 15, len(month)
        ) * DAY
        rows.append(
            table(
                {
                    "date": dates_column(dates),
                    "kind": "联席会议",
                    "unit": tr.county_ids[county],
                    "attendees": join_list(
                        cat(tr.county_ids[county], "-ML"),
                        cat(tr.county_ids[county], "-ZRJ-ML"),
                        cat(tr.county_ids[county], "-GAJ-ML"),
                    ),
                }
            )
        )
        # warning education in December: every key person and enterprise head of the county attends
        ids = key_persons["id"].to_numpy()
        county_of = tr.t_county[pd.Index(tr.t_ids).get_indexer(key_persons["unit"].to_numpy())]
        attendees = pd.Series(ids).groupby(county_of).agg("、".join).reindex(range(tr.counties), fill_value="")
        heads = join_list(cat(tr.county_ids, "-EH1"), cat(tr.county_ids, "-EH2"))
        rows.append(
            table(
                {
                    "date": dates_column(random_days(rng, "2025-12-08", "2025-12-15", tr.counties)),
                    "kind": "警示教育",
                    "unit": tr.county_ids,
                    "attendees": join_list(heads, attendees.to_numpy().astype(str)),
                }
            )
        )
        frame = pd.concat(rows, ignore_index=True).sort_values("date", kind="stable").reset_index(drop=True)
        frame.insert(0, "id", numbered("HY", len(frame), 6))
        return frame

    def closures(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        n = CLOSURES_PER_COUNTY * tr.counties
        county = np.repeat(np.arange(tr.counties), CLOSURES_PER_COUNTY)
        town = tr.mining_towns[county * MINING_PER_COUNTY + rng.integers(0, MINING_PER_COUNTY, n)]
        frame = table(
            {
                "id": numbered("GB", n, 5),
                "unit": tr.t_ids[town],
                "pit": cat(tr.t_names[town], "原", rng.integers(1, 9, n), "号坑口"),
                "closed_date": dates_column(random_days(rng, "2021-12-25", "2022-03-15", n)),
                "supervisor": cat(tr.t_ids[town], "-ML"),
            }
        )
        for k in range(1, 7):
            frame[f"s{k}"] = "是"
        return frame

    def eight_batches(self) -> pd.DataFrame:
        tr, rng = self.tree, self.rng
        towns = tr.mining_towns
        frame = table({"unit": tr.t_ids[towns]})
        for k in range(1, 9):
            frame[f"b{k}"] = rng.integers(0, 6, len(towns))
        return frame

    # -- all --------------------------------------------------------------------------------------------------

    def build(self) -> dict[str, pd.DataFrame]:
        units = self.units()
        people = self.people()
        patrols = self.patrols()
        eight_checks, abnormal = self.eight_checks()
        problems, spot_checks = self.problems(patrols, abnormal)
        self.plant_photos(patrols)
        key_persons = self.key_persons()
        cases, blacklist = self.cases()
        ledgers = {
            "units": units,
            "people": people,
            "patrols": self.patrols_table(patrols),
            "adits": self.adits(),
            "key_persons": key_persons,
            "devices": self.devices(),
            "tips": self.tips(),
            "cases": cases,
            "problems": problems,
            "spot_checks": spot_checks,
            "eight_checks": eight_checks,
            "patches": self.patches(),
            "reports": self.reports(),
            "meetings": self.meetings(key_persons),
            "closures": self.closures(),
            "eight_batches": self.eight_batches(),
            "blacklist": blacklist,
        }
        return ledgers


def generate(
    counties: int, seed: int = 1, violation_rate: float = 0.02
) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """The ledger set (ledger key → frame) and the planted finding counts by rule id."""
    builder = Generator(counties, seed, violation_rate)
    ledgers = builder.build()
    return ledgers, dict(sorted(builder.planted.items()))


# -- writing --------------------------------------------------------------------------------------------------


def _cells(frame: pd.DataFrame) -> list[list]:
    """Columns as Python values openpyxl writes: dates as dates, missing as empty."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            values = [None if pd.isna(v) else v.date() for v in series]
        else:
            values = series.astype(object).where(series.notna(), None).tolist()
        columns.append(values)
    return columns


def _write_xlsx(frame: pd.DataFrame, path: Path, ledger: str) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    title = ledger_specs()[ledger].names[0]
    columns = _cells(frame)
    rows = list(zip(*columns, strict=True)) if columns else []
    for part, start in enumerate(range(0, max(len(rows), 1), EXCEL_ROWS)):
        sheet = workbook.create_sheet(title if part == 0 else f"第{part + 1}册{title}")
        sheet.append(list(frame.columns))
        for row in rows[start : start + EXCEL_ROWS]:
            sheet.append(row)
    workbook.save(path)


def write(ledgers: dict[str, pd.DataFrame], folder: Path, fmt: str = "parquet") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in ledgers.items():
        path = folder / f"{name}.{fmt}"
        if fmt == "parquet":
            frame.to_parquet(path, index=False)
        elif fmt == "csv":
            frame.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        else:
            _write_xlsx(frame, path, name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the ledgers into")
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["parquet", "xlsx", "csv"], default="parquet")
    parser.add_argument("--violation-rate", type=float, default=0.02)
    args = parser.parse_args(argv)
    if not 1 <= args.counties <= MAX_COUNTIES:
        parser.error(f"--counties must be 1 to {MAX_COUNTIES}")
    if not 0 <= args.violation_rate <= 1:
        parser.error("--violation-rate must be between 0 and 1")
    start = time.perf_counter()
    ledgers, planted = generate(args.counties, args.seed, args.violation_rate)
    built = time.perf_counter()
    write(ledgers, args.out, args.format)
    meta = {
        "as_of": AS_OF.isoformat(),
        "counties": args.counties,
        "seed": args.seed,
        "violation_rate": args.violation_rate,
        "planted": planted,
    }
    (args.out / ".planted.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    done = time.perf_counter()
    for name, frame in ledgers.items():
        print(f"{name:<14} {len(frame):>12,} rows")
    total = sum(len(frame) for frame in ledgers.values())
    timing = f"generated {built - start:.1f} s, written ({args.format}) {done - built:.1f} s"
    print(f"{'total':<14} {total:>12,} rows   {timing}")
    print("planted (findings as of 2025-12-31): " + ", ".join(f"{rule} {n:,}" for rule, n in planted.items()))


if __name__ == "__main__":
    main()

"""Writes the Yiyuan example ledger set (Excel, as the county bureau's enforcement team and its offices keep it).

The year 2023 under 沂源县自然资源局《严厉打击非法开采矿产资源行为专项整治行动实施方案》: mostly compliant, with the
violations listed in README.md planted on purpose. Run `python examples/build_yiyuan.py` to (re)write the .xlsx files
in examples/yiyuan/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledgerbook import PEOPLE_HEADERS, UNIT_HEADERS, write

HERE = Path(__file__).resolve().parent / "yiyuan"
D = dt.date
YEAR = 2023
TOP = "沂源县自然资源局"
TEAM = "沂源县自然资源局执法大队"

UNITS = [
    ("YY", TOP, "局", None),
    ("ZFDD", TEAM, "队", TOP),
    ("LC", "鲁村自然资源所", "自然资源所", TOP),
    ("LC01", "安平村", "村", "鲁村自然资源所"),
    ("LC02", "龙子峪村", "村", "鲁村自然资源所"),
    ("LC03", "下旺村", "村", "鲁村自然资源所"),
    ("DL", "东里自然资源所", "自然资源所", TOP),
    ("DL01", "东里村", "村", "东里自然资源所"),
    ("DL02", "下柳沟村", "村", "东里自然资源所"),
    ("DL03", "东安村", "村", "东里自然资源所"),
    ("SQ", "石桥自然资源所", "所", TOP),
    ("SQ01", "石桥村", "村", "石桥自然资源所"),
    ("SQ02", "杨家庄村", "村", "石桥自然资源所"),
    ("SQ03", "大泉村", "村", "石桥自然资源所"),
    ("ZJP", "张家坡自然资源所", "自然资源所", TOP),
    ("ZJP01", "张家坡村", "村", "张家坡自然资源所"),
    ("ZJP02", "桃花峪村", "村", "张家坡自然资源所"),
]

# id, name, unit, position, roles
PEOPLE = [
    ("P001", "王振华", TOP, "局长", "主要负责人"),
    ("P002", "刘卫东", TOP, "副局长", "分管领导"),
    ("P003", "孙建国", TEAM, "大队长", "主要负责人、巡查队长"),
    ("P004", "陈晓燕", TEAM, "执法监察中队长", "经办人"),
    ("P101", "张明亮", "鲁村自然资源所", "所长", "主要负责人"),
    ("P102", "李娜", "鲁村自然资源所", "业务员", "联络员"),
    ("P103", "赵刚", "鲁村自然资源所", "执法监察员", "巡查队长"),
    ("P201", "高建华", "东里自然资源所", "所长", "主要负责人"),
    ("P202", "马丽", "东里自然资源所", "业务员", "联络员"),
    ("P203", "宋志强", "东里自然资源所", "执法监察员", "巡查队长"),
    ("P301", "徐海涛", "石桥自然资源所", "所长", "主要负责人"),
    ("P302", "韩雪", "石桥自然资源所", "业务员", "联络员"),
    ("P303", "魏东", "石桥自然资源所", "执法监察员", "巡查队长"),
    ("P401", "杜文斌", "张家坡自然资源所", "所长", "主要负责人"),
    ("P402", "郑磊", "张家坡自然资源所", "执法监察员", "巡查队长"),
]

OFFICES = {  # office: (patrol leader, members, villages)
    "鲁村自然资源所": ("赵刚", "李娜、护矿员刘长青", ["安平村", "龙子峪村", "下旺村"]),
    "东里自然资源所": ("宋志强", "马丽、护矿员周宝山", ["东里村", "下柳沟村", "东安村"]),
    "石桥自然资源所": ("魏东", "韩雪、护矿员冯玉田", ["石桥村", "杨家庄村", "大泉村"]),
    "张家坡自然资源所": ("郑磊", "护矿员唐继文", ["张家坡村", "桃花峪村"]),
}
NIGHT_TIMES = [dt.time(21, 0), "21时30分", dt.time(20, 30), "05:30", dt.time(22, 0)]


def weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def patrols() -> list[list[object]]:
    """Each office patrols each of its villages once a month on a working day and once at night; the enforcement
    team's quarterly joint actions; planted misses."""
    rows: list[list[object]] = []

    def add(day, unit, team, areas, leader, **extra):
        rows.append(
            [None, extra.get("date_text", day), unit, team, areas, extra.get("time", dt.time(8, 30)), leader,
             extra.get("members", ""), extra.get("signer", leader), extra.get("found", "否"), None, extra["notes"], None]
        )  # fmt: skip

    for month in range(1, 13):
        for k, (unit, (leader, members, villages)) in enumerate(OFFICES.items()):
            covered = villages
            if unit == "张家坡自然资源所" and month < 9:
                covered = villages[:1]  # 桃花峪村 had no registered adit before September
            for i, village in enumerate(covered):
                if unit == "石桥自然资源所" and village == "大泉村" and month == 8:
                    continue  # planted: 大泉村 (adit SQ-KD-003) not patrolled in August
                day = weekday_on_or_after(D(YEAR, month, 3 + 8 * i + k))
                notes = f"{day:%m月%d日}巡查{village}已关闭矿山及废弃矿硐，封堵设施完好，未发现私采滥挖迹象。"
                add(day, unit, "日常巡查", village, leader, members=members, notes=notes)
            night_village = covered[(month + k) % len(covered)]
            if unit == "石桥自然资源所" and month == 8:
                night_village = "杨家庄村"
            night = D(YEAR, month, 17 + k)
            start = NIGHT_TIMES[(month + k) % len(NIGHT_TIMES)]
            if unit == "东里自然资源所" and month == 2:
                start = dt.time(19, 30)  # planted: February's only evening patrol started before 20:00
            add(night, unit, "日常巡查", night_village, leader, members=members, time=start,
                notes=f"{night:%m月%d日}夜查{night_village}，重点查看矿硐封堵及进山路口运矿车辆，未见异常。")  # fmt: skip
    for month, areas in (
        (3, "安平村、东里村"),
        (6, "大泉村、张家坡村"),
        (9, "龙子峪村、桃花峪村"),
        (12, "下柳沟村、石桥村"),
    ):
        day = weekday_on_or_after(D(YEAR, month, 14))
        add(day, TEAM, "联合执法", areas, "孙建国", members="陈晓燕、县公安局治安大队民警", time=dt.time(9, 0),
            notes=f"{day:%Y年%m月%d日}执法大队会同公安对{areas}已关闭矿山开展联合执法检查。")  # fmt: skip
    rows.sort(key=lambda row: (row[1], row[2]))
    for n, row in enumerate(rows, start=1):
        row[0] = f"XC2023-{n:04d}"
        row[12] = f"IMG_{row[1]:%Y%m%d}_{n:04d}.jpg"
        if n in (41, 137):  # some clerks type the date as text
            row[1] = f"{row[1].year}年{row[1].month}月{row[1].day}日"
    n = len(rows)
    # a patrol that found a new opening: registered as adit ZJP-KD-003
    add(D(YEAR, 9, 12), "张家坡自然资源所", "日常巡查", "桃花峪村", "郑磊", members="护矿员唐继文", found="是", time=dt.time(14, 0),
        notes="桃花峪村西山发现废弃采坑一处，已设围挡，登记为ZJP-KD-003。", date_text="2023年9月12日")  # fmt: skip
    # planted: an impossible date
    add(D(YEAR, 4, 30), "鲁村自然资源所", "日常巡查", "下旺村", "赵刚", members="李娜、护矿员刘长青", date_text="2023-04-31",
        notes="补录：下旺村巡查，封堵完好。")  # fmt: skip
    for k, (row, day) in enumerate(zip(rows[n:], (D(YEAR, 9, 12), D(YEAR, 4, 30)), strict=True), start=n + 1):
        row[0] = f"XC2023-{k:04d}"
        row[12] = f"IMG_{day:%Y%m%d}_{k:04d}.jpg"
    return rows


def adits() -> list[list[object]]:
    """id, office, village, closure type, responsible, sealed, sealed date, discovered, lon, lat."""
    rows = [
        ["LC-KD-001", "鲁村自然资源所", "安平村", "政策性关闭", "安平村村委会（刘长青）", "已封堵", D(2021, 5, 10), D(2021, 4, 20), 118.0412, 36.2213],
        ["LC-KD-002", "鲁村自然资源所", "安平村", "政策性关闭", "安平村村委会（刘长青）", "已封堵", D(2021, 5, 12), D(2021, 4, 20), 118.0467, 36.2188],
        ["LC-KD-003", "鲁村自然资源所", "龙子峪村", "非法开采点", "龙子峪村村委会（王德顺）", "已封堵", D(2022, 7, 2), D(2022, 6, 18), None, None],  # planted: not on the map
        ["LC-KD-004", "鲁村自然资源所", "下旺村", "政策性关闭", "赵刚", "已封堵", D(2021, 9, 8), D(2021, 8, 30), 118.0735, 36.1952],
        ["DL-KD-001", "东里自然资源所", "东里村", "政策性关闭", "东里村村委会（孟凡利）", "已封堵", D(2021, 6, 3), D(2021, 5, 21), 118.2391, 36.1347],
        ["DL-KD-002", "东里自然资源所", "下柳沟村", "正常关闭", "沂源县东里石料厂", "已封堵", D(2022, 3, 15), D(2022, 3, 1), 118.2514, 36.1206],
        ["DL-KD-003", "东里自然资源所", "东安村", "非法开采点", None, "已封堵", D(2022, 10, 11), D(2022, 9, 27), 118.2286, 36.1469],  # planted: no responsible
        ["SQ-KD-001", "石桥自然资源所", "石桥村", "政策性关闭", "石桥村村委会（陈玉河）", "已封堵", D(2021, 7, 19), D(2021, 7, 2), 118.1683, 36.2561],
        ["SQ-KD-002", "石桥自然资源所", "杨家庄村", "政策性关闭", "魏东", "已封堵", D(2021, 7, 22), D(2021, 7, 2), 118.1812, 36.2637],
        ["SQ-KD-003", "石桥自然资源所", "大泉村", "非法开采点", "大泉村村委会（何永生）", "已封堵", D(2022, 11, 4), D(2022, 10, 20), 118.1957, 36.2498],
        ["ZJP-KD-001", "张家坡自然资源所", "张家坡村", "政策性关闭", "张家坡村村委会（唐继文）", "已封堵", D(2021, 8, 16), D(2021, 8, 3), 118.1024, 36.0817],
        ["ZJP-KD-002", "张家坡自然资源所", "张家坡村", "政策性关闭", "郑磊", "已封堵", D(2021, 8, 18), D(2021, 8, 3), 118.1069, 36.0862],
        ["ZJP-KD-003", "张家坡自然资源所", "桃花峪村", "非法开采点", "桃花峪村村委会（吕成山）", "已封堵", D(2023, 9, 21), "2023年9月12日", 118.1231, 36.0935],
    ]  # fmt: skip
    out = []
    for key, unit, village, kind, responsible, sealed, sealed_date, found, lon, lat in rows:
        out.append([key, unit, village, kind, responsible, sealed, sealed_date, sealed_date + dt.timedelta(days=6),
                    "沂源县自然资源局", found, "否", lon, lat])  # fmt: skip
    return out


def reports() -> list[list[object]]:
    """Monthly statistics March–November (the 24th, or the next working day) and the year's summary by 12-20."""
    rows: list[list[object]] = []
    for k, unit in enumerate(OFFICES):
        kind = "专项整治情况统计表" if unit == "石桥自然资源所" else "月度统计表"
        for month in range(3, 12):
            period = f"{YEAR}年{month}月" if unit == "东里自然资源所" else f"{YEAR}-{month:02d}"
            sent: object = weekday_on_or_before(D(YEAR, month, 20 + k))
            if month == 6:
                sent = {
                    "鲁村自然资源所": "2023年6月25日",  # the adjusted working day after the Dragon Boat holiday: on time
                    "东里自然资源所": D(YEAR, 6, 26),  # planted: late
                    "石桥自然资源所": D(YEAR, 6, 21),
                    "张家坡自然资源所": D(YEAR, 6, 20),
                }[unit]
            if unit == "石桥自然资源所" and month == 9:
                sent = D(YEAR, 9, 25)  # 09-24 is a Sunday: on time
            if unit == "张家坡自然资源所" and month == 10:
                continue  # planted: October's statistics never sent
            rows.append([None, unit, kind, period, sent])
        summary = {
            "鲁村自然资源所": D(YEAR, 12, 15),
            "东里自然资源所": D(YEAR, 12, 18),
            "石桥自然资源所": D(YEAR, 12, 21),  # planted: a day late
            "张家坡自然资源所": D(YEAR, 12, 19),
        }[unit]
        rows.append([None, unit, "专题报告", str(YEAR), summary])
    rows.sort(key=lambda row: (row[4] if isinstance(row[4], dt.date) else D(YEAR, 6, 25), row[1]))
    for n, row in enumerate(rows, start=1):
        row[0] = f"BS2023-{n:03d}"
    return rows


def patches() -> list[list[object]]:
    """Quarterly satellite change patches of the last two years, each compared with the latest imagery."""
    return [
        ["TB2022Q3-001", "2022Q3", "鲁村自然资源所", "370323-2022-031", 118.0451, 36.2204, "开采", "是", "违法", "TB2022Q3-001.jpg", "否", "是", "是"],
        ["TB2022Q3-002", "2022年第3季度", "石桥自然资源所", "370323-2022-044", 118.1702, 36.2549, "工程建设", "否", "合法", "TB2022Q3-002.jpg", "否", "是", "否"],
        ["TB2022Q4-001", "2022Q4", "石桥自然资源所", "370323-2022-067", 118.1949, 36.2503, "开采", "是", "违法", "TB2022Q4-001.jpg", "否", "是", "是"],
        ["TB2022Q4-002", "2022Q4", "东里自然资源所", "370323-2022-071", 118.2293, 36.1462, "开采", "是", "违法", "TB2022Q4-002.jpg", "否", "是", "是"],
        ["TB2023Q1-001", "2023Q1", "张家坡自然资源所", "370323-2023-008", 118.1088, 36.0844, "生态修复", "否", "合法", "TB2023Q1-001.jpg", "否", "是", "否"],
        ["TB2023Q1-002", "2023Q1", "东里自然资源所", "370323-2023-012", 118.2522, 36.1198, "开采", "是", "合法", "TB2023Q1-002.jpg", "是", "是", "否"],
        ["TB2023Q2-001", "2023年第2季度", "鲁村自然资源所", "370323-2023-026", 118.0752, 36.1964, "伪变化", "否", "其他", "TB2023Q2-001.jpg", "否", "否", "否"],
        ["TB2023Q2-002", "2023Q2", "鲁村自然资源所", "370323-2023-029", 118.0587, 36.2095, "开采", "是", None, None, "否", "否", "是"],
        ["TB2023Q3-001", "2023Q3", "张家坡自然资源所", "370323-2023-047", 118.1228, 36.0931, "开采", "是", "违法", "TB2023Q3-001.jpg", "否", "是", "是"],
        ["TB2023Q3-002", "2023Q3", "石桥自然资源所", "370323-2023-052", 118.1795, 36.2644, "工程建设", "否", "合法", "TB2023Q3-002.jpg", "否", "是", "否"],
    ]  # fmt: skip


def meetings() -> list[list[object]]:
    """The joint meeting each month (October: only a consultation), joint enforcement and a warning session."""
    leaders = "王振华、刘卫东、孙建国、张明亮、高建华、徐海涛、杜文斌"
    topics = {
        1: "部署年度专项整治行动，明确各所联络员", 2: "通报春节期间巡查值班情况", 3: "分析开春后私采滥挖形势",
        4: "通报一季度卫片图斑核查情况", 5: "研究已关闭矿山一张图登记", 6: "部署汛期及端午假期巡查",
        7: "通报上半年统计表报送情况", 8: "研究夜查制度落实", 9: "部署国庆、中秋假期值班巡查",
        11: "分析三季度卫片图斑", 12: "专项整治行动总结",
    }  # fmt: skip
    days = {1: 16, 2: 20, 3: 21, 4: 18, 5: 23, 6: 19, 7: 18, 8: 22, 9: 19, 11: 21, 12: 26}
    rows: list[list[object]] = []
    for month, topic in topics.items():
        day: object = D(YEAR, month, days[month])
        if month == 5:
            day = "2023年5月23日"
        rows.append([f"LX2023-{month:02d}", day, "联席会议", TOP, leaders, topic])
    rows += [
        # planted: no joint meeting in October, only a consultation
        ["HS2023-01", D(YEAR, 10, 19), "会商", TOP, "刘卫东、孙建国、陈晓燕", "会商三季度卫片图斑核查及冬季巡查安排"],
        [
            "LZ2023-01",
            D(YEAR, 3, 14),
            "联合执法",
            TEAM,
            "孙建国、陈晓燕、张明亮、高建华",
            "安平村、东里村已关闭矿山联合执法检查",
        ],
        [
            "LZ2023-02",
            D(YEAR, 6, 14),
            "联合执法",
            TEAM,
            "孙建国、陈晓燕、徐海涛、杜文斌",
            "大泉村、张家坡村已关闭矿山联合执法检查",
        ],
        [
            "JY2023-01",
            D(YEAR, 7, 12),
            "警示教育",
            TOP,
            "赵刚、宋志强、魏东、郑磊、李娜、马丽、韩雪",
            "执法监察人员警示教育",
        ],
        [
            "LZ2023-03",
            D(YEAR, 9, 14),
            "联合执法",
            TEAM,
            "孙建国、陈晓燕、张明亮、杜文斌",
            "龙子峪村、桃花峪村已关闭矿山联合执法检查",
        ],
        [
            "LZ2023-04",
            D(YEAR, 12, 14),
            "联合执法",
            TEAM,
            "孙建国、陈晓燕、高建华、徐海涛",
            "下柳沟村、石桥村已关闭矿山联合执法检查",
        ],
    ]
    rows.sort(key=lambda row: row[1] if isinstance(row[1], dt.date) else D(YEAR, 5, 23))
    return rows


def main() -> None:
    HERE.mkdir(exist_ok=True)
    write(HERE, "沂源县单位名册.xlsx", "沂源县打击非法开采专项整治行动单位名册", UNIT_HEADERS[:4],
          [list(u) for u in UNITS])  # fmt: skip
    write(HERE, "责任人名册.xlsx", "专项整治行动责任人及联络员名册", PEOPLE_HEADERS[:5],
          [list(p) for p in PEOPLE])  # fmt: skip
    write(
        HERE,
        "巡查台账.xlsx",
        "沂源县已关闭矿山及重点区域执法巡查台账（2023年）",
        ["巡查编号", "巡查日期", "巡查单位", "巡查类型", "巡查区域", "开始时间", "带队人", "参与人员", "签字人",
         "是否发现问题", "问题编号", "巡查情况", "现场照片"],
        patrols(),
    )  # fmt: skip
    write(
        HERE,
        "废弃矿硐台账.xlsx",
        "沂源县已关闭矿山及废弃矿硐登记台账",
        ["矿硐编号", "所属乡镇", "所在村", "关闭类型", "责任人", "封堵状态", "封堵日期", "验收日期", "验收单位",
         "登记日期", "是否存在盗采", "经度", "纬度"],
        adits(),
    )  # fmt: skip
    write(HERE, "报送记录.xlsx", "各自然资源所统计表及总结报告报送记录（2023年）", ["编号", "报送单位", "报送事项", "所属期", "报送日期"],
          reports())  # fmt: skip
    write(
        HERE,
        "卫片图斑台账.xlsx",
        "矿产卫片图斑梳理排查台账",
        ["图斑编号", "期次", "乡镇", "地块编号", "经度", "纬度", "变化类型", "开采迹象", "合法性判定", "举证照片",
         "有证矿山", "现场核验", "疑似问题"],
        patches(),
    )  # fmt: skip
    write(HERE, "会议及联合行动记录.xlsx", "联席会议及联合行动记录（2023年）", ["编号", "日期", "类型", "组织单位", "参会人员", "内容"],
          meetings())  # fmt: skip


if __name__ == "__main__":
    main()

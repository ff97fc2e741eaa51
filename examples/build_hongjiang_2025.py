"""Writes the Hongjiang example ledger set (Excel, as township and department clerks keep it).

August–September 2025 under 洪江市非煤矿山领域“打非治违”工作实施方案: mostly compliant, with the violations listed
in README.md planted on purpose. Run `python examples/build_hongjiang_2025.py` to (re)write the .xlsx files in examples/hongjiang-2025/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledgerbook import PEOPLE_HEADERS, UNIT_HEADERS, days, write

HERE = Path(__file__).resolve().parent / "hongjiang-2025"
START, END = dt.date(2025, 8, 1), dt.date(2025, 9, 30)

UNITS = [
    ("HJ", "洪江市", "市", None, None, "7732297"),
    ("HJ-XCD", "市“打非治违”联合巡查队", "巡查队", "洪江市", None, None),
    ("XF", "雪峰镇", "镇", "洪江市", "是", None),
    ("XF01", "雪峰村", "村", "雪峰镇", None, None),
    ("XF02", "金竹村", "村", "雪峰镇", None, None),
    ("XF03", "竹园村", "村", "雪峰镇", None, None),
    ("SW", "沙湾乡", "乡", "洪江市", "是", None),
    ("SW01", "沙湾村", "村", "沙湾乡", None, None),
    ("SW02", "洗马村", "村", "沙湾乡", None, None),
    ("SW03", "大坪村", "村", "沙湾乡", None, None),
    ("TS", "铁山乡", "乡", "洪江市", "是", None),
    ("TS01", "铁山村", "村", "铁山乡", None, None),
    ("TS02", "龙船塘村", "村", "铁山乡", None, None),
    ("LC", "雪峰山国有林场", "林场", "洪江市", "是", None),
    ("LC01", "林场一工区", "村", "雪峰山国有林场", None, None),
    ("LC02", "林场二工区", "村", "雪峰山国有林场", None, None),
    ("QC", "黔城镇", "镇", "洪江市", "否", None),
    ("QC01", "黔城村", "村", "黔城镇", None, None),
    ("ZRJ", "市自然资源局", "局", "洪江市", None, None),
    ("GAJ", "市公安局", "局", "洪江市", None, "7731503"),
    ("GDGS", "国网洪江市供电公司", "部门", "洪江市", None, None),
]

# id, name, unit, position, roles, covers
PEOPLE = [
    ("P001", "谭志明", "洪江市", "市长", "主要负责人", None),
    ("P002", "向红梅", "洪江市", "副市长", "市领导", None),
    ("P003", "杨国庆", "市“打非治违”联合巡查队", "队长", "巡查队长", None),
    ("P010", "蒋文华", "雪峰镇", "镇长", "主要负责人", None),
    ("P011", "刘建军", "雪峰镇", "日常巡查队队长", "巡查队长", None),
    ("P012", "舒晓峰", "雪峰镇", "副镇长", "包村干部", "雪峰村、金竹村、竹园村"),
    ("P013", "龙德胜", "雪峰镇", "人大主席", "包片领导", "雪峰村"),
    ("P014", "杨秀英", "雪峰村", "村党支部书记", "村支部书记", None),
    ("P015", "唐远山", "金竹村", "村党支部书记", "村支部书记", None),
    ("P016", "梁春生", "竹园村", "村党支部书记", "村支部书记", None),
    ("P020", "曾宪平", "沙湾乡", "乡长", "主要负责人", None),
    ("P021", "易海波", "沙湾乡", "日常巡查队队长", "巡查队长", None),
    ("P022", "邓丽华", "沙湾乡", "副乡长", "包村干部", "沙湾村；洗马村；大坪村"),
    ("P023", "胡长青", "沙湾乡", "组织委员", "包片领导", "沙湾村、洗马村、大坪村"),
    ("P024", "石永红", "沙湾村", "村党支部书记", "村支部书记", None),
    ("P025", "彭小军", "洗马村", "村党支部书记", "村支部书记", None),
    ("P026", "陈桂林", "大坪村", "村党支部书记", "村支部书记", None),
    ("P030", "田茂林", "铁山乡", "乡长", "主要负责人", None),
    ("P031", "黄志强", "铁山乡", "日常巡查队队长", "巡查队长", None),
    ("P032", "吴思远", "铁山乡", "副乡长", "包村干部、包片领导", "铁山村、龙船塘村"),
    ("P033", "姚建华", "铁山村", "村党支部书记", "村支部书记", None),
    ("P034", "罗小兰", "龙船塘村", "村党支部书记", "村支部书记", None),
    ("P040", "贺子龙", "雪峰山国有林场", "场长", "主要负责人", None),
    ("P041", "肖光明", "雪峰山国有林场", "护林队队长", "巡查队长", None),
    ("P042", "滕玉梅", "雪峰山国有林场", "副场长", "包村干部、包片领导", "林场一工区、林场二工区"),
    ("P043", "丁卫东", "林场一工区", "工区负责人", "村支部书记", None),
    ("P044", "潘金凤", "林场二工区", "工区负责人", "村支部书记", None),
    ("P050", "李卫国", "黔城镇", "镇长", "主要负责人", None),
    ("P060", "周立新", "市自然资源局", "局长", "主要负责人", None),
    ("P061", "钟雨晴", "市自然资源局", "执法大队干部", "经办人", None),
    ("P070", "孙海涛", "市公安局", "局长", "主要负责人", None),
    ("P080", "欧阳诚", "国网洪江市供电公司", "总经理", "主要负责人", None),
    ("P090", "邹富贵", "洪江市", "金鑫矿业有限公司经理", "矿企负责人", None),
    ("P091", "麻成才", "洪江市", "雪峰金矿有限公司经理", "矿企负责人", None),
]

TOWNSHIPS = {  # unit: (patrol leader, villages)
    "雪峰镇": ("刘建军", ["雪峰村", "金竹村", "竹园村"]),
    "沙湾乡": ("易海波", ["沙湾村", "洗马村", "大坪村"]),
    "铁山乡": ("黄志强", ["铁山村", "龙船塘村"]),
    "雪峰山国有林场": ("肖光明", ["林场一工区", "林场二工区"]),
}
ROUTINE = "对辖区重点矿区、废弃矿硐及进山路口逐一巡查，封堵设施完好，未发现盗采迹象，已向沿线群众宣传有奖举报。"


def patrols() -> list[list[object]]:
    """Daily patrols Mon/Wed/Fri, villages in turn, two cross patrols a month, the city team and supervision."""
    rows: list[list[object]] = []
    seq = 0

    def add(day, unit, team, areas, leader, **extra):
        nonlocal seq
        seq += 1
        rows.append(
            [f"XC{seq:04d}", extra.get("date_text", day), unit, team, areas, extra.get("time", "09:00"), leader,
             extra.get("members", ""), extra.get("signer", leader), extra.get("found", "否"), extra.get("ids"),
             extra.get("notes", ROUTINE), extra.get("photo", f"IMG_{day:%Y%m%d}_{seq:04d}.jpg")]
        )  # fmt: skip

    names = list(TOWNSHIPS)
    for unit, (leader, villages) in TOWNSHIPS.items():
        turn = 0
        for day in days(START, END):
            if day.weekday() not in (0, 2, 4):
                continue
            if unit == "沙湾乡" and day in (dt.date(2025, 9, 12),):
                continue  # planted: only two daily-patrol days in 2025-W37
            if unit == "铁山乡" and day in (dt.date(2025, 9, 17), dt.date(2025, 9, 24)):
                continue  # planted: two daily-patrol days in 2025-W38 and again in W39 (stepped up)
            areas = villages[turn % len(villages)]
            if unit == "铁山乡" and day.month == 9:
                areas = "铁山村"  # planted: 龙船塘村 never patrolled in September
            turn += 1
            add(day, unit, "日常巡查", areas, leader, notes=f"{day:%m月%d日}巡查{areas}，{ROUTINE}")
        for day in (dt.date(2025, 8, 12), dt.date(2025, 8, 26), dt.date(2025, 9, 9), dt.date(2025, 9, 23)):
            if unit == "雪峰镇" and day == dt.date(2025, 8, 26):
                continue  # planted: one cross patrol only in August
            target = names[(names.index(unit) + 1) % len(names)]
            add(
                day,
                unit,
                "交叉巡查",
                "、".join(TOWNSHIPS[target][1]),
                leader,
                notes=f"{day:%m月%d日}交叉巡查{target}。",
            )
    # planted: the same day twice does not make two days (沙湾乡 2025-W37 has 09-08 and 09-10 only)
    add(
        dt.date(2025, 9, 8),
        "沙湾乡",
        "日常巡查",
        "洗马村",
        "易海波",
        time="15:30",
        notes="下午复查洗马村废弃矿硐封堵情况。",
    )
    team_days = [d for d in days(START, END) if d.weekday() < 6]
    september = [d for d in team_days if d.month == 9][:20]  # planted: 20 days in September
    for day in [d for d in team_days if d.month == 8] + september:
        add(
            day,
            "HJ-XCD",
            "市联合巡查",
            "雪峰镇",
            "杨国庆",
            members="市自然资源局执法大队",
            notes=f"{day:%m月%d日}联合巡查。",
        )
    add(dt.date(2025, 8, 15), "雪峰镇", "领导督导", "雪峰村、金竹村", "向红梅", notes="市领导督导雪峰镇打非治违工作。")
    add(dt.date(2025, 9, 12), "沙湾乡", "领导督导", "沙湾村", "P002", notes="市领导督导沙湾乡打非治违工作。")
    # planted: a theft found on patrol, registered as WT-001
    add(dt.date(2025, 9, 5), "雪峰镇", "日常巡查", "金竹村", "刘建军", found="是", ids="WT-001",
        notes="金竹村后山发现有人私挖盗采，已制止并登记。", date_text="2025年9月5日")  # fmt: skip
    # planted: problem found but not registered; a problem id that is not in the problems ledger
    add(dt.date(2025, 9, 19), "铁山乡", "日常巡查", "铁山村", "黄志强", found="是", notes="铁山村发现一处新开挖洞口。")
    add(
        dt.date(2025, 9, 24),
        "雪峰镇",
        "日常巡查",
        "竹园村",
        "刘建军",
        found="有",
        ids="WT-099",
        notes="竹园村发现运矿车辆痕迹。",
    )
    # planted: one photo on two patrols of different townships
    add(dt.date(2025, 9, 3), "雪峰山国有林场", "日常巡查", "林场一工区", "肖光明", photo="IMG_20250905_0931.jpg",
        notes="林场一工区巡查。")  # fmt: skip
    add(
        dt.date(2025, 9, 5),
        "雪峰镇",
        "日常巡查",
        "雪峰村",
        "刘建军",
        photo="IMG_20250905_0931.jpg",
        notes="雪峰村巡查。",
    )
    # planted: notes copied word for word onto another day
    copied = "林场二工区废弃矿硐封堵完好，护林员反映近期无可疑人员车辆进出，已在进山路口张贴举报电话。"
    add(dt.date(2025, 8, 20), "雪峰山国有林场", "日常巡查", "林场二工区", "肖光明", notes=copied)
    add(dt.date(2025, 9, 17), "雪峰山国有林场", "日常巡查", "林场二工区", "肖光明", notes=copied)
    # planted: 刘建军 leads 沙湾乡's patrol on a day he also leads 雪峰镇's (2025-09-17, a Wednesday)
    add(dt.date(2025, 9, 17), "沙湾乡", "日常巡查", "大坪村", "刘建军", signer="易海波", notes="协助沙湾乡巡查大坪村。")
    # planted bad rows: an impossible date, an unknown unit
    add(dt.date(2025, 9, 1), "雪峰镇", "日常巡查", "雪峰村", "刘建军", date_text="2025-02-30", notes="补录。")
    add(dt.date(2025, 9, 2), "雪峰乡", "日常巡查", "雪峰村", "刘建军", notes="补录。")
    return rows


def adits() -> list[list[object]]:
    plan = {"雪峰镇": 6, "沙湾乡": 3, "铁山乡": 2, "雪峰山国有林场": 4}
    rows: list[list[object]] = []
    for unit, new in plan.items():
        leader, villages = TOWNSHIPS[unit]
        code = {"雪峰镇": "XF", "沙湾乡": "SW", "铁山乡": "TS", "雪峰山国有林场": "LC"}[unit]
        for n in range(1, new + 3):
            found = dt.date(2024, 11, 3 + n) if n > new else dt.date(2025, 8, 4) + dt.timedelta(days=7 * n)
            sealed = found + dt.timedelta(days=5)
            rows.append(
                [f"{code}-KD-{n:03d}", unit, villages[n % len(villages)], "非法开采点", "否", None, leader, "已封堵",
                 sealed, sealed + dt.timedelta(days=3), "市自然资源局", found, "否", 110.05 + n / 100, 27.2 + n / 100]
            )  # fmt: skip
    rows[0][4:7] = ["是", "金鑫矿业有限公司", "金鑫矿业有限公司"]
    rows[1][4:7] = ["是", "雪峰金矿有限公司", "刘建军"]  # planted: license area, responsible is not the holder
    rows[9][6] = None  # planted: 沙湾乡 adit without a responsible person
    rows.append(list(rows[14]))  # planted: 铁山乡 duplicate adit number
    rows[-1][2] = "龙船塘村"
    return rows


def key_persons() -> list[list[object]]:
    plan = {"雪峰镇": 5, "沙湾乡": 2, "铁山乡": 1, "雪峰山国有林场": 0}
    surnames = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
    rows, n = [], 0
    for unit, new in plan.items():
        villages = TOWNSHIPS[unit][1]
        for k in range(new + 2):
            n += 1
            found = dt.date(2025, 3, 10) if k >= new else dt.date(2025, 8, 6) + dt.timedelta(days=9 * k)
            name = f"{surnames[n % len(surnames)]}某{'甲乙丙丁戊己庚辛'[k % 8]}{n}"
            rows.append([f"ZD{n:03d}", name, unit, villages[k % len(villages)], found, "纳入公安重点管控，每月走访"])
    return rows


def devices() -> list[list[object]]:
    rows = []
    units = list(TOWNSHIPS)
    for n in range(1, 15):
        rows.append([f"SB-2025-{n:03d}", "摄像头", units[n % 4], dt.date(2025, 3, 1), "是"])
    for n in range(15, 15 + 96):
        rows.append([f"SB-2025-{n:03d}", "监控", units[n % 4], dt.date(2025, 8, 1) + dt.timedelta(days=n % 45), "是"])
    for n in range(111, 114):
        rows.append([f"SB-2025-{n:03d}", "监控", units[n % 4], dt.date(2025, 9, 10), "否"])
    return rows


def main() -> None:
    units = [list(u) for u in UNITS]
    write(
        HERE,
        "洪江市2025年单位名册.xlsx",
        "洪江市“打非治违”单位名册",
        UNIT_HEADERS,
        units,
    )
    write(
        HERE,
        "责任人名册.xlsx",
        "洪江市“打非治违”责任人名册",
        PEOPLE_HEADERS,
        [list(p) for p in PEOPLE],
    )
    write(
        HERE,
        "巡查台账.xlsx",
        "洪江市非煤矿山“打非治违”巡查台账（2025年8-9月）",
        ["巡查编号（必填）", "巡查日期", "巡查单位", "巡查类型", "巡查区域", "开始时间", "带队人", "参与人员", "签字人",
         "是否发现问题", "问题编号", "巡查情况", "现场照片"],
        patrols(),
    )  # fmt: skip
    write(
        HERE,
        "洪江市2025年废弃矿硐封堵台账.xlsx",
        "洪江市废弃矿硐封堵台账",
        ["矿硐编号", "所属乡镇", "所在村", "关闭类型", "是否在矿业权范围内", "矿业权人", "封堵责任人", "封堵状态",
         "封堵日期", "验收日期", "验收单位", "发现日期", "是否存在盗采", "经度", "纬度"],
        adits(),
    )  # fmt: skip
    write(
        HERE,
        "重点人员台账.xlsx",
        "涉矿重点人员台账",
        ["编号", "姓名", "所属乡镇", "所在村", "摸排日期", "管控措施"],
        key_persons(),
    )
    write(
        HERE,
        "监控设备台账.xlsx",
        "监控设备台账",
        ["设备编号", "设备类型", "所属单位", "安装日期", "是否联网"],
        devices(),
    )
    write(
        HERE,
        "举报线索台账.xlsx",
        "矿山领域举报线索及奖励兑现台账",
        ["线索编号", "受理日期", "受理单位", "经办人", "涉及乡镇", "涉及村", "核查结果", "核实日期", "是否立案",
         "奖励金额(元)", "兑现日期"],
        [
            ["JB-001", dt.date(2025, 8, 5), "市自然资源局", "钟雨晴", "雪峰镇", "金竹村", "属实", dt.date(2025, 8, 9), "是", 20000, dt.date(2025, 9, 1)],
            ["JB-002", dt.date(2025, 8, 8), "市自然资源局", "钟雨晴", "沙湾乡", "洗马村", "属实", dt.date(2025, 8, 15), "否", "2,000元", dt.date(2025, 9, 1)],
            ["JB-003", dt.date(2025, 8, 12), "市自然资源局", "钟雨晴", "铁山乡", "铁山村", "属实", dt.date(2025, 8, 20), "否", 1000, dt.date(2025, 9, 1)],
            ["JB-004", dt.date(2025, 8, 16), "市公安局", "P061", "雪峰镇", "竹园村", "不属实", dt.date(2025, 8, 25), "否", 0, None],
            ["JB-005", dt.date(2025, 8, 18), "市自然资源局", "钟雨晴", "沙湾乡", "大坪村", "核查中", None, None, None, None],
            ["JB-006", dt.date(2025, 8, 22), "市公安局", "李警官", "雪峰山国有林场", "林场一工区", "属实", dt.date(2025, 9, 2), "否", None, None],
            ["JB-007", dt.date(2025, 9, 20), "市自然资源局", "钟雨晴", "铁山乡", "龙船塘村", "待核实", None, None, None, None],
            ["JB-008", "2025年9月1日", "市自然资源局", "钟雨晴", "雪峰镇", "雪峰村", "属实", "2025/9/6", "是", "2万元", dt.date(2025, 9, 20)],
        ],
    )  # fmt: skip
    write(
        HERE,
        "案件台账.xlsx",
        "涉矿违法案件查处台账",
        ["案件编号", "立案日期", "乡镇", "村", "违法类型", "是否大案要案", "当事人", "是否涉嫌犯罪", "移送公安日期",
         "是否涉及保护伞/失职渎职线索", "移送纪委监委日期", "是否违规供电", "供电单位"],
        [
            ["AJ-2025-01", dt.date(2025, 8, 20), "雪峰镇", "金竹村", "非法采矿", "是", "王某、李某", "是", dt.date(2025, 8, 25), "否", None, "否", None],
            ["AJ-2025-02", dt.date(2025, 9, 3), "沙湾乡", "洗马村", "非法采矿", "否", "赵某", "是", None, "否", None, "否", None],
            ["AJ-2025-03", dt.date(2025, 9, 10), "铁山乡", "铁山村", "非法采矿", "否", "钱某", "否", None, "否", None, "是", "国网洪江市供电公司"],
            ["AJ-2025-04", dt.date(2025, 9, 15), "雪峰镇", "竹园村", "盗采", "否", "孙某", "否", None, "是", dt.date(2025, 9, 20), "否", None],
        ],
    )  # fmt: skip
    write(
        HERE,
        "问题整改台账.xlsx",
        "“打非治违”问题整改台账",
        ["问题编号", "发现日期", "问题来源", "所属乡镇", "所在村", "问题类型", "问题描述", "整改要求", "责任单位",
         "责任人", "整改时限", "整改状态", "销号日期"],
        [
            ["WT-001", dt.date(2025, 9, 5), "巡查", "雪峰镇", "金竹村", "私挖盗采", "金竹村后山有人私挖盗采", "立即制止，回填洞口", "雪峰镇", "刘建军", dt.date(2025, 9, 15), "已整改", dt.date(2025, 9, 12)],
            ["WT-002", dt.date(2025, 8, 14), "巡查", "沙湾乡", "洗马村", "封堵不到位", "废弃矿硐封堵墙破损", "重新封堵", "沙湾乡", "易海波", dt.date(2025, 8, 30), "已销号", dt.date(2025, 8, 28)],
            ["WT-003", dt.date(2025, 9, 18), "群众举报", "铁山乡", "铁山村", "安全隐患", "废弃工棚存放雷管包装", "清理现场", "铁山乡", "黄志强", dt.date(2025, 10, 10), "整改中", None],
        ],
    )  # fmt: skip
    people_names = [p[1] for p in key_persons()]
    write(
        HERE,
        "会议及联合行动记录.xlsx",
        "会议及联合行动记录",
        ["编号", "日期", "类型", "组织单位", "参会人员"],
        [
            ["HY-01", dt.date(2025, 8, 8), "联席会议", "洪江市", "谭志明、向红梅、周立新、孙海涛"],
            ["HY-02", dt.date(2025, 9, 20), "警示教育", "市自然资源局", "、".join(["邹富贵", "麻成才", *people_names[1:]])],
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()

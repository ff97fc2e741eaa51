"""Writes the Jincheng example ledger set (Excel, as county, township and department clerks keep it).

2021-12-20 to 2022-03-19 under 全市严厉打击非法违法开采矿产资源专项行动实施方案 (集中排查整治 to 2022-01-19, 持续巩固
to 2022-03-19): mostly compliant, with the violations listed in README.md planted on purpose. Run
`python examples/build_jincheng_2021.py` to (re)write the .xlsx files in examples/jincheng-2021/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledgerbook import PEOPLE_HEADERS, UNIT_HEADERS, days, write

HERE = Path(__file__).resolve().parent / "jincheng-2021"
START, CONCENTRATED_END, END = dt.date(2021, 12, 20), dt.date(2022, 1, 19), dt.date(2022, 3, 19)

# id, name, level, parent, mining, hotline
UNITS = [
    ("JC", "晋城市", "市", None, None, "0356-12345"),
    ("ZZ", "泽州县", "县", "晋城市", None, "0356-3022110"),
    ("GP", "高平市", "县级市", "晋城市", None, "0356-5222110"),
    ("YC", "阳城县", "县", "晋城市", None, None),  # planted: no reward hotline
    ("BG", "巴公镇", "镇", "泽州县", "是", None),
    ("BG01", "西郜村", "村", "巴公镇", None, None),
    ("BG02", "东四义村", "村", "巴公镇", None, None),
    ("BG03", "北板桥村", "村", "巴公镇", None, None),
    ("BG04", "渠头村", "村", "巴公镇", None, None),
    ("DDG", "大东沟镇", "镇", "泽州县", "是", None),
    ("DDG01", "大东沟村", "村", "大东沟镇", None, None),
    ("DDG02", "贺坡村", "村", "大东沟镇", None, None),
    ("DDG03", "辛庄村", "村", "大东沟镇", None, None),
    ("NC", "南村镇", "镇", "泽州县", "否", None),
    ("NC01", "南村村", "村", "南村镇", None, None),
    ("BYC", "北义城镇", "镇", "高平市", "是", None),
    ("BYC01", "北义城村", "村", "北义城镇", None, None),
    ("BYC02", "西南庄村", "村", "北义城镇", None, None),
    ("BYC03", "铁炉村", "村", "北义城镇", None, None),
    ("HX", "河西镇", "镇", "高平市", "是", None),
    ("HX01", "河西村", "村", "河西镇", None, None),
    ("HX02", "苏庄村", "村", "河西镇", None, None),
    ("DD", "町店镇", "镇", "阳城县", "是", None),
    ("DD01", "町店村", "村", "町店镇", None, None),
    ("DD02", "崦山村", "村", "町店镇", None, None),
    ("DD03", "中寨村", "村", "町店镇", None, None),
    ("MH", "蟒河镇", "镇", "阳城县", "是", None),
    ("MH01", "蟒河村", "村", "蟒河镇", None, None),
    ("MH02", "桑林村", "村", "蟒河镇", None, None),
    ("ZRJ", "市自然资源局", "局", "晋城市", None, None),
    ("GAJ", "市公安局", "局", "晋城市", None, None),
    ("GDGS", "国网晋城供电公司", "部门", "晋城市", None, None),
]

# id, name, unit, position, roles, covers
PEOPLE = [
    ("P001", "牛建国", "晋城市", "市长", "主要负责人", None),
    ("P002", "秦玉萍", "晋城市", "副市长", "市领导、分管领导", None),
    ("P010", "常晓东", "泽州县", "县长", "主要负责人", None),
    ("P011", "原志刚", "泽州县", "副县长", "分管领导", None),
    ("P020", "焦文斌", "高平市", "市长", "主要负责人", None),
    ("P021", "毕海燕", "高平市", "副市长", "分管领导", None),
    ("P030", "卫国强", "阳城县", "县长", "主要负责人", None),
    ("P031", "栗红霞", "阳城县", "副县长", "分管领导", None),
    ("P100", "郭永胜", "巴公镇", "镇长", "主要负责人", None),
    ("P101", "靳志华", "巴公镇", "副镇长", "分管领导、巡查队长", None),
    ("P102", "李建平", "巴公镇", "武装部长", "包村干部", "西郜村、东四义村"),
    ("P103", "陈晓丽", "巴公镇", "组织委员", "包村干部", "北板桥村、渠头村"),
    ("P110", "王振宇", "大东沟镇", "镇长", "主要负责人", None),
    ("P111", "田宏伟", "大东沟镇", "副镇长", "分管领导、巡查队长", None),
    ("P112", "申小燕", "大东沟镇", "宣传委员", "包村干部", "大东沟村、贺坡村、辛庄村"),
    ("P120", "韩国栋", "南村镇", "镇长", "主要负责人", None),
    ("P200", "赵文军", "北义城镇", "镇长", "主要负责人", None),
    ("P201", "许鹏飞", "北义城镇", "副镇长", "分管领导、巡查队长", None),
    ("P202", "范丽娟", "北义城镇", "纪委书记", "包村干部", "北义城村、西南庄村、铁炉村"),
    ("P210", "吉长青", "河西镇", "镇长", "主要负责人", None),
    ("P211", "程志远", "河西镇", "副镇长", "分管领导、巡查队长", None),
    ("P212", "裴晓军", "河西镇", "人武部长", "包村干部", "河西村、苏庄村"),
    ("P300", "张卫东", "町店镇", "镇长", "主要负责人", None),
    ("P301", "杨国华", "町店镇", "副镇长", "分管领导、巡查队长", None),
    ("P302", "成海涛", "町店镇", "组织委员", "包村干部", "町店村、崦山村、中寨村"),
    ("P310", "吉红梅", "蟒河镇", "镇长", "主要负责人", None),
    ("P311", "茹建军", "蟒河镇", "副镇长", "分管领导、巡查队长", None),
    ("P312", "范志强", "蟒河镇", "宣传委员", "包村干部", "蟒河村、桑林村"),
    ("P400", "冯志斌", "市自然资源局", "局长", "主要负责人", None),
    ("P401", "侯小龙", "市自然资源局", "执法支队科员", "经办人、联络员", None),
    ("P410", "李新民", "市公安局", "局长", "主要负责人", None),
    ("P420", "刘振华", "国网晋城供电公司", "总经理", "主要负责人", None),
]

TOWNSHIPS = {  # township: (county, patrol leader, village contacts by village)
    "巴公镇": (
        "泽州县",
        "靳志华",
        {"西郜村": "李建平", "东四义村": "李建平", "北板桥村": "陈晓丽", "渠头村": "陈晓丽"},
    ),
    "大东沟镇": ("泽州县", "田宏伟", {"大东沟村": "申小燕", "贺坡村": "申小燕", "辛庄村": "申小燕"}),
    "北义城镇": ("高平市", "许鹏飞", {"北义城村": "范丽娟", "西南庄村": "范丽娟", "铁炉村": "范丽娟"}),
    "河西镇": ("高平市", "程志远", {"河西村": "裴晓军", "苏庄村": "裴晓军"}),
    "町店镇": ("阳城县", "杨国华", {"町店村": "成海涛", "崦山村": "成海涛", "中寨村": "成海涛"}),
    "蟒河镇": ("阳城县", "茹建军", {"蟒河村": "范志强", "桑林村": "范志强"}),
}
NORMAL = ["正常", "正常", "无", "无", "无", "正常", "无", "无"]
ROUTINE = "沿山沟、废弃井口及运煤便道逐段巡查，井口封闭完好，未见新开挖和运煤痕迹，向群众宣传有奖举报电话。"


def eight_checks() -> list[list[object]]:
    """Every village once in the concentrated phase, most once more in the follow-up; problems found are flagged."""
    rows: list[list[object]] = []
    found = {  # village: (item index found abnormal, date) — the source of the problems registered as 排查
        "东四义村": (2, dt.date(2021, 12, 23)),
        "贺坡村": (5, dt.date(2021, 12, 27)),
        "铁炉村": (4, dt.date(2021, 12, 25)),
        "西南庄村": (5, dt.date(2022, 1, 12)),
        "河西村": (3, dt.date(2022, 1, 5)),
        "崦山村": (2, dt.date(2021, 12, 29)),
        "桑林村": (5, dt.date(2022, 1, 8)),
    }
    offset = 0
    for township, (_, _, villages) in TOWNSHIPS.items():
        for village, signer in villages.items():
            day = found[village][1] if village in found else START + dt.timedelta(days=2 + offset % 27)
            offset += 5
            if village == "苏庄村":
                day = dt.date(2022, 1, 24)  # planted: first checked after the concentrated phase
            items = list(NORMAL)
            if village in found:
                items[found[village][0]] = "有" if found[village][0] in (2, 3, 4) else "异常"
            rows.append([None, day, township, village, signer, "是" if village in found else "否", *items])
    for township, (_, _, villages) in TOWNSHIPS.items():
        for n, (village, signer) in enumerate(villages.items()):
            day = dt.date(2022, 2, 14) + dt.timedelta(days=7 * n + len(township))
            if village == "苏庄村":
                continue
            rows.append([None, day, township, village, signer, "否", *NORMAL])
    rows.sort(key=lambda r: (r[1], r[2], r[3]))
    for n, row in enumerate(rows, 1):
        row[0] = f"BC-{n:03d}"
    for row in rows:
        if row[3] == "贺坡村" and row[1] > CONCENTRATED_END:
            row[12:14] = [None, None]  # planted: 遮挡构筑物暗道 and 非法务工人员 left unchecked
        if row[3] == "中寨村" and row[1] <= CONCENTRATED_END:
            row[4] = None  # planted: nobody signed
        if row[3] == "渠头村" and row[1] <= CONCENTRATED_END:
            row[1] = f"{row[1].year}年{row[1].month}月{row[1].day}日"
    return rows


def problems() -> list[list[object]]:
    def row(pid, day, source, township, village, kind, text, requirement, person, deadline, status, closed, spot):
        county = TOWNSHIPS[township][0]
        return [pid, day, source, county, township, village, kind, text, requirement,
                township, person, deadline, status, closed, spot]  # fmt: skip

    d = dt.date
    return [
        row("JC-WT-001", d(2021, 12, 23), "排查", "巴公镇", "东四义村", "非法开采", "村北沟露头煤线有私挖小煤窑一处", "立即停止开采，拆除设备，回填井口", "李建平", d(2022, 1, 10), "已销号", d(2022, 1, 8), "是"),
        row("JC-WT-002", d(2021, 12, 27), "排查", "大东沟镇", "贺坡村", "封堵不到位", "原贺坡煤矿回风井封闭墙有破口", "重新封闭填实", "申小燕", d(2022, 1, 15), "已销号", d(2022, 1, 12), "否"),
        row("JC-WT-003", d(2022, 1, 6), "巡查", "巴公镇", "北板桥村", "盗采", "北板桥村西坡发现新开挖痕迹", "回填恢复，查清开挖人员", "陈晓丽", d(2022, 1, 20), "已整改", d(2022, 1, 18), "是"),
        row("JC-WT-004", d(2022, 1, 10), "市级抽查", "巴公镇", "西郜村", "盗采", "市级抽查发现西郜村南沟有盗采煤炭洞口", "封堵洞口，移交公安查处", "李建平", d(2022, 1, 25), "已销号", d(2022, 1, 22), "是"),
        row("JC-WT-005", d(2022, 2, 16), "巡查", "大东沟镇", "辛庄村", "安全隐患", "辛庄村废弃工棚内存放炸药包装物", "清理现场，查明来源", "申小燕", d(2022, 3, 15), "整改中", None, "否"),
        row("JC-WT-006", "2022年3月2日", "排查", "大东沟镇", "大东沟村", "其他", "运煤便道未设置限行设施", "设置限高杆和警示牌", "田宏伟", d(2022, 3, 20), "已整改", d(2022, 3, 16), "否"),
        row("JC-WT-007", d(2021, 12, 25), "排查", "北义城镇", "铁炉村", "非法开采", "铁炉村东沟有圈占场地和钻机一台", "拆除设备，清退场地", "范丽娟", d(2022, 1, 10), "已销号", d(2022, 1, 6), "是"),
        row("JC-WT-008", d(2022, 1, 4), "群众举报", "河西镇", "河西村", "盗采", "群众举报河西村夜间有三轮车运煤", "查清运煤来源，封堵盗采点", "裴晓军", d(2022, 1, 20), "已销号", d(2022, 1, 15), "否"),
        row("JC-WT-009", d(2022, 1, 12), "排查", "北义城镇", "西南庄村", "封堵不到位", "西南庄村关闭井口填实不到位", "重新回填夯实", None, None, "整改中", None, "否"),
        row("JC-WT-010", d(2022, 2, 22), "巡查", "河西镇", "苏庄村", "安全隐患", "苏庄村废弃井口周边围挡倒塌", "恢复围挡，设置警示标志", "程志远", d(2022, 3, 10), "已整改", d(2022, 3, 8), "是"),
        row("JC-WT-011", d(2021, 12, 29), "排查", "町店镇", "崦山村", "非法开采", "崦山村露头煤线有开采迹象", "回填采坑，恢复地貌", "成海涛", d(2022, 1, 20), "已销号", d(2022, 1, 17), "是"),
        row("JC-WT-012", d(2022, 1, 8), "排查", "蟒河镇", "桑林村", "封堵不到位", "桑林村废弃井口封闭墙破损", "重新封闭填实", "范志强", d(2022, 1, 25), "已销号", d(2022, 1, 21), "否"),
        row("JC-WT-013", d(2022, 1, 15), "巡查", "町店镇", "中寨村", "盗采", "中寨村山坳发现盗采人员临时工棚", "拆除工棚，移交公安", "成海涛", d(2022, 1, 30), "已销号", d(2022, 1, 28), "否"),
        row("JC-WT-014", d(2022, 2, 25), "排查", "蟒河镇", "蟒河村", "安全隐患", "蟒河村旧井口周边有人员活动痕迹", "加装视频监控", "茹建军", d(2022, 3, 18), "已整改", d(2022, 3, 17), "否"),
        row("JC-WT-015", d(2022, 3, 8), "排查", "町店镇", "町店村", "其他", "町店村煤场收货台账不全", "建立收货登记制度", "杨国华", d(2022, 4, 15), "整改中", None, "否"),
    ]  # fmt: skip


def patrols() -> list[list[object]]:
    """Each mining township's daily patrol team, once a week, villages in turn; the counties' supervision visits."""
    rows: list[list[object]] = []
    weekday = {"巴公镇": 1, "大东沟镇": 2, "北义城镇": 1, "河西镇": 3, "町店镇": 2, "蟒河镇": 4}
    for township, (_, leader, villages) in TOWNSHIPS.items():
        names = list(villages)
        turn = 0
        for day in days(START, END):
            if day.weekday() != weekday[township] or day in (dt.date(2022, 2, 1), dt.date(2022, 2, 2)):
                continue
            village = names[turn % len(names)]
            turn += 1
            notes = f"{day:%m月%d日}巡查{village}，{ROUTINE}"
            rows.append([day, township, "日常巡查", village, "09:00", leader, villages[village], leader, "否",
                         None, notes, f"{township}_{day:%Y%m%d}.jpg"])  # fmt: skip
    supervision = [
        (dt.date(2022, 1, 7), "巴公镇", "西郜村、东四义村", "原志刚"),
        (dt.date(2022, 1, 11), "北义城镇", "铁炉村", "毕海燕"),
        (dt.date(2022, 1, 13), "町店镇", "崦山村、中寨村", "栗红霞"),
        (dt.date(2022, 3, 3), "河西镇", "河西村、苏庄村", "毕海燕"),
    ]
    for day, township, areas, leader in supervision:
        rows.append([day, township, "督导", areas, "14:30", leader, TOWNSHIPS[township][1], leader, "否", None,
                     f"{day:%m月%d日}县级督导{township}专项行动，查看{areas}八查记录和井口封闭情况。",
                     f"督导_{township}_{day:%Y%m%d}.jpg"])  # fmt: skip
    for problem in problems():
        if problem[2] != "巡查":
            continue
        day, township, village = problem[1], problem[4], problem[5]
        leader = TOWNSHIPS[township][1]
        rows.append([day, township, "日常巡查", village, "15:00", leader, TOWNSHIPS[township][2][village], leader, "是",
                     problem[0], f"{day:%m月%d日}巡查发现：{problem[7]}，已登记交办。", f"{township}_{day:%Y%m%d}_2.jpg"])  # fmt: skip
    rows.sort(key=lambda r: (r[0], r[1]))
    copied = "桑林村废弃井口封闭墙完好，周边无新开挖痕迹，护林员反映近期无可疑车辆和人员进出，已张贴举报电话。"
    mh = [r for r in rows if r[1] == "蟒河镇" and r[3] == "桑林村" and r[0] > CONCENTRATED_END]
    for row in mh[:2]:
        row[10] = copied  # planted: the same notes on two different days
    for row in rows:
        if row[0] == dt.date(2022, 1, 4) and row[1] == "巴公镇":
            row[0] = "2022年1月4日"
    return [[f"XC-{n:03d}", *row] for n, row in enumerate(rows, 1)]


def main() -> None:
    HERE.mkdir(exist_ok=True)
    write(
        HERE,
        "晋城市单位名册.xlsx",
        "晋城市严厉打击非法违法开采矿产资源专项行动单位名册",
        UNIT_HEADERS,
        [list(u) for u in UNITS],
    )
    write(
        HERE,
        "责任人名册.xlsx",
        "专项行动责任人名册",
        PEOPLE_HEADERS,
        [list(p) for p in PEOPLE],
    )
    write(
        HERE,
        "八查记录.xlsx",
        "“八查”排查记录（2021年12月—2022年3月）",
        ["编号", "排查日期", "乡镇", "村", "排查人签字", "是否发现问题", "企业和个人用电是否异常", "煤场收货渠道",
         "露头煤线开采迹象", "偏僻路段运煤痕迹", "圈占场地机械设备", "关闭井口填实", "废弃矿井周边遮挡构筑物暗道",
         "非法务工人员"],
        eight_checks(),
    )  # fmt: skip
    write(
        HERE,
        "问题整改台账.xlsx",
        "非法违法开采问题整改台账",
        ["问题编号", "发现日期", "问题来源", "县（市、区）", "所属乡镇", "所在村", "问题类型", "问题描述", "整改要求",
         "责任单位", "责任人", "整改时限", "整改状态", "销号日期", "是否抽查"],
        problems(),
    )  # fmt: skip
    six = ["是"] * 6
    write(
        HERE,
        "关闭坑口记录.xlsx",
        "非法采矿坑口关闭记录",
        ["编号", "乡镇", "坑口名称", "关闭日期", "监管责任人", "吊销相关证照", "停止供应并处理火工用品",
         "停止供电，拆除矿井生产设备、供电、通信线路", "封闭、填实矿井井筒，平整井口场地", "恢复地貌", "妥善遣散从业人员"],
        [
            ["GB-01", "巴公镇", "东四义村北沟私挖井口", dt.date(2022, 1, 8), "李建平", *six],
            ["GB-02", "巴公镇", "西郜村南沟盗采洞口", dt.date(2022, 1, 22), "李建平", *six],
            ["GB-03", "北义城镇", "铁炉村东沟非法采点", dt.date(2022, 1, 6), "范丽娟", *six],
            ["GB-04", "町店镇", "崦山村露头采坑", dt.date(2022, 1, 17), None, "是", "是", "是", "是", "否", "是"],
            ["GB-05", "河西镇", "河西村盗采点", "2022年1月15日", "裴晓军", *six],
        ],
    )  # fmt: skip
    write(
        HERE,
        "报送记录.xlsx",
        "专项行动报送记录",
        ["编号", "报送单位", "报送事项", "所属期", "报送日期"],
        [
            ["BS-01", "泽州县", "排查整治工作报告", "集中排查整治", dt.date(2022, 1, 18)],
            ["BS-02", "阳城县", "排查整治工作报告", "集中排查整治", "2022年1月19日"],
            ["BS-03", "高平市", "排查整治工作报告", "集中排查整治", dt.date(2022, 1, 21)],
            ["BS-04", "泽州县", "持续巩固阶段工作总结", "持续巩固", dt.date(2022, 3, 18)],
        ],
    )
    write(
        HERE,
        "案件台账.xlsx",
        "非法违法开采案件查处台账",
        ["案件编号", "立案日期", "乡镇", "村", "违法类型", "是否大案要案", "当事人", "是否涉嫌犯罪", "移送公安日期",
         "是否涉及保护伞/失职渎职线索", "移送纪委监委日期", "是否违规供电", "供电单位"],
        [
            ["AJ-2022-001", dt.date(2022, 1, 7), "巴公镇", "东四义村", "非法采矿", "否", "郭某某", "是", dt.date(2022, 1, 12), "否", None, "否", None],
            ["AJ-2022-002", dt.date(2022, 1, 13), "巴公镇", "西郜村", "盗采煤炭", "是", "王某、李某某", "是", dt.date(2022, 1, 18), "否", None, "是", "国网晋城供电公司"],
            ["AJ-2022-003", dt.date(2022, 1, 20), "町店镇", "中寨村", "盗采煤炭", "否", "张某", "否", None, "否", None, "否", None],
            ["AJ-2022-004", "2022-02-30", "蟒河镇", "桑林村", "非法采矿", "否", "刘某", "否", None, "否", None, "否", None],
        ],
    )  # fmt: skip
    write(
        HERE,
        "举报线索台账.xlsx",
        "有奖举报线索受理核实台账",
        ["线索编号", "受理日期", "受理单位", "经办人", "涉及乡镇", "涉及村", "核查结果", "核实日期", "是否立案",
         "奖励金额(元)", "兑现日期"],
        [
            ["JB-01", dt.date(2021, 12, 24), "泽州县", "常晓东", "巴公镇", "西郜村", "属实", dt.date(2021, 12, 28), "是", 3000, dt.date(2022, 1, 10)],
            ["JB-02", dt.date(2022, 1, 5), "高平市", "焦文斌", "河西镇", "苏庄村", "不属实", dt.date(2022, 1, 9), "否", None, None],
            ["JB-03", "2022年2月14日", "阳城县", "卫国强", "町店镇", "崦山村", "属实", "2022年2月20日", "否", 1000, dt.date(2022, 3, 1)],
        ],
    )  # fmt: skip
    write(
        HERE,
        "巡查台账.xlsx",
        "专项行动巡查台账（2021年12月—2022年3月）",
        ["巡查编号", "巡查日期", "巡查单位", "巡查类型", "巡查区域", "开始时间", "带队人", "参与人员", "签字人",
         "是否发现问题", "问题编号", "巡查情况", "现场照片"],
        patrols(),
    )  # fmt: skip


if __name__ == "__main__":
    main()

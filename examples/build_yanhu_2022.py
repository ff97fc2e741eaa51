"""Writes the Yanhu example ledger set (Excel, as the district, township and village clerks keep it).

December 2022 – March 2023 under 盐湖区非法违法采矿隐患排查整治行动工作方案: mostly compliant, with the violations
listed in README.md planted on purpose. Run `python examples/build_yanhu_2022.py` to (re)write the .xlsx files in
examples/yanhu-2022/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledgerbook import PEOPLE_HEADERS, UNIT_HEADERS, write

HERE = Path(__file__).resolve().parent / "yanhu-2022"
FIRST_WEEK, LAST_WEEK = dt.date(2022, 12, 5), dt.date(2023, 3, 27)  # Mondays of 2022-W49 and 2023-W13

UNITS = [
    ("YH", "盐湖区", "区", None, None, "0359-2663110"),
    ("YH-ZRJ", "市规划和自然资源局盐湖分局", "局", "盐湖区", None, "0359-2082315"),
    ("YH-GAJ", "运城市公安局盐湖分局", "局", "盐湖区", None, None),
    ("JZ", "解州镇", "镇", "盐湖区", "是", None),
    ("JZ01", "上王村", "村", "解州镇", None, None),
    ("JZ02", "下王村", "村", "解州镇", None, None),
    ("JZ03", "社东村", "村", "解州镇", None, None),
    ("DG", "东郭镇", "镇", "盐湖区", "是", None),
    ("DG01", "东郭村", "村", "东郭镇", None, None),
    ("DG02", "南阳村", "村", "东郭镇", None, None),
    ("DG03", "磨窝村", "村", "东郭镇", None, None),
    ("JJ", "金井乡", "乡", "盐湖区", "是", None),
    ("JJ01", "金井村", "村", "金井乡", None, None),
    ("JJ02", "宋家村", "村", "金井乡", None, None),
    ("BC", "北城街道", "街道", "盐湖区", "否", None),
    ("BC01", "红旗社区", "社区", "北城街道", None, None),
]

# id, name, unit, position, roles, covers
PEOPLE = [
    ("P001", "高志强", "盐湖区", "区长", "主要负责人", None),
    ("P002", "薛文斌", "盐湖区", "副区长", "分管领导", None),
    ("P003", "柴晓燕", "盐湖区", "区领导小组办公室干部", "联络员", None),
    ("P010", "卫东升", "市规划和自然资源局盐湖分局", "局长", "主要负责人", None),
    ("P011", "景佳琪", "市规划和自然资源局盐湖分局", "执法监察大队干部", "经办人", None),
    ("P020", "郭振华", "运城市公安局盐湖分局", "局长", "主要负责人", None),
    ("P021", "姚磊", "运城市公安局盐湖分局", "治安大队民警", "经办人", None),
    ("P100", "杨志刚", "解州镇", "镇长", "主要负责人", None),
    ("P101", "李红军", "解州镇", "副镇长", "分管领导、带队领导", None),
    ("P102", "张永胜", "解州镇", "综治办主任", "包村干部", "上王村、下王村、社东村"),
    ("P111", "王海平", "上王村", "村党支部书记", "村支部书记", None),
    ("P112", "王丽娟", "下王村", "村党支部书记", "村支部书记", None),
    ("P113", "畅国栋", "社东村", "村党支部书记", "村支部书记", None),
    ("P200", "侯建民", "东郭镇", "镇长", "主要负责人", None),
    ("P201", "吉晓峰", "东郭镇", "副镇长", "分管领导；带队领导", None),
    ("P211", "樊天明", "东郭村", "村党支部书记", "村支部书记", None),
    ("P212", "南秀英", "南阳村", "村党支部书记", "村支部书记", None),
    ("P213", "闫小虎", "磨窝村", "村党支部书记", "村支部书记", None),
    ("P300", "宁志勇", "金井乡", "乡长", "主要负责人", None),
    ("P301", "任海燕", "金井乡", "副乡长", "分管领导、带队领导", None),
    ("P311", "宋长林", "金井村", "村党支部书记", "村支部书记", None),
    ("P312", "宋保平", "宋家村", "村党支部书记", "村支部书记", None),
    ("P400", "裴俊", "北城街道", "办事处主任", "主要负责人", None),
]

TOWNSHIPS = {  # township: (leader of the monthly 乡级排查, its members, villages)
    "解州镇": ("李红军", "张永胜、解州自然资源所郑伟", ["上王村", "下王村", "社东村"]),
    "东郭镇": ("吉晓峰", "东郭镇综治办贾亮、东郭自然资源所孙涛", ["东郭村", "南阳村", "磨窝村"]),
    "金井乡": ("任海燕", "金井乡安监站董斌", ["金井村", "宋家村"]),
}
SECRETARY = {p[2]: p[1] for p in PEOPLE if p[4] == "村支部书记"}
GRID_MEMBER = {  # the village's grid worker who goes along on the weekly check
    "上王村": "王建设",
    "下王村": "王小平",
    "社东村": "畅红星",
    "东郭村": "樊建军",
    "南阳村": "南国庆",
    "磨窝村": "闫保国",
    "金井村": "宋玉龙",
    "宋家村": "宋晓东",
}
TOWNSHIP_DAYS = {
    "解州镇": [dt.date(2022, 12, 9), dt.date(2023, 1, 12), dt.date(2023, 2, 10), dt.date(2023, 3, 10)],
    "东郭镇": [dt.date(2022, 12, 15), dt.date(2023, 1, 13), dt.date(2023, 2, 15), dt.date(2023, 3, 8)],
    # planted: no 乡级排查 in January 2023 (Spring Festival month)
    "金井乡": [dt.date(2022, 12, 16), dt.date(2023, 2, 17), dt.date(2023, 3, 16)],
}
TEXT_DATES = {dt.date(2023, 1, 5), dt.date(2023, 2, 7), dt.date(2023, 3, 1)}
REUSED_PHOTO = "IMG_20230215_0932.jpg"
FOUND = {  # (unit, day): (problem id, notes)
    ("上王村", dt.date(2022, 12, 13)): (
        "WT-2022-001",
        "上王村南山沟发现新开挖采坑一处，有私挖石料痕迹，已拍照取证并报镇政府。",
    ),
    ("南阳村", dt.date(2022, 12, 21)): ("WT-2022-002", "南阳村3号废弃矿口封堵墙被掏开一角，已登记并报镇政府。"),
    ("东郭镇", dt.date(2023, 3, 8)): ("WT-2023-003", "乡级排查发现磨窝村废弃矿口周边护栏损毁、警示牌缺失。"),
    ("金井村", dt.date(2023, 3, 28)): ("WT-2023-004", "金井村西沟发现夜间私挖痕迹和车辙，已报乡政府。"),
}


def date_cell(day: dt.date) -> object:
    return f"{day.year}年{day.month}月{day.day}日" if day in TEXT_DATES else day


def patrols() -> list[list[object]]:
    """区级巡查 in December and twice in Q1, 乡级排查 monthly per township, 村级排查 weekly per village."""
    rows: list[list[object]] = []
    seq = 0

    def add(day, unit, team, areas, leader, members, notes, **extra):
        nonlocal seq
        seq += 1
        found = extra.get("ids")
        rows.append(
            [f"XC{seq:04d}", extra.get("date_text", date_cell(day)), unit, team, areas, extra.get("time", "09:00"),
             leader, members, extra.get("signer", leader), "是" if found else "否", found, notes,
             extra.get("photo", f"IMG_{day:%Y%m%d}_{seq:04d}.jpg")]
        )  # fmt: skip

    district = [
        (dt.date(2022, 12, 7), "上王村、东郭村、金井村"),
        (dt.date(2023, 2, 22), "上王村、下王村、社东村"),
        (dt.date(2023, 3, 14), "东郭村、南阳村、磨窝村"),  # planted: no 区级巡查 reaches 金井乡 in 2023-Q1
    ]
    for day, areas in district:
        add(day, "盐湖区", "区级巡查", areas, "薛文斌", "卫东升、郭振华、柴晓燕",
            f"{day.month}月{day.day}日区级巡查{areas}，查看重点矿区及废弃矿口封堵情况，听取乡镇排查整治工作汇报。",
            time="08:30")  # fmt: skip
    for township, (leader, members, villages) in TOWNSHIPS.items():
        for day in TOWNSHIP_DAYS[township]:
            problem = FOUND.get((township, day))
            notes = (
                problem[1]
                if problem
                else f"{day.month}月{day.day}日{township}乡级排查，逐村检查采坑回填和矿口封堵，均已落实。"
            )
            add(day, township, "乡级排查", "、".join(villages), leader, members, notes, time="14:30",
                ids=problem[0] if problem else None)  # fmt: skip
    # planted bad row: a February 乡级排查 entered afterwards with an impossible date
    add(dt.date(2023, 2, 28), "东郭镇", "乡级排查", "南阳村、磨窝村", "吉晓峰", "东郭镇综治办贾亮",
        "补录2月下旬复查情况。", date_text="2023年2月29日", time="15:00")  # fmt: skip
    monday = FIRST_WEEK
    while monday <= LAST_WEEK:
        for _, _, villages in TOWNSHIPS.values():
            for index, village in enumerate(villages):
                day = monday + dt.timedelta(days=1 + index)
                if village == "南阳村" and day.isocalendar()[1] == 4:
                    continue  # planted: no 村级排查 in 南阳村 in the Spring Festival week 2023-W04
                problem = FOUND.get((village, day))
                notes = (
                    problem[1]
                    if problem
                    else f"{day.month}月{day.day}日对{village}辖区山体、沟道及废弃矿口逐一排查，未发现私挖盗采、非法运输等情况。"
                )
                photo = REUSED_PHOTO if (village, day) == ("下王村", dt.date(2023, 2, 15)) else None
                extra = {"photo": photo} if photo else {}
                add(day, village, "村级排查", village, SECRETARY[village], GRID_MEMBER[village], notes,
                    ids=problem[0] if problem else None, **extra)  # fmt: skip
        monday += dt.timedelta(days=7)
    return rows


def main() -> None:
    HERE.mkdir(exist_ok=True)
    write(
        HERE,
        "盐湖区单位名册.xlsx",
        "盐湖区非法违法采矿隐患排查整治行动单位名册",
        UNIT_HEADERS,
        [list(u) for u in UNITS],
    )
    write(
        HERE,
        "责任人名册.xlsx",
        "盐湖区排查整治行动责任人名册",
        PEOPLE_HEADERS,
        [list(p) for p in PEOPLE],
    )
    write(
        HERE,
        "巡查台账.xlsx",
        "盐湖区非法违法采矿巡查排查台账（2022年12月—2023年3月）",
        ["巡查编号", "巡查日期", "巡查单位", "巡查类型", "巡查区域", "开始时间", "带队人", "参与人员", "签字人",
         "是否发现问题", "问题编号", "巡查情况", "现场照片"],
        patrols(),
    )  # fmt: skip
    write(
        HERE,
        "问题整改台账.xlsx",
        "非法违法采矿问题隐患整改台账",
        ["问题编号", "发现日期", "问题来源", "所属乡镇", "所在村", "问题类型", "问题描述", "整改要求", "责任单位",
         "责任人", "整改时限", "整改状态", "销号日期"],
        [
            ["WT-2022-001", dt.date(2022, 12, 13), "排查", "解州镇", "上王村", "私挖盗采", "上王村南山沟新开挖采坑一处", "立即制止，回填采坑，设置警示牌", "解州镇", "李红军", dt.date(2022, 12, 31), "已销号", dt.date(2022, 12, 24)],
            ["WT-2022-002", dt.date(2022, 12, 21), "排查", "东郭镇", "南阳村", "封堵不到位", "南阳村3号废弃矿口封堵墙被掏开", "重新浆砌封堵并回填", "东郭镇", "吉晓峰", dt.date(2023, 1, 10), "已销号", "2023年1月6日"],
            ["WT-2023-001", dt.date(2023, 1, 10), "卫片", "金井乡", "宋家村", "非法开采", "卫片图斑TB-2022Q4-04处无证开采石料", "停止开采，清运设备，复绿", "金井乡", "任海燕", dt.date(2023, 2, 28), "已销号", dt.date(2023, 2, 27)],
            ["WT-2023-002", dt.date(2023, 2, 16), "举报", "解州镇", "社东村", "非法开采", "群众举报社东村北坡夜间开采", "依法查处，回填采坑", "解州镇", "李红军", dt.date(2023, 3, 15), "已整改", dt.date(2023, 3, 13)],
            # planted: still open at the end of the action
            ["WT-2023-003", dt.date(2023, 3, 8), "排查", "东郭镇", "磨窝村", "安全隐患", "磨窝村废弃矿口护栏损毁、警示牌缺失", "修复护栏，补设警示牌", "东郭镇", "吉晓峰", dt.date(2023, 4, 15), "整改中", None],
            # planted: open, and no deadline or responsible person written
            ["WT-2023-004", dt.date(2023, 3, 28), "排查", "金井乡", "金井村", "私挖盗采", "金井村西沟夜间私挖痕迹", "回填采坑，加强夜间巡查", "金井乡", None, None, "未整改", None],
        ],
    )  # fmt: skip
    write(
        HERE,
        "卫片图斑台账.xlsx",
        "盐湖区卫片执法图斑核查台账",
        ["图斑编号", "期次", "乡镇", "地块编号", "经度", "纬度", "变化类型", "开采迹象", "合法性判定", "举证照片",
         "有证矿山", "实地核查", "疑似问题"],
        [
            ["TB-2022Q4-01", "2022年第4季度", "解州镇", "DK140802-0107", 110.9120, 34.9050, "开采", "是", "违法", "TB-2022Q4-01_现场.jpg", "否", "是", "是"],
            ["TB-2022Q4-02", "2022年第4季度", "东郭镇", "DK140802-0215", 111.0412, 34.9731, "开采", "是", "合法", "TB-2022Q4-02_现场.jpg", "是", "是", "否"],
            # planted: about 30 m north of TB-2022Q4-02, judged the other way
            ["TB-2022Q4-03", "2022年第4季度", "东郭镇", "DK140802-0216", 111.0412, 34.97337, "开采", "是", "违法", "TB-2022Q4-03_现场.jpg", "否", "是", "是"],
            ["TB-2022Q4-04", "2022年第4季度", "金井乡", "DK140802-0331", 111.0830, 34.9510, "开采", "是", "违法", "TB-2022Q4-04_现场.jpg", "否", "是", "是"],
            # planted: mining signs, filled in as a natural disaster
            ["TB-2023Q1-01", "2023Q1", "解州镇", "DK140802-0112", 110.9350, 34.9210, "自然灾害", "是", "其他", "TB-2023Q1-01_现场.jpg", "否", "是", "否"],
            # planted: the evidence photo is a 下王村 patrol photo
            ["TB-2023Q1-02", "2023Q1", "解州镇", "DK140802-0118", 110.9580, 34.9310, "工程建设", "否", "合法", REUSED_PHOTO, "否", "是", "否"],
            # planted: a licensed mine's patch checked on the image only
            ["TB-2023Q1-03", "2023Q1", "金井乡", "DK140802-0342", 111.1020, 34.9620, "开采", "是", "合法", "TB-2023Q1-03_影像.jpg", "是", "否", "否"],
            ["TB-2023Q1-04", "2023Q1", "东郭镇", "DK140802-0221", 111.0610, 34.9880, "伪变化", "否", "其他", "TB-2023Q1-04_现场.jpg", "否", "是", "否"],
            ["TB-2023Q1-05", "2023Q1", "东郭镇", "DK140802-0226", 111.0220, 34.9950, "自然灾害", "否", "其他", "TB-2023Q1-05_现场.jpg", "否", "是", "否"],
        ],
    )  # fmt: skip
    write(
        HERE,
        "报送记录.xlsx",
        "排查整治行动材料报送记录（区领导小组办公室）",
        ["编号", "报送单位", "报送事项", "所属期", "报送日期"],
        [
            ["BS-001", "盐湖区", "实施方案", "2022-12", dt.date(2022, 12, 5)],
            ["BS-002", "解州镇", "具体举措", "2022-12", dt.date(2022, 12, 9)],
            ["BS-003", "金井乡", "具体举措", "2022-12", dt.date(2022, 12, 12)],
            ["BS-004", "北城街道", "具体举措", "2022-12", dt.date(2022, 12, 13)],
            ["BS-005", "东郭镇", "具体举措", "2022-12", dt.date(2022, 12, 19)],  # planted: four days late
            ["BS-006", "解州镇", "八个一批情况", "2022-12", dt.date(2022, 12, 28)],
            ["BS-007", "东郭镇", "八个一批情况", "2022-12", dt.date(2022, 12, 29)],
            ["BS-008", "金井乡", "八个一批情况", "2022-12", "2022年12月30日"],
            ["BS-009", "解州镇", "工作总结", "2022-12", dt.date(2022, 12, 29)],
            ["BS-010", "东郭镇", "工作总结", "2022-12", dt.date(2022, 12, 30)],
            ["BS-011", "北城街道", "工作总结", "2022-12", dt.date(2022, 12, 30)],
            ["BS-012", "金井乡", "工作总结", "2022-12", dt.date(2023, 1, 6)],  # planted: late
        ],
    )  # fmt: skip
    write(
        HERE,
        "八个一批.xlsx",
        "“八个一批”情况统计表",
        ["单位", "整改一批重大隐患", "打击一批非法违法行为", "查处一批违规违章企业", "关闭一批不具备安全生产条件的企业",
         "曝光一批典型案例", "问责一批责任措施不落实的单位", "推广一批先进典型", "出台一批制度成果"],
        [
            ["解州镇", 2, 3, 1, 1, 1, 0, 1, 2],
            ["东郭镇", 1, 2, 0, 1, 1, 0, None, None],  # planted: the last two left empty
            ["金井乡", 1, 1, 1, 0, 0, 1, 0, 1],
            ["盐湖区", 4, 6, 2, 2, 2, 1, 1, 4],
        ],
    )  # fmt: skip
    write(
        HERE,
        "举报线索台账.xlsx",
        "非法违法采矿举报线索及奖励兑现台账",
        ["线索编号", "受理日期", "受理单位", "经办人", "涉及乡镇", "涉及村", "核查结果", "核实日期", "是否立案",
         "奖励金额(元)", "兑现日期"],
        [
            ["JB-2022-001", dt.date(2022, 12, 6), "市规划和自然资源局盐湖分局", "景佳琪", "解州镇", "上王村", "属实", dt.date(2022, 12, 13), "是", 3000, dt.date(2022, 12, 30)],
            ["JB-2022-002", dt.date(2022, 12, 19), "市规划和自然资源局盐湖分局", "景佳琪", "东郭镇", "东郭村", "不属实", dt.date(2022, 12, 23), "否", 0, None],
            ["JB-2023-001", dt.date(2023, 1, 5), "市规划和自然资源局盐湖分局", "P011", "金井乡", "宋家村", "属实", dt.date(2023, 1, 10), "是", "3,000元", "2023年2月10日"],
            # planted: verified, amount set, never paid
            ["JB-2023-002", dt.date(2023, 2, 14), "运城市公安局盐湖分局", "姚磊", "解州镇", "社东村", "属实", dt.date(2023, 2, 16), "是", 2000, None],
            ["JB-2023-003", dt.date(2023, 3, 22), "市规划和自然资源局盐湖分局", "景佳琪", "东郭镇", "磨窝村", "核查中", None, None, None, None],
        ],
    )  # fmt: skip
    write(
        HERE,
        "案件台账.xlsx",
        "非法违法采矿案件查处台账",
        ["案件编号", "立案日期", "乡镇", "村", "违法类型", "是否大案要案", "当事人", "是否涉嫌犯罪", "移送公安日期",
         "是否涉及保护伞/失职渎职线索", "移送纪委监委日期"],
        [
            ["AJ-2022-001", dt.date(2022, 12, 16), "解州镇", "上王村", "非法采矿", "否", "张某军、李某平", "是", dt.date(2022, 12, 27), "否", None],
            ["AJ-2023-001", dt.date(2023, 1, 12), "金井乡", "宋家村", "无证开采", "否", "运城市某某石料有限公司；宋某刚", "否", None, "否", None],
            # planted: one party (刘某) not on the blacklist
            ["AJ-2023-002", dt.date(2023, 1, 18), "东郭镇", "南阳村", "破坏封堵设施", "否", "王某平、刘某", "否", None, "否", None],
            # planted: suspected crime, not transferred to the police
            ["AJ-2023-003", dt.date(2023, 2, 20), "解州镇", "社东村", "非法采矿", "否", "畅某亮", "是", None, "否", None],
            ["AJ-2023-004", dt.date(2023, 3, 6), "金井乡", "金井村", "非法采矿", "否", "董某", "否", None, "是", dt.date(2023, 3, 21)],
        ],
    )  # fmt: skip
    write(
        HERE,
        "黑名单.xlsx",
        "参与非法违法采矿企业及个人“黑名单”",
        ["名称", "列入日期"],
        [
            ["张某军", dt.date(2022, 12, 28)],
            ["李某平", dt.date(2022, 12, 28)],
            ["运城市某某石料有限公司", dt.date(2023, 1, 20)],
            ["宋某刚", dt.date(2023, 1, 20)],
            ["王某平", dt.date(2023, 1, 30)],
            ["畅某亮", dt.date(2023, 2, 28)],
            ["董某", dt.date(2023, 3, 15)],
        ],
    )


if __name__ == "__main__":
    main()

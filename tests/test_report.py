"""The output writers: findings.json, referrals.json, findings.csv, report.xlsx, report.html, console summary."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import pickle
import re
import sys
import time
import unicodedata
from functools import partial

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from accountability import processes
from accountability.errors import AccountabilityError
from accountability.report import labels, outputs, tables
from accountability.report.letters import letter_paths, safe_name
from accountability.report.outputs import write_outputs
from accountability.report.pages import render_html
from accountability.report.summary import summary_text
from accountability.tuning import Tuning

PAGED = Tuning(page_people=1)  # report.html and two pages of referred people
APART = Tuning(write_apart=True, write_apart_from=1)
PAGED_APART = Tuning(page_people=1, write_apart=True, write_apart_from=1)
ALL_FILES = {"findings.json", "referrals.json", "findings.csv", "report.xlsx", "report.html"}
LETTER_FILES = {"letters/001-李四.html", "letters/002-张三.html", "letters/index.html", "letters/all.html"}
REQUIRED_SHEETS = ["问题清单", "责任追究", "进度", "数据错误"]
EXTRA_SHEETS = ["人工核查", "审计参数"]
ALL_SHEETS = ["问题清单", "待核实", "责任追究", "进度", "数据错误", "问题线索", "已整改", "人工核查", "审计参数"]
PATROL_QUOTE = "涉矿乡镇和林场要配强日常巡查队的力量，每周开展日常巡查不少于3次"


def _finding(**overrides):
    base = {
        "rule": "HJ-PATROL-WEEKLY",
        "pack": "hongjiang-2025",
        "clause": "三(一)1",
        "title": "涉矿乡镇每周日常巡查不少于3次",
        "quote": PATROL_QUOTE,
        "severity": "medium",
        "unit": "T01",
        "unit_name": "雪峰镇",
        "period": "2025-W36",
        "record": "",
        "message": "雪峰镇 2025-W36 日常巡查 2 天，少于 3 天",
        "expected": "≥3",
        "actual": "2",
        "evidence": [
            {"ledger": "patrols", "file": "巡查台账.xlsx", "sheet": "Sheet1", "row": 14, "id": "XC-0012"},
            {"ledger": "patrols", "file": "巡查台账.xlsx", "sheet": "Sheet1", "row": 15, "id": "XC-0013"},
        ],
        "responsible": ["P001"],
        "responsible_names": ["张三"],
    }
    base.update(overrides)
    return base


@pytest.fixture
def doc():
    return {
        "audit": {
            "program": "accountability",
            "version": "0.1.0",
            "generated_at": "2025-10-01T08:00:00",
            "from": "2025-08-01",
            "as_of": "2025-09-30",
            "ledger_set": "hongjiang-2025",
            "ledger_path": "examples/hongjiang-2025",
            "top_unit": {"id": "HJ", "name": "洪江市"},
            "packs": [
                {
                    "id": "hongjiang-2025",
                    "title": "洪江市非煤矿山领域“打非治违”工作实施方案",
                    "issuer": "洪江市人民政府办公室",
                    "version": "1",
                    "effective_from": "2025-08-01",
                    "effective_to": None,
                    "params": {"weekly_patrol_days": 3, "hotline_units": ["T01", "T02"]},
                }
            ],
            "ledgers": [
                {
                    "ledger": "patrols",
                    "title": "巡查台账",
                    "file": "巡查台账.xlsx",
                    "sheet": "Sheet1",
                    "sha256": "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12",
                    "rows_read": 120,
                    "rows_used": 118,
                    "rows_rejected": 2,
                    "extra_headers": [],
                },
                {
                    "ledger": "units",
                    "title": "单位名册",
                    "file": "单位名册.xlsx",
                    "sheet": "Sheet1",
                    "sha256": "ff00",
                    "rows_read": 5,
                    "rows_used": 5,
                    "rows_rejected": 0,
                    "extra_headers": ["备注"],
                },
            ],
            "missing_ledgers": ["cases"],
            "file_problems": [{"file": "说明.docx", "sheet": None, "message": "不是台账文件", "fix": "请移出台账目录"}],
            "provisional": False,
        },
        "findings": [
            _finding(
                rule="INT-FAKE-PATROL",
                clause="五(三)",
                title="巡查记录弄虚作假",
                quote="弄虚作假的……严肃追责问责",
                severity="high",
                unit="T02",
                unit_name="龙船塘乡",
                period="",
                record="XC-0099",
                message='巡查记录 <script>alert("x")</script> 与 & 轨迹不符',
                expected="有轨迹",
                actual='=HYPERLINK("evil")',
                evidence=[
                    {"ledger": "patrols", "file": "巡查台账.xlsx", "sheet": "Sheet1", "row": 101, "id": "XC-0099"}
                ],
                responsible=["P002", "P003"],
                responsible_names=["李四", "王五"],
            ),
            _finding(),
            _finding(
                period="2025-W37",
                message="雪峰镇 2025-W37 日常巡查 1 天，少于 3 天",
                actual="1",
                evidence=[{"ledger": "patrols", "file": "巡查台账.csv", "sheet": None, "row": 30, "id": ""}],
            ),
            _finding(
                rule="HJ-TIP-RECORD",
                clause="三(二)4",
                title="举报线索应登记办理结果",
                quote="对群众举报线索要逐条登记、限时办结",
                severity="low",
                unit="T02",
                unit_name="龙船塘乡",
                period="",
                record="JB-007",
                message="举报线索 JB-007 未登记办理结果",
                expected="已登记",
                actual="",
                evidence=[],
                responsible=[],
                responsible_names=["赵六"],
            ),
        ],
        "progress": [
            {
                "rule": "HJ-NEW-ADITS",
                "pack": "hongjiang-2025",
                "title": "新发现矿硐封堵",
                "unit": "T01",
                "unit_name": "雪峰镇",
                "target": 10,
                "actual": 6,
                "deadline": "2025-12-31",
            }
        ],
        "manual": [
            {
                "rule": "HJ-MANUAL-SIGNS",
                "pack": "hongjiang-2025",
                "clause": "三(一)2",
                "title": "矿区设置警示标志",
                "quote": "在废弃矿硐处设置警示标志",
            }
        ],
        "data_errors": [
            {
                "ledger": "patrols",
                "file": "巡查台账.xlsx",
                "sheet": "Sheet1",
                "row": 15,
                "column": "巡查日期",
                "value": "2025-02-30",
                "reason": "无法识别的日期",
                "fix": "请写成 2025-09-03 或 2025年9月3日",
                "rejected": True,
            },
            {
                "ledger": "patrols",
                "file": "巡查台账.xlsx",
                "sheet": "Sheet1",
                "row": 77,
                "column": "巡查人员",
                "value": "赵六",
                "reason": "名册中没有此人",
                "fix": "请先在责任人名册中登记",
                "rejected": False,
            },
        ],
    }


@pytest.fixture
def referrals():
    return [
        {
            "person": "P002",
            "name": "李四",
            "unit": "T02",
            "unit_name": "龙船塘乡",
            "position": "乡长",
            "disposition": "discipline",
            "reason": "巡查记录弄虚作假",
            "findings": [
                {
                    "rule": "INT-FAKE-PATROL",
                    "unit": "T02",
                    "period": "",
                    "record": "XC-0099",
                    "clause": "五(三)",
                    "severity": "high",
                }
            ],
        },
        {
            "person": "P001",
            "name": "张三",
            "unit": "T01",
            "unit_name": "雪峰镇",
            "position": "镇长",
            "disposition": "interview",
            "reason": "连续两周巡查不足",
            "findings": [
                {"rule": "HJ-PATROL-WEEKLY", "unit": "T01", "period": p, "record": "", "clause": "三(一)1"}
                for p in ("2025-W36", "2025-W37")
            ],
        },
    ]


@pytest.fixture
def empty_doc(doc):
    empty = copy.deepcopy(doc)
    empty["findings"], empty["progress"], empty["manual"], empty["data_errors"] = [], [], [], []
    empty["audit"].update(ledgers=[], missing_ledgers=[], file_problems=[], packs=[])
    return empty


def test_all_files_written(tmp_path, doc, referrals):
    out = tmp_path / "out" / "nested"
    written = write_outputs(doc, referrals, out)
    assert {p.relative_to(out).as_posix() for p in written} == ALL_FILES | LETTER_FILES
    assert {p.name for p in out.iterdir()} == ALL_FILES | {"letters"}  # no temporary files left behind
    assert {f"letters/{p.name}" for p in (out / "letters").iterdir()} == LETTER_FILES
    assert all(p.stat().st_size > 0 for p in written)


def test_formats_subset_and_unknown(tmp_path, doc, referrals):
    written = write_outputs(doc, referrals, tmp_path, formats=["csv"])
    assert [p.name for p in written] == ["findings.csv"]
    with pytest.raises(AccountabilityError, match="pdf"):
        write_outputs(doc, referrals, tmp_path, formats=["pdf"])
    with pytest.raises(AccountabilityError):
        write_outputs(doc, referrals, tmp_path, lang="fr")


def test_json_round_trip(tmp_path, doc, referrals):
    write_outputs(doc, referrals, tmp_path, formats=["json"])
    text = (tmp_path / "findings.json").read_text(encoding="utf-8")
    assert "雪峰镇" in text  # ensure_ascii=False
    assert json.loads(text) == doc
    assert json.loads((tmp_path / "referrals.json").read_text(encoding="utf-8")) == referrals


def test_csv_bom_headers_and_rows(tmp_path, doc, referrals):
    write_outputs(doc, referrals, tmp_path, formats=["csv"])
    raw = (tmp_path / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(table) == len(doc["findings"])
    assert list(table.columns) == list(labels.columns("findings").values())
    first = table.iloc[0]
    assert first["严重程度"] == "高"
    assert first["单位"] == "龙船塘乡"
    assert first["责任人"] == "李四(P002)、王五(P003)"
    assert first["证据（台账行）"] == "巡查台账.xlsx/Sheet1 第101行 (XC-0099)"
    assert first["实际"].startswith("'=")  # Excel must not run ledger text as a formula
    assert (
        table.iloc[1]["证据（台账行）"]
        == "巡查台账.xlsx/Sheet1 第14行 (XC-0012)；巡查台账.xlsx/Sheet1 第15行 (XC-0013)"
    )
    assert table.iloc[2]["证据（台账行）"] == "巡查台账.csv 第30行"
    assert table.iloc[3]["证据（台账行）"] == ""
    assert table.iloc[3]["责任人"] == "赵六（责任人名册无此人）"  # a name the register lacks is kept, marked


def test_xlsx_column_width_counts_wide_characters_twice_on_the_first_line(tmp_path, doc, referrals):
    doc = copy.deepcopy(doc)
    doc["findings"][0]["message"] = "问题清单" * 5 + "ab"  # 20 CJK characters and 2 letters: 42 wide
    for finding in doc["findings"]:
        finding["actual"] = "ab\n" + "x" * 80  # only the first line counts: 2 wide, less than the header 实际 (4)
    write_outputs(doc, referrals, tmp_path, formats=["xlsx"])
    ws = load_workbook(tmp_path / "report.xlsx")["问题清单"]
    columns = list(labels.columns("findings"))
    message, actual = (chr(ord("A") + columns.index(key)) for key in ("message", "actual"))
    padding = 2 + 0.7109375  # two characters of margin, and Excel's cell padding as openpyxl reads it back
    assert ws.column_dimensions[message].width == pytest.approx(42 + padding)
    assert ws.column_dimensions[actual].width == pytest.approx(6 + 0.7109375)  # 4 + 2, at the minimum of 6


def test_csv_empty_findings_has_headers(tmp_path, empty_doc):
    write_outputs(empty_doc, [], tmp_path, formats=["csv"])
    table = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig")
    assert table.empty
    assert "问题描述" in table.columns


def test_xlsx_sheets_rows_and_layout(tmp_path, doc, referrals):
    write_outputs(doc, referrals, tmp_path, formats=["xlsx"])
    path = tmp_path / "report.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ALL_SHEETS
    for name in REQUIRED_SHEETS + EXTRA_SHEETS[:1]:
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws.cell(row=1, column=1).font.bold
    findings_ws = wb["问题清单"]
    assert findings_ws.column_dimensions["A"].width >= 6
    actual_col = list(labels.columns("findings")).index("actual") + 1
    formula_cell = findings_ws.cell(row=2, column=actual_col)
    assert formula_cell.data_type == "s"  # stored as text, not a formula
    assert all(cell.value != "" for row in findings_ws.iter_rows() for cell in row)  # empty text: a blank cell
    assert {cell.data_type for cell in wb["责任追究"]["K"][1:]} == {"n"}  # 涉及问题数, a number
    assert wb["进度"]["H1"].value == "完成率" and wb["进度"]["H2"].number_format == "0.0%"

    sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="calamine")
    assert len(sheets["问题清单"]) == 4
    assert len(sheets["责任追究"]) == 2
    assert len(sheets["进度"]) == 1
    assert len(sheets["数据错误"]) == 2
    assert len(sheets["人工核查"]) == 1
    assert sheets["问题清单"]["证据（台账行）"].iloc[0] == "巡查台账.xlsx/Sheet1 第101行 (XC-0099)"
    referral = sheets["责任追究"].iloc[1]
    assert referral["处置方式"] == "约谈"
    assert referral["涉及问题数"] == "2"
    assert referral["涉及问题"] == "HJ-PATROL-WEEKLY 雪峰镇 2025-W36；HJ-PATROL-WEEKLY 雪峰镇 2025-W37"
    assert sheets["责任追究"].iloc[0]["处置方式"] == "移交纪检监察机关"
    assert sheets["数据错误"]["行号"].tolist() == ["15", "77"]
    assert sheets["数据错误"]["是否剔除"].tolist() == ["是", "否"]
    assert sheets["数据错误"]["台账"].tolist() == ["巡查台账", "巡查台账"]
    audit_values = sheets["审计参数"].to_string()
    assert "hongjiang-2025" in audit_values
    assert "weekly_patrol_days" in audit_values
    assert "案件台账" in audit_values  # the missing ledger, by its title


def test_xlsx_empty_doc(tmp_path, empty_doc):
    write_outputs(empty_doc, [], tmp_path, formats=["xlsx"])
    sheets = pd.read_excel(tmp_path / "report.xlsx", sheet_name=None, engine="calamine")
    assert list(sheets) == ALL_SHEETS
    assert all(sheets[name].empty for name in [*REQUIRED_SHEETS, "已整改", "问题线索"])
    assert "问题描述" in sheets["问题清单"].columns


def test_html_content_and_escaping(tmp_path, doc, referrals):
    write_outputs(doc, referrals, tmp_path, formats=["html"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "洪江市非煤矿山领域“打非治违”工作实施方案" in html
    for text in ("雪峰镇", "龙船塘乡", "日常巡查 2 天，少于 3 天", "巡查台账.xlsx", "第14行", "第101行", "XC-0012"):
        assert text in html
    assert "张三" in html and "李四" in html and "王五" in html
    assert '赵六<span class="muted">（责任人名册无此人）</span>' in html
    assert "移交纪检监察机关" in html and "约谈" in html
    assert "6 / 10" in html
    assert "2025-02-30" in html and "无法识别的日期" in html
    assert 'class="box"' in html and "矿区设置警示标志" in html
    assert "案件台账" in html and "说明.docx" in html
    assert "ab12cd34ef56" in html and "weekly_patrol_days" in html
    # escaping: the message's markup is shown as text, never executed
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    assert "&amp; 轨迹" in html
    # self-contained: nothing fetched from the network
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(link|img|iframe)\b", html)
    assert "@media print" in html


def test_html_limits_detail_per_rule(doc, referrals):
    many = [
        _finding(unit=f"T{i % 3:02d}", unit_name=f"第{i % 3}镇", period=f"2025-W{i:02d}", message=f"第{i}条")
        for i in range(30)
    ]
    big = dict(doc, findings=many)
    html = render_html(big, referrals, detail_limit=6)
    shown = re.findall(r"<td>第(\d+)条</td>", html)
    assert len(shown) == 6
    # spread over the units: each unit shows two, not the first unit six
    assert sorted(int(i) % 3 for i in shown) == [0, 0, 1, 1, 2, 2]
    assert "另有 8 条问题未在本页逐条列出" in html
    assert "findings.csv" in html


def test_html_empty(tmp_path, empty_doc):
    write_outputs(empty_doc, [], tmp_path, formats=["html"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "未发现问题" in html
    assert "无责任追究建议" in html


def test_english_labels(tmp_path, doc, referrals):
    write_outputs(doc, referrals, tmp_path, lang="en")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'lang="en"' in html
    assert "Findings" in html and "Accountability referrals" in html and "Manual checklist" in html
    assert "row 14" in html
    table = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert table["Severity"].tolist() == ["high", "medium", "medium", "low"]
    assert table["Evidence (ledger rows)"].iloc[0] == "巡查台账.xlsx/Sheet1 row 101 (XC-0099)"
    assert load_workbook(tmp_path / "report.xlsx").sheetnames == ALL_SHEETS
    text = summary_text(doc, referrals, tmp_path, lang="en")
    assert "Findings: 4" in text and "Referrals: 2 people" in text


def test_labels_cover_both_languages():
    assert labels.severity_labels() == {"high": "高", "medium": "中", "low": "低"}
    assert labels.disposition_labels() == {
        "reminder": "提醒",
        "interview": "约谈",
        "notice": "通报批评",
        "discipline": "移交纪检监察机关",
        "judicial": "移送司法机关",
    }
    assert set(labels.text("zh")) == set(labels.text("en"))
    placeholders = re.compile(r"\{(\w*)\}")
    for key, zh in labels.text("zh").items():
        assert set(placeholders.findall(zh)) == set(placeholders.findall(labels.text("en")[key])), key


def test_summary_text(tmp_path, doc, referrals):
    write_outputs(doc, referrals, tmp_path, formats=["json", "html"])
    text = summary_text(doc, referrals, tmp_path)
    assert "2025-08-01 至 2025-09-30" in text
    assert "问题 4 条：高 1，中 2，低 1" in text
    assert "HJ-PATROL-WEEKLY" in text
    assert "责任追究 2 人：移交纪检监察机关 1，约谈 1" in text
    assert "巡查台账（巡查台账.xlsx）：读取 120 行，剔除 2 行" in text
    assert "单位名册（单位名册.xlsx）" not in text  # ledgers without rejected rows stay off the screen
    assert "缺少台账：案件台账（cases）" in text
    assert str(tmp_path) in text and "report.html" in text
    assert len(text.splitlines()) <= 30


def test_summary_text_empty(empty_doc):
    text = summary_text(empty_doc, [], None)
    assert "问题：0 条" in text and "责任追究：无" in text
    assert "输出目录" not in text


def test_minimal_records_are_enough(tmp_path):
    """Only the keys docs/interface.md promises: no names, quotes, sheets or optional audit fields."""
    doc = {
        "audit": {"from": "2025-08-01", "as_of": "2025-09-30"},
        "findings": [
            {
                "rule": "R1",
                "severity": "high",
                "unit": "T01",
                "message": "缺少记录",
                "evidence": [{"ledger": "patrols", "row": 3}],
                "responsible": ["P9"],
            }
        ],
    }
    referrals = [{"person": "P9", "disposition": "judicial"}]
    written = write_outputs(doc, referrals, tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == ALL_FILES | {
        "letters/001-P9.html",
        "letters/index.html",
        "letters/all.html",
    }
    assert "<h1>案件移送函</h1>" in (tmp_path / "letters" / "001-P9.html").read_text(encoding="utf-8")
    table = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert table.iloc[0]["证据（台账行）"] == "patrols 第3行"
    assert table.iloc[0]["责任人"] == "P9"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "缺少记录" in html and "移送司法机关" in html
    assert "移送司法机关 1" in summary_text(doc, referrals, None)


# --- tracking, referral letters, the new sheets ---------------------------------------------------------------

BASIS = "HJ 五(三)“建立重大问题追责问责机制”"


@pytest.fixture
def tracked(doc, referrals):
    """The fixture audit as a second audit: compared with 2025-09-23, one finding still open, one relapsed, one put
    right; the referrals with how their dispositions were reached."""
    doc = copy.deepcopy(doc)
    doc["audit"]["history"] = {"previous": [{"pack": "hongjiang-2025", "as_of": "2025-09-23", "generated_at": "x"}]}
    statuses = [("new", "2025-09-30", True), ("persisting", "2025-09-23", False), ("new", "2025-09-30", False)]
    statuses.append(("new", "2025-09-30", False))
    for f, (status, first_seen, relapse) in zip(doc["findings"], statuses, strict=True):
        f.update(status=status, first_seen=first_seen, relapse=relapse)
    doc["resolved"] = [
        {
            "rule": "HJ-ADIT-FIELDS",
            "pack": "hongjiang-2025",
            "title": "矿硐台账字段齐全",
            "severity": "medium",
            "unit": "T01",
            "unit_name": "雪峰镇",
            "period": "",
            "record": "XF-KD-002",
            "message": "XF-KD-002：未填写责任人",
            "first_seen": "2025-09-16",
            "last_seen": "2025-09-23",
        }
    ]
    referrals = copy.deepcopy(referrals)
    referrals[0].update(base="discipline", step_ups=[], basis=BASIS)
    referrals[1].update(
        base="reminder", step_ups=[{"id": "persisting", "label": "上次检查已发现、本次仍未整改"}], basis=BASIS
    )
    for f, status in zip(referrals[1]["findings"], ("persisting", "new"), strict=True):
        f.update(status=status, disposition="interview" if status == "persisting" else "reminder")
        f["step_ups"] = ["persisting"] if status == "persisting" else []
    return doc, referrals


def _section(html: str, name: str) -> str:
    return html.split(f'<section id="{name}">', 1)[1].split("</section>", 1)[0]


def test_letter_field_only_with_html(tmp_path, doc, referrals):
    original = copy.deepcopy(referrals)
    write_outputs(doc, referrals, tmp_path / "a", formats=["json", "html"])
    written = json.loads((tmp_path / "a" / "referrals.json").read_text(encoding="utf-8"))
    assert [r["letter"] for r in written] == ["letters/001-李四.html", "letters/002-张三.html"]
    assert referrals == original  # the caller's referrals are left as they were
    write_outputs(doc, referrals, tmp_path / "b", formats=["json", "xlsx"])
    assert not any("letter" in r for r in json.loads((tmp_path / "b" / "referrals.json").read_text(encoding="utf-8")))
    assert not (tmp_path / "b" / "letters").exists()


def test_letters_of_an_earlier_audit_are_removed(tmp_path, doc, referrals):
    write_outputs(doc, referrals, tmp_path, formats=["html"])
    (tmp_path / "letters" / "说明.txt").write_text("inspector's note", encoding="utf-8")
    write_outputs(doc, referrals[:1], tmp_path, formats=["html"])
    assert sorted(p.name for p in (tmp_path / "letters").iterdir()) == [
        "001-李四.html", "all.html", "index.html", "说明.txt",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "safe"),
    [("张三", "张三"), ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"), ("CON", "_CON"), ("nul.txt", "_nul.txt"),
     ("李四. ", "李四"), ("x" * 80, "x" * 60)],
)  # fmt: skip
def test_letter_file_names_are_safe_on_windows(name, safe):
    assert safe_name(name) == safe


def test_letter_paths_number_every_referral():
    people = [{"name": "张三"}, {"person": "P9"}, {}, {"name": "a/b"}]
    assert letter_paths(people) == ["letters/001-张三.html", "letters/002-P9.html", "letters/003-未具名.html",
                                    "letters/004-a_b.html"]  # fmt: skip


def test_letter_content(tmp_path, tracked):
    doc, referrals = tracked
    write_outputs(doc, referrals, tmp_path, formats=["html"])
    html = (tmp_path / "letters" / "002-张三.html").read_text(encoding="utf-8")
    assert '<p class="issuer">洪江市“打非治违”工作领导小组办公室</p>' in html
    assert "<h1>约谈通知书</h1>" in html and '<p class="number">洪江市打非办〔2025〕2号</p>' in html
    assert '<p class="to">雪峰镇：</p>' in html and "<p>2025年9月30日</p>" in html
    assert f"依据{BASIS}，决定对雪峰镇镇长张三进行约谈" in html
    assert '<strong class="disposition disp-interview">约谈</strong>' in html
    assert "（基础处置 提醒，上调情形：上次检查已发现、本次仍未整改）" in html
    assert PATROL_QUOTE not in html  # the deciding sentence, not each rule's
    assert '<span class="row">第14行 / XC-0012</span><span class="row">第15行 / XC-0013</span>' in html
    assert '<span class="where">巡查台账.csv</span>' in html and '<span class="row">第30行</span>' in html
    assert '<td class="st-persisting">仍未整改（首次发现 2025-09-23）</td>' in html
    assert '<td class="st-new">新发现</td>' in html
    assert "应为：≥3；实际：2" in html
    first_letter = (tmp_path / "letters" / "001-李四.html").read_text(encoding="utf-8")
    assert "<h1>问题线索移交函</h1>" in first_letter and '<p class="to">洪江市纪委监委：</p>' in first_letter
    assert '<td class="st-relapse">死灰复燃</td>' in first_letter
    assert "&lt;script&gt;" in first_letter and "<script" not in first_letter


def test_html_tracking_section(tracked):
    doc, referrals = tracked
    html = render_html(doc, referrals)
    assert '<li><a href="#tracking">整改跟踪</a></li>' in html
    assert (
        html.index('<section id="summary">')
        < html.index('<section id="tracking">')
        < html.index('<section id="findings">')
    )
    section = _section(html, "tracking")
    assert "<p>与上次检查（2025-09-23）比对</p>" in section
    cards = re.findall(r'<div class="card st-\w+"><div>(.+?)</div><div class="n">(\d+)</div></div>', section)
    assert cards == [("新发现", "3"), ("仍未整改", "1"), ("已整改", "1"), ("死灰复燃", "1")]
    persisting = section.split("<h3>仍未整改的问题</h3>", 1)[1].split("</table>", 1)[0]
    assert persisting.count("<tr>") == 2 and "雪峰镇 2025-W36 日常巡查 2 天，少于 3 天" in persisting
    assert '<td class="date">2025-09-23</td>' in persisting
    resolved = section.split("<h3>已整改的问题</h3>", 1)[1].split("</table>", 1)[0]
    assert "XF-KD-002：未填写责任人" in resolved
    assert '<td class="date">2025-09-16</td><td class="date">2025-09-23</td>' in resolved
    findings = _section(html, "findings")
    assert '<span class="st st-persisting">仍未整改（首次发现 2025-09-23）</span>' in findings
    assert '<span class="st st-relapse">死灰复燃</span>' in findings
    assert findings.count('class="st ') == 2  # new findings carry no badge


def test_html_tracking_first_and_off(doc, referrals):
    off = render_html(doc, referrals)
    assert "检查历史未启用" in _section(off, "tracking")
    first = copy.deepcopy(doc)
    first["audit"]["history"] = {"previous": []}
    assert "首次记录检查历史" in _section(render_html(first, referrals), "tracking")


def test_html_referrals_grouped_by_disposition(tracked):
    doc, referrals = tracked
    referrals = [*referrals, dict(referrals[1], person="P004", name="孙七", disposition="judicial")]
    section = _section(render_html(doc, referrals), "referrals")
    headings = re.findall(r'<h3 class="disp-\w+">(.+?)</h3>', section)
    assert headings == ["移送司法机关（1 人）", "移交纪检监察机关（1 人）", "约谈（1 人）"]
    assert '提醒 → <span class="disp-interview">约谈</span>' in section
    assert '<div class="steps note">上调情形：上次检查已发现、本次仍未整改</div>' in section
    assert f'<p class="basis">依据：{BASIS}</p>' in section
    assert "函件</a>" not in section  # render_html alone writes no letters, so links to none


def test_letters_index(tmp_path, tracked):
    doc, referrals = tracked
    write_outputs(doc, referrals, tmp_path, formats=["html"])
    index = (tmp_path / "letters" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 class="disp-\w+">(.+?)</h2>', index) == ["移交纪检监察机关（1 人）", "约谈（1 人）"]
    assert re.findall(r'<a href="([^"]+)">', index) == [
        "all.html",
        "001-%E6%9D%8E%E5%9B%9B.html",
        "002-%E5%BC%A0%E4%B8%89.html",
    ]
    assert "共 2 份" in index


def test_xlsx_tracking_and_leads(tmp_path, tracked):
    doc, referrals = tracked
    write_outputs(doc, referrals, tmp_path, formats=["xlsx"])
    sheets = pd.read_excel(tmp_path / "report.xlsx", sheet_name=None, dtype=str, engine="calamine",
                           keep_default_na=False)  # fmt: skip
    assert list(sheets) == ALL_SHEETS
    findings = sheets["问题清单"]
    assert findings["状态"].tolist() == ["死灰复燃", "仍未整改", "新发现", "新发现"]
    assert findings["首次发现"].tolist() == ["2025-09-30", "2025-09-23", "2025-09-30", "2025-09-30"]
    people = sheets["责任追究"]
    assert people["基础处置"].tolist() == ["移交纪检监察机关", "提醒"]
    assert people["上调情形"].tolist() == ["", "上次检查已发现、本次仍未整改"]
    assert people["依据"].tolist() == [BASIS, BASIS]
    leads = sheets["问题线索"]
    assert list(leads.columns) == list(labels.columns("leads").values())
    assert len(leads) == sum(len(r["findings"]) for r in referrals) == 3
    row = leads.iloc[1]
    assert row[["姓名", "人员编号", "单位", "职务", "处置方式"]].tolist() == ["张三", "P001", "雪峰镇", "镇长", "约谈"]
    assert row[["规则编号", "条款", "期间", "本项处置"]].tolist() == ["HJ-PATROL-WEEKLY", "三(一)1", "2025-W36", "约谈"]
    assert row["文件原文"] == PATROL_QUOTE
    assert row["问题描述"] == "雪峰镇 2025-W36 日常巡查 2 天，少于 3 天"
    assert row["证据（台账行）"] == "巡查台账.xlsx/Sheet1 第14行 (XC-0012)；巡查台账.xlsx/Sheet1 第15行 (XC-0013)"
    assert row["状态"] == "仍未整改（首次发现 2025-09-23）"
    assert leads.iloc[2][["状态", "本项处置"]].tolist() == ["新发现", "提醒"]
    resolved = sheets["已整改"]
    assert list(resolved.columns) == list(labels.columns("resolved").values())
    assert resolved.iloc[0][["规则编号", "单位", "记录编号", "首次发现", "最后发现"]].tolist() == [
        "HJ-ADIT-FIELDS", "雪峰镇", "XF-KD-002", "2025-09-16", "2025-09-23"
    ]  # fmt: skip


def test_csv_status_columns(tmp_path, tracked):
    doc, referrals = tracked
    write_outputs(doc, referrals, tmp_path, formats=["csv"])
    table = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert table["状态"].tolist() == ["死灰复燃", "仍未整改", "新发现", "新发现"]
    assert table["首次发现"].iloc[1] == "2025-09-23"


def test_summary_tracking_line(doc, tracked):
    tracked_doc, referrals = tracked
    lines = summary_text(tracked_doc, referrals, None).splitlines()
    assert "与上次检查（2025-09-23）比对：新发现 3，仍未整改 1，已整改 1，死灰复燃 1" in lines
    first = copy.deepcopy(doc)
    first["audit"]["history"] = {"previous": []}
    assert "首次记录检查历史" in summary_text(first, referrals, None).splitlines()
    off = summary_text(doc, referrals, None)
    assert "与上次检查" not in off and "首次记录检查历史" not in off
    english = summary_text(tracked_doc, referrals, None, lang="en")
    assert "Compared with the previous audit (2025-09-23): new 3, still open 1, put right 1, relapsed 1" in english


def test_english_letters_and_tracking(tmp_path, tracked):
    doc, referrals = tracked
    write_outputs(doc, referrals, tmp_path, formats=["html"], lang="en")
    letter = (tmp_path / "letters" / "002-张三.html").read_text(encoding="utf-8")
    assert 'lang="en"' in letter and "<h1>Notice of interview</h1>" in letter
    assert "still open (first seen 2025-09-23)" in letter and "<p>30/9/2025</p>" in letter
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Compared with the previous audit (2025-09-23)" in html
    assert "referral to discipline inspection (1)" in html


def test_large_audits_page_findings_and_referrals(tmp_path, doc, referrals):
    """Above Tuning.page_units units or page_people people the sections move to pages/ and report.html lists what
    is on each page; every unit and every person is on exactly one page; a smaller audit later removes the pages."""

    one_page = render_html(doc, referrals)
    write_outputs(doc, referrals, tmp_path, formats=["html"], tuning=Tuning(page_units=1, page_people=1))
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert pages == ["findings-001.html", "findings-002.html", "referrals-001.html", "referrals-002.html"]
    index = (tmp_path / "report.html").read_text(encoding="utf-8")
    findings = _section(index, "findings")
    assert "问题涉及 2 个单位，按单位分 2 页列出，每页 1 个单位" in findings
    links = re.findall(r'href="(pages/findings-\d+\.html)#u\d"', findings)
    assert links == ["pages/findings-001.html", "pages/findings-002.html"]
    assert "日常巡查 2 天，少于 3 天" not in findings and "日常巡查 2 天，少于 3 天" in _section(one_page, "findings")
    assert "共 2 人，分 2 页列出，每页 1 人" in _section(index, "referrals")
    assert _section(index, "summary") == _section(one_page, "summary")
    read = {name: (tmp_path / "pages" / name).read_text(encoding="utf-8") for name in pages}
    unit_sections = [re.findall(r'<div class="unit" id="(u\d)">', read[name]) for name in pages[:2]]
    assert unit_sections == [["u1"], ["u2"]]
    assert "日常巡查 2 天，少于 3 天" in "".join(read[name] for name in pages[:2])
    first, second = read["referrals-001.html"], read["referrals-002.html"]
    assert "李四" in first and "张三" not in first and "张三" in second
    assert 'href="../letters/001-%E6%9D%8E%E5%9B%9B.html"' in first
    assert 'href="referrals-002.html"' in first and 'href="referrals-001.html"' in second
    assert 'href="../report.html"' in first and 'id="summary"' not in first and 'id="findings"' not in first
    (tmp_path / "pages" / "说明.html").write_text("not ours", encoding="utf-8")
    write_outputs(doc, referrals, tmp_path, formats=["html"])
    assert [p.name for p in (tmp_path / "pages").glob("*.html")] == ["说明.html"]
    assert "日常巡查 2 天，少于 3 天" in _section((tmp_path / "report.html").read_text(encoding="utf-8"), "findings")


def test_large_audits_write_the_workbook_in_a_second_process(tmp_path, doc, referrals):
    """With Tuning.write_apart, from write_apart_from findings, report.xlsx comes from a second process, and
    report.html, findings.csv,
    findings.json and referrals.json from whichever process is free first: the same sheets, cells and bytes as when
    this process writes them all, and the same files in the same order."""
    serial = write_outputs(doc, referrals, tmp_path / "serial", tuning=PAGED)  # two pages of referred people
    assert [p.name for p in serial if p.parent.name == "pages"] == ["referrals-001.html", "referrals-002.html"]
    parallel = write_outputs(doc, referrals, tmp_path / "parallel", tuning=PAGED_APART)
    assert [p.relative_to(tmp_path / "parallel") for p in parallel] == [
        p.relative_to(tmp_path / "serial") for p in serial
    ]
    sheets = [pd.read_excel(d / "report.xlsx", sheet_name=None, dtype=str, engine="calamine") for d in
              (tmp_path / "serial", tmp_path / "parallel")]  # fmt: skip
    assert list(sheets[0]) == list(sheets[1]) == ALL_SHEETS
    for name in ALL_SHEETS:
        pd.testing.assert_frame_equal(sheets[0][name], sheets[1][name])
    pages = ["report.html", "pages/referrals-001.html", "pages/referrals-002.html"]
    for name in ("findings.csv", "findings.json", "referrals.json", *pages, *sorted(LETTER_FILES)):
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()
    some = write_outputs(doc, referrals, tmp_path / "some", formats=["csv", "html", "xlsx"], tuning=APART)
    assert [p.name for p in some if p.parent == tmp_path / "some"] == ["findings.csv", "report.html", "report.xlsx"]
    # A user error in the second process (the workbook open in Excel) reaches the command whole.
    error = AccountabilityError("无法写入 report.xlsx", file="out/report.xlsx", fix="请关闭后重试")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_the_workbook_is_written_here_when_the_second_process_dies(tmp_path, doc, referrals, monkeypatch):
    """The second process dies before its first file: this process writes report.xlsx, report.html and the shared
    files."""
    here, real = os.getpid(), outputs.write_xlsx

    def dies_there(*args, **kwargs):
        if os.getpid() != here:
            os._exit(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(outputs, "write_xlsx", dies_there)
    written = write_outputs(doc, referrals, tmp_path, formats=["json", "csv", "xlsx", "html"], tuning=APART)
    assert [p.name for p in written if p.parent == tmp_path] == [
        "findings.json", "referrals.json", "findings.csv", "report.xlsx", "report.html"
    ]  # fmt: skip
    assert {p.relative_to(tmp_path).as_posix() for p in written} == ALL_FILES | LETTER_FILES
    assert all(p.stat().st_size for p in written)


@pytest.mark.parametrize("pages_by", [outputs.HERE, outputs.THERE])
def test_the_pages_are_written_by_whichever_process_is_free_first(tmp_path, doc, referrals, monkeypatch, pages_by):
    """report.html and its pages are the first shared task: the process that is not taking them waits until the
    other has, so each case is certain. The files, their bytes and their order do not depend on who wrote them."""
    serial = write_outputs(doc, referrals, tmp_path / "serial", tuning=PAGED)
    made: list[processes.Claims] = []

    class Recorded(processes.Claims):
        def __init__(self, size: int) -> None:
            super().__init__(size)
            made.append(self)

    here = os.getpid()

    def once_pages_taken(real, in_this_process: bool):
        def call(*args, **kwargs):
            if (os.getpid() == here) == in_this_process:
                deadline = time.monotonic() + 60
                while made[0].taker(0) != pages_by and time.monotonic() < deadline:
                    time.sleep(0.01)
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(outputs, "Claims", Recorded)
    if pages_by == outputs.THERE:  # this process renders its letters once the second has taken the pages
        monkeypatch.setattr(outputs, "render_letters", once_pages_taken(outputs.render_letters, True))
    else:  # the second process writes the workbook once this one has taken the pages
        monkeypatch.setattr(outputs, "write_xlsx", once_pages_taken(outputs.write_xlsx, False))
    parallel = write_outputs(doc, referrals, tmp_path / "parallel", tuning=PAGED_APART)
    assert made[0].taker(0) == pages_by
    assert [p.relative_to(tmp_path / "parallel") for p in parallel] == [
        p.relative_to(tmp_path / "serial") for p in serial
    ]
    pages = ("report.html", "pages/referrals-001.html", "pages/referrals-002.html")
    for name in (*pages, "findings.csv", "findings.json", "referrals.json"):
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


def test_shared_files_are_claimed_once_and_redone_for_a_dead_claimer(tmp_path):
    """A shared task is done by the process that claims it first; if the second process dies, this one redoes
    report.xlsx and exactly the shared tasks the second had claimed (it claims the others itself)."""
    claims = processes.Claims(3)
    assert claims.take(0, outputs.THERE) and claims.take(2, outputs.HERE) and not claims.take(0, outputs.HERE)
    shared = [partial(outputs._write_file, tmp_path, name, lambda p: p.write_text("x"))
              for name in ("findings.json", "findings.csv", "other.txt")]  # fmt: skip
    xlsx = partial(outputs._write_file, tmp_path, "report.xlsx", lambda p: p.write_text("xlsx"))
    done, redone = outputs._write_apart(xlsx, shared, claims, redo=True)
    assert list(done) == ["report.xlsx"] and redone == {0: {"findings.json": tmp_path / "findings.json"}}
    assert list(claims) == [2, 0, 1]
    done, taken = outputs._write_apart(xlsx, shared, claims)
    assert list(done) == ["report.xlsx"] and taken == {1: {"findings.csv": tmp_path / "findings.csv"}}
    assert list(claims) == [2, 2, 1]


def test_json_layout_a_key_or_an_object_per_line():
    data = {"audit": {"as_of": dt.date(2025, 9, 30), "files": []}, "findings": [{"rule": "甲", "rows": [1, 2]}, {}]}
    text = outputs.json_text(data)
    assert text.splitlines() == [
        "{",
        '  "audit": {',
        '    "as_of": "2025-09-30",',
        '    "files": []',
        "  },",
        '  "findings": [',
        '    {"rule":"甲","rows":[1,2]},',
        "    {}",
        "  ]",
        "}",
    ]
    assert json.loads(text) == {
        "audit": {"as_of": "2025-09-30", "files": []},
        "findings": [{"rule": "甲", "rows": [1, 2]}, {}],
    }
    assert outputs.json_text([]) == "[]" and outputs.json_text({}) == "{}"
    assert outputs.json_text([1, "乙"]) == '[1,"乙"]'


def test_json_values_written_as_the_standard_library_writes_them():
    """A date and time, a number of the ledger's, a key that is not text, an account number past 64 bits: each as
    Python's json writes it with `default=str`; a missing number is null, which every JSON reader takes."""
    values = [dt.datetime(2025, 9, 3, 10, 5), pd.Timestamp("2025-09-03"), np.int64(3), 2**70, 0.5]
    for value in values:
        assert outputs.json_text(value) == json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
    assert outputs.json_text([{1: "甲", None: 2}]).splitlines()[1] == '  {"1":"甲","null":2}'
    assert json.loads(outputs.json_text([float("nan")])) == [None]


def test_csv_quotes_what_excel_would_run_as_a_formula_over_every_character():
    """csv_safe matches formula-like text with Arrow's RE2: the same cells as Python's [=@]|[+\\-][^\\d.\\s] over
    every character this Python's Unicode database assigns (a digit a newer Unicode adds is one to RE2 only)."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) not in ("Cn", "Cs")]
    texts = [p + c for c in chars for p in ("+", "-")] + ["=1", "@a", "a=", "", "-1", "+.5", "- x", "+\u3000x"]
    frame = pd.DataFrame({"text": pd.Series([*texts, None], dtype="string"), "n": range(len(texts) + 1)})
    quoted = tables.csv_safe(frame)
    expected = [("'" + t) if re.match(r"[=@]|[+\-][^\d.\s]", t) else t for t in texts]
    assert quoted["text"].iloc[:-1].tolist() == expected and pd.isna(quoted["text"].iloc[-1])
    assert quoted["n"].tolist() == frame["n"].tolist()


def test_doubts_sheet_lists_each_cell_once_with_the_findings_waiting_on_it():
    cell = {"file": "巡查台账.xlsx", "sheet": "Sheet1", "row": 9, "column": "巡查日期", "value": "2025-13-01",
            "reason": "无法识别的日期", "fix": "请写成 2025-09-03"}  # fmt: skip
    blank = {
        **cell,
        "row": 12,
        "column": "巡查类型",
        "value": "",
        "reason": "空白，可能是任何值",
        "fix": "请填写「巡查类型」",
    }
    base = {"title": "每周巡查", "period": "", "record": "", "message": "…", "doubtful": True}
    findings = [
        {**base, "rule": "HJ-PATROL-WEEKLY", "unit_name": f"{town}镇", "period": f"2025-W3{i}", "doubts": [cell]}
        for i, town in enumerate("甲乙丙丁戊己")
    ] + [{**base, "rule": "HJ-PATROL-WEEKLY", "unit_name": "甲镇", "period": "2025-W40", "doubts": [blank, cell]}]
    table = tables.doubts_table(findings)
    assert table["涉及问题数"].tolist() == [7, 1]
    assert table["行号"].tolist() == [9, 12]
    assert table["涉及的问题"].iloc[0] == (
        "HJ-PATROL-WEEKLY 甲镇 2025-W30；HJ-PATROL-WEEKLY 乙镇 2025-W31；HJ-PATROL-WEEKLY 丙镇 2025-W32；"
        "HJ-PATROL-WEEKLY 丁镇 2025-W33；HJ-PATROL-WEEKLY 戊镇 2025-W34…"
    )
    assert table["涉及的问题"].iloc[1] == "HJ-PATROL-WEEKLY 甲镇 2025-W40"


def test_xlsx_strips_what_xml_cannot_hold_and_cuts_text_at_excels_cell_limit(tmp_path, doc, referrals):
    doc = copy.deepcopy(doc)
    doc["findings"][0]["message"] = "铃\x07声\x1f止"
    doc["findings"][0]["quote"] = "长" * 40_000
    write_outputs(doc, referrals, tmp_path, formats=["xlsx"])
    ws = load_workbook(tmp_path / "report.xlsx")["问题清单"]
    columns = list(labels.columns("findings"))
    row = [cell.value for cell in ws[2]]
    assert row[columns.index("message")] == "铃声止"
    quote = row[columns.index("quote")]
    assert len(quote) == 32_767 and quote.endswith("长…")

"""The referral letters (问题线索移交函), the tracking section and the new sheets on the Hongjiang example, audited
at 2025-09-30 and again at 2025-10-31 with the same history file."""

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import quote, unquote

import openpyxl
import pandas as pd
import pytest
from example_audit import EXAMPLES, audit_example

from accountability.report import labels

DISPOSITION_ORDER = [labels.disposition_labels()[code] for code in reversed(labels.DISPOSITIONS)]  # firmest first


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("history") / "history.sqlite"


@pytest.fixture(scope="module")
def first(tmp_path_factory, history):
    return audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30", "--history", str(history))


@pytest.fixture(scope="module")
def second(tmp_path_factory, history, first):
    return audit_example(tmp_path_factory, "hongjiang-2025", "2025-10-31", "--history", str(history))


def _read(out: Path) -> tuple[dict, list[dict]]:
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return doc, json.loads((out / "referrals.json").read_text(encoding="utf-8"))


def _referral(referrals: list[dict], name: str) -> tuple[int, dict]:
    return next((i, r) for i, r in enumerate(referrals, start=1) if r["name"] == name)


def _finding_rows(html: str) -> list[str]:
    """The rows of the letter's findings table, one string of HTML each."""
    body = html.split('<table class="findings">', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def _headings(html: str, tag: str) -> list[tuple[str, int]]:
    return [(label, int(n)) for label, n in re.findall(rf'<{tag} class="[^"]*">(.+?)（(\d+) 人）</{tag}>', html)]


def _expected_groups(referrals: list[dict]) -> list[tuple[str, int]]:
    counts = Counter(r["disposition_label"] for r in referrals)
    return [(label, counts[label]) for label in DISPOSITION_ORDER if counts[label]]


def test_tian_maolin_letter(first):
    out, _ = first
    doc, referrals = _read(out)
    seq, tian = _referral(referrals, "田茂林")
    assert tian["letter"] == f"letters/{seq:03d}-田茂林.html"
    html = (out / tian["letter"]).read_text(encoding="utf-8")

    assert "<h1>通报</h1>" in html  # the letter of a 通报批评
    assert '<p class="issuer">洪江市“打非治违”工作领导小组办公室</p>' in html
    assert f'<p class="number">洪打非办〔2025〕{seq}号</p>' in html
    assert '<p class="to">铁山乡：</p>' in html
    assert (
        '<p class="lead">经对2025-08-01 至 2025-09-30期间工作台账的检查，铁山乡乡长田茂林存在下列问题。'
        "依据《洪江市非煤矿山领域“打非治违”工作实施方案》五(三)“建立重大问题追责问责机制”，现予通报批评，请认真整改。</p>"
    ) in html
    assert html.count("建立重大问题追责问责机制") == 1  # the deciding sentence once
    assert "<tr><th>被反映人</th><td><strong>田茂林</strong></td></tr>" in html
    assert "<tr><th>单位</th><td>铁山乡</td></tr>" in html
    assert "<tr><th>职务</th><td>乡长</td></tr>" in html
    assert '<strong class="disposition disp-notice">通报批评</strong>' in html
    assert "（基础处置 约谈，上调情形：同一问题连续两个周期出现）" in html
    assert "洪江市“打非治违”工作领导小组办公室（盖章）</p>\n    <p>2025年9月30日</p>" in html

    rows = _finding_rows(html)
    assert len(rows) == len(tian["findings"]) == 4
    findings = {(f["rule"], f["unit"], f["period"], f["record"]): f for f in doc["findings"]}
    for week, shown in (("2025-W38", "第38周（9月15日—9月21日）"), ("2025-W39", "第39周（9月22日—9月28日）")):
        row = next(r for r in rows if shown in r)
        finding = findings[("HJ-PATROL-WEEKLY", "TS", week, "")]
        assert "涉矿乡镇、林场每周日常巡查不少于3次" in row and "<code>HJ-PATROL-WEEKLY</code>" in row
        assert f"条款 {finding['clause']}" in row and "原文" not in row
        assert f"铁山乡<br>{shown}" in row
        assert finding["message"] in row
        assert f"应为：{finding['expected']}；实际：{finding['actual']}" in row
        assert '<span class="where">巡查台账.xlsx / Sheet1</span>' in row
        assert {e["file"] for e in finding["evidence"]} == {"巡查台账.xlsx"}
        for e in finding["evidence"]:
            assert f'<span class="row">第{e["row"]}行 / {e["id"]}</span>' in row
        assert '<td class="st-new">新发现</td>' in row
    assert any("HJ-PATROL-COVERAGE" in r for r in rows) and any("DATA-DUPLICATE-ID" in r for r in rows)

    assert "经办人：" in html and "审核人：" in html
    assert "@page" in html and "size: A4" in html and "thead { display: table-header-group; }" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html


@pytest.fixture(scope="module")
def amended(tmp_path_factory):
    """The Hongjiang example with JB-006's blank 奖励金额 written as 200: the shortfall is now on record."""
    folder = tmp_path_factory.mktemp("amended") / "ledgers"
    shutil.copytree(EXAMPLES / "hongjiang-2025", folder)
    book = openpyxl.load_workbook(folder / "举报线索台账.xlsx")
    row = next(r for r in book.active.iter_rows() if r[0].value == "JB-006")
    row[9].value = 200
    book.save(folder / "举报线索台账.xlsx")
    return audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30", folder=folder)


def test_unregistered_person_letter(first, amended):
    """李警官 handled JB-006 and is not in the roster: nobody is referred while the amount is blank, and once the
    ledger says 200 the letter names him as written."""
    assert "李警官" not in [r["name"] for r in _read(first[0])[1]]
    out, _ = amended
    _, referrals = _read(out)
    _, li = _referral(referrals, "李警官")
    assert li["person"] is None
    assert li["reason"] == (
        "1 项问题（HJ-REWARD-TIER）；最重：HJ-REWARD-TIER「举报奖励按标准兑现（属实2000元，立案20000元）」"
        "（三(四)2，中，JB-006），基础处置为约谈 → 约谈；依据 HJ 五(三)“对履行责任不到位、整改工作推进不力的，"
        "纪委监委将开展约谈”；该姓名未在责任人名册中登记"
    )
    html = (out / li["letter"]).read_text(encoding="utf-8")
    assert '<td><strong>李警官</strong> <span class="muted">（责任人名册无此人）</span></td>' in html


def test_index_links_every_letter_grouped_by_disposition(first):
    out, _ = first
    _, referrals = _read(out)
    index = (out / "letters" / "index.html").read_text(encoding="utf-8")
    links = [unquote(href) for href in re.findall(r'<a href="([^"]+)">', index)]
    assert sorted(links) == sorted(["all.html", *(Path(r["letter"]).name for r in referrals)])
    assert all((out / "letters" / link).is_file() for link in links)
    assert _headings(index, "h2") == _expected_groups(referrals)
    assert f"共 {len(referrals)} 份" in index and "各自成页" in index
    every = (out / "letters" / "all.html").read_text(encoding="utf-8")
    assert every.count('<section class="letter">') == len(referrals) and "break-before: page" in every


def test_report_referrals_grouped_with_letters(first):
    out, _ = first
    _, referrals = _read(out)
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html.split('<section id="referrals">', 1)[1].split("</section>", 1)[0]
    assert _headings(section, "h3") == _expected_groups(referrals)
    assert [unquote(h) for h in re.findall(r'<a href="([^"]+)">函件</a>', section)] == [
        r["letter"] for label, _ in _expected_groups(referrals) for r in referrals if r["disposition_label"] == label
    ]
    seq, _ = _referral(referrals, "田茂林")
    tian = next(row for row in re.findall(r"<tr>(.*?)</tr>", section, re.S) if "<strong>田茂林</strong>" in row)
    tian = re.sub(r"\s+", " ", tian)
    assert f'<a href="{quote(f"letters/{seq:03d}-田茂林.html")}">函件</a>' in tian
    steps = '<div class="steps note">上调情形：同一问题连续两个周期出现</div>'
    assert f'约谈 → <span class="disp-notice">通报批评</span> {steps}' in tian
    assert '<p class="basis">依据：HJ 五(三)“建立重大问题追责问责机制”</p>' in tian
    assert '<li><a href="#tracking">整改跟踪</a></li>' in html
    assert "首次记录检查历史" in html.split('<section id="tracking">', 1)[1].split("</section>", 1)[0]


def test_xlsx_new_sheets(first):
    out, _ = first
    doc, referrals = _read(out)
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None, dtype=str, engine="calamine", keep_default_na=False)
    assert list(sheets) == [
        "问题清单",
        "待核实",
        "责任追究",
        "进度",
        "数据错误",
        "问题线索",
        "已整改",
        "人工核查",
        "合规率",
        "审计参数",
    ]
    assert sheets["待核实"].to_dict("records") == [
        {"文件": "举报线索台账.xlsx", "工作表": "Sheet1", "行号": "8", "列": "奖励金额", "填写内容": "",
         "为何不能认定": "空白，可能是任何值", "补正方法": "请填写「奖励金额」", "涉及问题数": "1",
         "涉及的问题": "HJ-REWARD-TIER 市公安局 JB-006"}
    ]  # fmt: skip
    assert sheets["问题清单"]["认定"].value_counts().to_dict() == {"已认定": len(doc["findings"]) - 1, "待核实": 1}
    leads = sheets["问题线索"]
    assert list(leads.columns) == list(labels.columns("leads").values())
    assert len(leads) == sum(len(r["findings"]) for r in referrals)
    tian = leads[(leads["姓名"] == "田茂林") & (leads["期间"] == "2025-W38")].iloc[0]
    assert (tian["处置方式"], tian["本项处置"], tian["状态"]) == ("通报批评", "通报批评", "新发现")
    assert tian["证据（台账行）"].startswith("巡查台账.xlsx/Sheet1 第")
    assert tian["文件原文"].startswith("涉矿乡镇和林场要配强日常巡查队的力量")
    assert len(sheets["已整改"]) == len(doc["resolved"]) == 0
    assert list(sheets["已整改"].columns) == list(labels.columns("resolved").values())
    people = sheets["责任追究"].set_index("姓名")
    assert len(people) == len(referrals)
    assert people.loc["田茂林", ["基础处置", "上调情形", "处置方式"]].tolist() == [
        "约谈",
        "同一问题连续两个周期出现",
        "通报批评",
    ]
    assert people.loc["田茂林", "依据"] == "HJ 五(三)“建立重大问题追责问责机制”"
    findings = sheets["问题清单"]
    assert set(findings["状态"]) == {"新发现"} and set(findings["首次发现"]) == {"2025-09-30"}


def test_second_audit_tracks_the_first(second):
    out, output = second
    doc, referrals = _read(out)
    assert [p["as_of"] for p in doc["audit"]["history"]["previous"]] == ["2025-09-30", "2025-09-30"]
    status = Counter(f["status"] for f in doc["findings"])
    counts = {
        "新发现": status["new"],
        "仍未整改": status["persisting"],
        "已整改": len(doc["resolved"]),
        "死灰复燃": sum(f["relapse"] for f in doc["findings"]),
    }
    assert counts["仍未整改"] == 26  # every finding of the first audit is still there
    line = "与上次检查（2025-09-30）比对：" + "，".join(f"{k} {n}" for k, n in counts.items())
    assert line in output.splitlines()

    html = (out / "report.html").read_text(encoding="utf-8")
    section = html.split('<section id="tracking">', 1)[1].split("</section>", 1)[0]
    assert "<p>与上次检查（2025-09-30）比对</p>" in section
    cards = re.findall(r'<div class="card st-\w+"><div>(.+?)</div><div class="n">(\d+)</div></div>', section)
    assert [(label, int(n)) for label, n in cards] == list(counts.items())
    persisting = section.split("<h3>仍未整改的问题</h3>", 1)[1].split("</table>", 1)[0]
    assert persisting.count('<td class="date">2025-09-30</td>') == counts["仍未整改"]
    assert "<p>无已整改的问题。</p>" in section
    assert "仍未整改（首次发现 2025-09-30）" in html.split('<section id="findings">', 1)[1]

    _, tian = _referral(referrals, "田茂林")
    letter = (out / tian["letter"]).read_text(encoding="utf-8")
    row = next(r for r in _finding_rows(letter) if "第38周" in r)
    assert '<td class="st-persisting">仍未整改（首次发现 2025-09-30）</td>' in row
    assert "<p>2025年10月31日</p>" in letter

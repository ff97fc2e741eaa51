"""Every word the reports show a reader, in Chinese and English, in one place.

Each entry is a pair (中文, English); `lang="zh"` (the default) picks the first. Codes stay English
everywhere (severity `high`, disposition `discipline`, rule ids); only their labels change. Sheet
names of report.xlsx are part of the interface and stay Chinese in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping

from accountability.errors import AccountabilityError
from accountability.packs.model import SEVERITY_LABELS

LANGS = ("zh", "en")

# Display order: the most serious first.
SEVERITIES = ("high", "medium", "low")
# Mildest to firmest, as rules/referral.yaml lists them; reports show them firmest first.
DISPOSITIONS = ("reminder", "interview", "notice", "discipline", "judicial")

_SEVERITY = SEVERITY_LABELS

_DISPOSITION = {
    "reminder": ("提醒", "reminder"),
    "interview": ("约谈", "interview"),
    "notice": ("通报批评", "public criticism"),
    "discipline": ("移交纪检监察机关", "referral to discipline inspection"),
    "judicial": ("移送司法机关", "referral to judicial authorities"),
}

# Where a finding stands against the previous audit. `relapse` is a new finding of a problem once put right.
_STATUS = {
    "new": ("新发现", "new"),
    "persisting": ("仍未整改", "still open"),
    "resolved": ("已整改", "put right"),
    "relapse": ("死灰复燃", "relapsed"),
}
STATUSES = tuple(_STATUS)

# report.xlsx sheet names (docs/interface.md): fixed, whatever the language.
SHEETS = {
    "findings": "问题清单",
    "doubtful": "待核实",
    "resolved": "已整改",
    "referrals": "责任追究",
    "leads": "问题线索",
    "progress": "进度",
    "data_errors": "数据错误",
    "manual": "人工核查",
    "audit": "审计参数",
    "compliance": "合规率",
}

# The files each output format writes (docs/interface.md).
OUTPUT_FILES = {
    "json": ("findings.json", "referrals.json"),
    "csv": ("findings.csv",),
    "xlsx": ("report.xlsx",),
    "html": ("report.html",),
}

# Column headers of findings.csv and of each report.xlsx sheet, in column order.
# A cell to put right (待核实), beside its finding in the report and on its own row in the workbook.
_DOUBT_CELL = {
    "file": ("文件", "File"),
    "sheet": ("工作表", "Sheet"),
    "row": ("行号", "Row"),
    "column": ("列", "Column"),
    "value": ("填写内容", "Value"),
    "reason": ("为何不能认定", "Why it cannot be held"),
    "fix": ("补正方法", "How to put it right"),
}
_COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "findings": {
        "severity": ("严重程度", "Severity"),
        "rule": ("规则编号", "Rule"),
        "title": ("检查事项", "Requirement"),
        "pack": ("实施方案", "Pack"),
        "clause": ("条款", "Clause"),
        "unit": ("单位编码", "Unit ID"),
        "unit_name": ("单位", "Unit"),
        "period": ("期间", "Period"),
        "record": ("记录编号", "Record"),
        "message": ("问题描述", "Finding"),
        "expected": ("应为", "Expected"),
        "actual": ("实际", "Actual"),
        "evidence": ("证据（台账行）", "Evidence (ledger rows)"),
        "responsible": ("责任人", "Responsible"),
        "status": ("状态", "Status"),
        "first_seen": ("首次发现", "First seen"),
        "doubtful": ("认定", "Standing"),
        "quote": ("文件原文", "Quoted text"),
    },
    "doubtful": {
        "rule": ("规则编号", "Rule"),
        "title": ("检查事项", "Requirement"),
        "unit_name": ("单位", "Unit"),
        "period": ("期间", "Period"),
        "record": ("记录编号", "Record"),
        "message": ("问题描述", "Finding"),
        **_DOUBT_CELL,
    },
    "doubt_cells": {
        **_DOUBT_CELL,
        "count": ("涉及问题数", "Findings waiting"),
        "findings": ("涉及的问题", "Findings it bears on"),
    },
    "resolved": {
        "severity": ("严重程度", "Severity"),
        "rule": ("规则编号", "Rule"),
        "title": ("检查事项", "Requirement"),
        "pack": ("实施方案", "Pack"),
        "unit": ("单位编码", "Unit ID"),
        "unit_name": ("单位", "Unit"),
        "period": ("期间", "Period"),
        "record": ("记录编号", "Record"),
        "message": ("问题描述", "Finding"),
        "first_seen": ("首次发现", "First seen"),
        "last_seen": ("最后发现", "Last seen"),
    },
    "referrals": {
        "disposition": ("处置方式", "Disposition"),
        "name": ("姓名", "Name"),
        "person": ("人员编号", "Person ID"),
        "unit": ("单位编码", "Unit ID"),
        "unit_name": ("单位", "Unit"),
        "position": ("职务", "Position"),
        "base": ("基础处置", "Base disposition"),
        "step_ups": ("上调情形", "Stepped up for"),
        "basis": ("依据", "Basis"),
        "reason": ("处置理由", "Reason"),
        "count": ("涉及问题数", "Findings"),
        "findings": ("涉及问题", "Related findings"),
    },
    "leads": {
        "name": ("姓名", "Name"),
        "person": ("人员编号", "Person ID"),
        "person_unit": ("单位", "Unit"),
        "position": ("职务", "Position"),
        "disposition": ("处置方式", "Disposition"),
        "rule": ("规则编号", "Rule"),
        "title": ("检查事项", "Requirement"),
        "clause": ("条款", "Clause"),
        "quote": ("文件原文", "Quoted text"),
        "unit_name": ("问题单位", "Unit of the finding"),
        "period": ("期间", "Period"),
        "record": ("记录编号", "Record"),
        "message": ("问题描述", "Finding"),
        "evidence": ("证据（台账行）", "Evidence (ledger rows)"),
        "status": ("状态", "Status"),
        "finding_disposition": ("本项处置", "Disposition for this finding"),
    },
    "progress": {
        "rule": ("规则编号", "Rule"),
        "title": ("目标任务", "Target"),
        "pack": ("实施方案", "Pack"),
        "unit": ("单位编码", "Unit ID"),
        "unit_name": ("单位", "Unit"),
        "actual": ("已完成", "Done"),
        "target": ("目标", "Target value"),
        "ratio": ("完成率", "Progress"),
        "deadline": ("截止日期", "Deadline"),
    },
    "data_errors": {
        "ledger": ("台账", "Ledger"),
        "file": ("文件", "File"),
        "sheet": ("工作表", "Sheet"),
        "row": ("行号", "Row"),
        "column": ("列", "Column"),
        "value": ("填写内容", "Value"),
        "reason": ("问题", "Problem"),
        "fix": ("修改方法", "How to fix"),
        "rejected": ("是否剔除", "Row rejected"),
    },
    "manual": {
        "rule": ("规则编号", "Rule"),
        "pack": ("实施方案", "Pack"),
        "clause": ("条款", "Clause"),
        "title": ("核查事项", "Item"),
        "quote": ("文件原文", "Quoted text"),
        "result": ("核查情况", "Result"),
        "checker": ("核查人及日期", "Checked by / date"),
    },
    "packs": {
        "id": ("方案编号", "Pack"),
        "title": ("方案名称", "Title"),
        "issuer": ("印发单位", "Issuer"),
        "version": ("版本", "Version"),
        "effective_from": ("施行日期", "Effective from"),
        "effective_to": ("截止日期", "Effective to"),
    },
    "params": {
        "pack": ("方案编号", "Pack"),
        "name": ("参数", "Parameter"),
        "title": ("含义", "Meaning"),
        "value": ("取值", "Value"),
        "assumed": ("推定（方案未写明）", "Assumed (not in the plan)"),
    },
    "ledgers": {
        "ledger": ("台账代码", "Ledger"),
        "title": ("台账", "Title"),
        "file": ("文件", "File"),
        "sheet": ("工作表", "Sheet"),
        "rows_read": ("读取行数", "Rows read"),
        "rows_used": ("采用行数", "Rows used"),
        "rows_rejected": ("剔除行数", "Rows rejected"),
        "rows_skipped": ("跳过的非数据行", "Non-data rows skipped"),
        "sha256": ("SHA-256", "SHA-256"),
        "extra_headers": ("未识别的列", "Unrecognised columns"),
    },
    "file_problems": {
        "file": ("文件", "File"),
        "sheet": ("工作表", "Sheet"),
        "message": ("问题", "Problem"),
        "fix": ("修改方法", "How to fix"),
    },
    "audit": {
        "item": ("项目", "Item"),
        "value": ("内容", "Value"),
    },
}

# Everything else: titles, notes, phrases. `{name}` placeholders are filled with str.format.
_TEXT: dict[str, tuple[str, str]] = {
    # document
    "report_title": ("“打非治违”工作检查报告", "Compliance audit report"),
    "generic_title": ("“打非治违”工作检查", "Compliance audit"),
    "provisional": (
        "暂定结果：日历库尚未收录 {years} 年的节假日与调休安排，这些年份的报送期限按周一至周五推算，"
        "相关问题标为“暂定”。请用 --holidays 提供当年放假通知的日期后重新检查。",
        "Provisional: the working-day calendar does not know {years}; due dates in those years were taken as "
        "Monday to Friday and the findings they touch are marked provisional. Give --holidays and audit again.",
    ),
    "generated_by": (
        "由 {program} {version} 于 {generated_at} 生成",
        "Generated by {program} {version} at {generated_at}",
    ),
    "contents": ("目录", "Contents"),
    # sections
    "sec_summary": ("总体情况", "Summary"),
    "sec_findings": ("问题清单", "Findings"),
    "sec_tracking": ("整改跟踪", "Follow-up since the previous audit"),
    "sec_overview": ("合规总览", "Compliance at a glance"),
    "overall_rate": ("总体合规率", "Overall compliance"),
    "items_judged": ("检查数", "Items judged"),
    "items_failed": ("未达标", "Items failed"),
    "rate": ("合规率", "Compliance"),
    "since_last": ("与上次检查（{as_of}）比对", "Against the previous audit ({as_of})"),
    "sub_matrix": ("各单位各期合规情况", "Compliance by unit and period"),
    "matrix_note": (
        "每格为该单位在该期被检查的事项（按周、按月的要求、到期的任务、台账记录）：✓ 全部达标，"
        "数字为未达标数/检查数；颜色：绿 100%，浅绿 ≥90%，黄 ≥60%，红 <60%，灰 未检查。"
        "每项按其所属期的结束日归入一列；“不分期”为不按期检查的台账记录。",
        "Each cell holds the items judged for that unit in that period (weekly and monthly obligations, deadlines "
        "due, ledger records): ✓ all met, else failed/judged; colours: green 100%, light green ≥90%, amber ≥60%, "
        "red <60%, grey not judged. An item falls in the column its period ends in; “no period” holds records "
        "judged without one.",
    ),
    "no_period": ("不分期", "no period"),
    "sub_trend": ("各期合规率", "Compliance by period"),
    "sub_unit_severity": ("各单位问题数（按严重程度）", "Findings by unit and severity"),
    "chart_more": ("另有 {n} 个单位，见 report.xlsx", "{n} more units in report.xlsx"),
    "sub_rule_rates": ("各检查事项合规率", "Compliance by rule"),
    "rule_rates_note": (
        "合规率 = 1 − 未达标数 / 检查数。只列出发生情况的事项（如盗采、一人同日两地）没有检查基数，只计问题数。",
        "Compliance = 1 − failed / judged. Rules that list occurrences (a theft, one person in two places) have "
        "no base to judge against and show their count only.",
    ),
    "occurrences": ("发生数", "Occurrences"),
    "audit_scope": ("检查单位", "Audited unit"),
    "scope_note": ("{name}及其下属单位", "{name} and the units under it"),
    "sec_referrals": ("责任追究建议", "Accountability referrals"),
    "sec_progress": ("目标任务进度", "Progress toward targets"),
    "sec_doubtful": ("待核实：补正台账后复查", "To verify: put the ledgers right and audit again"),
    "doubtful_note": (
        "以下问题按台账现有内容成立，但台账中有无法读取的行或空白的格，若按有利于被检查单位的读法理解，问题可能不成立。"
        "这些问题不作认定、不作责任追究、不出移交函。请被检查单位按“补正方法”改正所列单元格后重新检查：补正后仍成立的转为正式问题，"
        "不成立的自动消除。",
        "These findings hold on the ledgers as they are, but unreadable rows or blank cells, read in the unit's "
        "favour, could overturn them. They are not held against anyone: no referral, no letter. Put the cells listed "
        "right and audit again: what still holds becomes a finding, the rest goes.",
    ),
    "doubtful_total": ("待核实", "To verify"),
    "waived_label": ("情况说明已核准（{approver}，有效期至{expires}）", "Waived ({approver}, until {expires})"),
    "sec_waived": ("情况说明已核准：不作责任追究", "Waived: explained and approved, no referral"),
    "waived_note": (
        "下列问题的情况说明已经检查人员核准，在有效期内不作责任追究；过期后如仍存在，照常认定。",
        "An inspector approved the explanation of these findings: no referral until the waiver expires.",
    ),
    "waived_approver": ("核准人", "Approved by"),
    "waived_expires": ("有效期至", "Until"),
    "console_waived": (
        "  其中情况说明已核准 {n} 条，有效期内不作责任追究",
        "  of which {n} waived, no referral while the waiver holds",
    ),
    "doubtful_badge": ("待核实", "To verify"),
    "confirmed_label": ("已认定", "Held"),
    "doubtful_more": ("另有 {n} 个单元格未列出，见 report.xlsx「待核实」表。", "{n} more cells: see report.xlsx."),
    "no_doubtful": ("没有待核实的问题。", "Nothing to verify."),
    "sec_data_errors": ("台账数据错误", "Ledger data errors"),
    "sec_manual": ("人工核查清单", "Manual checklist"),
    "sec_inputs": ("缺少的台账与文件问题", "Missing ledgers and file problems"),
    "sec_audit": ("检查参数", "Audit parameters"),
    "sub_by_severity": ("按严重程度", "By severity"),
    "sub_by_rule": ("按检查事项", "By requirement"),
    "sub_by_disposition": ("责任追究（按处置方式）", "Referrals by disposition"),
    "sub_packs": ("实施方案", "Packs"),
    "sub_params": ("参数", "Parameters"),
    "sub_ledgers": ("读取的台账文件", "Ledger files read"),
    "sub_missing": ("缺少的台账", "Missing ledgers"),
    "sub_file_problems": ("文件问题", "File problems"),
    # audit parameters
    "audit_window": ("检查期间", "Audit window"),
    "audit_from": ("起始日期", "From"),
    "audit_as_of": ("截止日期", "As of"),
    "audit_generated_at": ("生成时间", "Generated at"),
    "audit_program": ("程序版本", "Program version"),
    "audit_ledger_set": ("台账集", "Ledger set"),
    "audit_ledger_path": ("台账位置", "Ledger location"),
    "audit_top_unit": ("检查范围", "Top unit"),
    "audit_provisional": ("临时结果", "Provisional"),
    "audit_pack": ("方案 {id}", "Pack {id}"),
    "window": ("{start} 至 {end}", "{start} to {end}"),
    "version_n": ("第{version}版", "version {version}"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    # summary
    "total": ("合计", "Total"),
    "findings_total": ("问题总数", "Findings"),
    "referred_people": ("拟追责人数", "People referred"),
    "units_count": ("涉及单位", "Units"),
    "count": ("条数", "Count"),
    "people": ("人数", "People"),
    "severity": ("严重程度", "Severity"),
    "rows_rejected_total": ("台账剔除行数", "Ledger rows rejected"),
    "data_errors_total": ("数据错误", "Data errors"),
    "no_findings": ("未发现问题。", "No findings."),
    "no_referrals": ("无责任追究建议。", "No referrals."),
    "no_progress": ("无未到期的目标任务。", "No targets before their deadline."),
    "no_data_errors": ("台账数据未发现错误。", "No data errors."),
    "no_manual": ("无需人工核查的事项。", "Nothing to check by hand."),
    "no_inputs_problems": ("台账齐全，未发现文件问题。", "No missing ledgers and no file problems."),
    # findings
    "unit_heading": ("{unit_name}（{unit}）", "{unit_name} ({unit})"),
    "n_findings": ("{n} 条问题", "{n} findings"),
    "n_items": ("{n} 条", "{n}"),
    "evidence_row": ("{where} 第{row}行", "{where} row {row}"),
    "unregistered": ("（责任人名册无此人）", " (not in the people register)"),
    "evidence_more": ("……另有 {n} 行", "… {n} more rows"),
    "counted_note": (
        "以下事项的问题本页只计数，未逐条列出；完整清单见 report.xlsx「问题清单」或 findings.csv。",
        "Findings of these requirements are only counted here; see report.xlsx (问题清单) or findings.csv.",
    ),
    "more_in_group": (
        "本单位此项另有 {n} 条问题未在本页逐条列出，完整清单见 report.xlsx「问题清单」或 findings.csv。",
        "{n} more findings of this unit and rule are not listed here; see report.xlsx (问题清单) or findings.csv.",
    ),
    "detail_note": (
        "每个检查事项在本页最多逐条列出 {limit} 条问题，超出部分只计数；"
        "完整清单见 report.xlsx「问题清单」或 findings.csv。",
        "At most {limit} findings per requirement are listed in full on this page; "
        "the complete list is in report.xlsx (问题清单) and findings.csv.",
    ),
    "quote": ("原文", "Text"),
    "clause_ref": ("条款 {clause}", "clause {clause}"),
    # tracking
    "status_since": ("仍未整改（首次发现 {date}）", "still open (first seen {date})"),
    "tracking_compared": ("与上次检查（{as_of}）比对", "Compared with the previous audit ({as_of})"),
    "tracking_first": (
        "首次记录检查历史：本次是第一次记录在检查历史中的检查，尚无上次检查可以比对。",
        "First audit recorded in the history: there is no previous audit to compare with.",
    ),
    "tracking_off": (
        "检查历史未启用（本次检查使用了 --no-history），无法与上次检查比对整改情况。",
        "Audit history was off (--no-history): findings are not compared with a previous audit.",
    ),
    "relapse_note": (
        "死灰复燃：曾经整改、本次又再次发现的问题，已计入新发现。",
        "Relapsed: problems once put right and found again; they are counted among the new findings.",
    ),
    "sub_persisting": ("仍未整改的问题", "Findings still open"),
    "sub_resolved": ("已整改的问题", "Findings put right"),
    "no_persisting": ("无仍未整改的问题。", "No finding is still open."),
    "no_resolved": ("无已整改的问题。", "No finding was put right."),
    "tracking_more": (
        "另有 {n} 条未在本页列出，完整清单见 report.xlsx「{sheet}」。",
        "{n} more are not listed here; see report.xlsx ({sheet}).",
    ),
    # referrals
    "reason_and_findings": ("处置理由及涉及问题", "Reason and related findings"),
    "disposition_group": ("{label}（{n} 人）", "{label} ({n})"),
    "letter_link": ("函件", "Letter"),
    "page_home": ("返回报告首页", "Back to the report"),
    "page_prev": ("上一页", "Previous page"),
    "page_next": ("下一页", "Next page"),
    "unit_pages_note": (
        "问题涉及 {n} 个单位，按单位分 {pages} 页列出，每页 {per} 个单位。"
        "完整清单见 report.xlsx 的「{sheet}」工作表或 findings.csv。",
        "Findings concern {n} units, listed on {pages} pages of {per} units each. The full list is in report.xlsx, "
        "sheet '{sheet}', and findings.csv.",
    ),
    "referral_pages_note": (
        "共 {n} 人，分 {pages} 页列出，每页 {per} 人。完整清单见 report.xlsx 的「{sheet}」工作表或 referrals.json。",
        "{n} people, listed on {pages} pages of {per} each. The full list is in report.xlsx, sheet '{sheet}', and "
        "referrals.json.",
    ),
    "page_people": ("{first} … {last}（{n} 人）", "{first} … {last} ({n} people)"),
    "page_col": ("页", "Page"),
    "findings_count": ("问题数", "Findings"),
    "referral_findings_more": ("……另有 {n} 条", "… {n} more"),
    # progress
    "done_of_target": ("完成 / 目标", "Done / target"),
    "progress_value": ("{actual} / {target}", "{actual} / {target}"),
    # data errors
    "data_errors_more": (
        "另有 {n} 条数据错误未在本页列出，完整清单见 report.xlsx「数据错误」。",
        "{n} more data errors are not listed here; see report.xlsx (数据错误).",
    ),
    # manual
    "manual_note": (
        "以下事项无法从台账自动判断，请逐项核查后打勾，并填写核查情况。",
        "These items cannot be judged from the ledgers; check each by hand, tick it and note the result.",
    ),
    "checked": ("已核查", "Checked"),
    # console summary
    "console_title": ("检查完成", "Audit finished"),
    "console_window": ("检查期间：{window}", "Audit window: {window}"),
    "console_ledger_set": ("台账集：{name}", "Ledger set: {name}"),
    "console_findings": ("问题 {n} 条：{parts}", "Findings: {n} ({parts})"),
    "console_no_findings": ("问题：0 条", "Findings: none"),
    "console_doubtful": (
        "  其中待核实 {n} 条：台账中有无法读取的行或空白的格，按有利于被检查单位的读法不能认定，不作责任追究；"
        "补正台账后复查（见报告「待核实」）",
        "  of which {n} doubtful: unreadable rows or blank cells could overturn them; no referral until the ledgers "
        "are put right (see the report's Doubtful section)",
    ),
    "console_skipped": (
        "已跳过非数据行 {n} 行（合计、表尾、空行、标题等）",
        "Rows that are not data skipped: {n} (totals, footers, blank)",
    ),
    "console_unreadable": ("无法读取的台账：{names}（相关检查项不作认定）", "Unreadable ledgers: {names} (not judged)"),
    "console_top_rules": ("问题最多的检查事项：", "Requirements with most findings:"),
    "console_other_rules": ("其余 {rules} 个事项共 {n} 条", "{rules} other requirements: {n}"),
    "console_referrals": ("责任追究 {n} 人：{parts}", "Referrals: {n} people ({parts})"),
    "console_no_referrals": ("责任追究：无", "Referrals: none"),
    "console_rejected": ("台账剔除行：", "Ledger rows rejected:"),
    "console_rejected_line": (
        "{title}（{file}）：读取 {read} 行，剔除 {rejected} 行",
        "{title} ({file}): {read} read, {rejected} rejected",
    ),
    "console_data_errors": (
        "数据错误 {n} 处，详见 report.xlsx「数据错误」",
        "Data errors: {n}, see report.xlsx (数据错误)",
    ),
    "console_missing": ("缺少台账：{names}", "Missing ledgers: {names}"),
    "console_data_error": ("第{0}行 列「{1}」：「{2}」{3}（{4}）", 'row {0} column {1}: "{2}" {3} ({4})'),
    "console_file_problems": ("文件问题 {n} 个：", "File problems: {n}"),
    "console_more": ("……另有 {n} 个", "… {n} more"),
    "console_progress": ("未到期目标任务 {n} 项", "Targets before deadline: {n}"),
    "console_manual": ("人工核查事项 {n} 项", "Manual checks: {n}"),
    "console_provisional": (
        "注意：日历库尚未收录 {years} 年的节假日安排，相关报送期限问题为暂定结果（可用 --holidays 提供）",
        "Note: holidays of {years} unknown to the calendar; the due-date findings they touch are provisional "
        "(give --holidays)",
    ),
    "console_outputs": ("输出目录：{dir}", "Outputs: {dir}"),
    "console_files": ("  {files}", "  {files}"),
    "console_open_html": ("用浏览器打开 {path} 查看完整报告", "Open {path} in a browser for the full report"),
    "console_tracking": ("与上次检查（{as_of}）比对：{parts}", "Compared with the previous audit ({as_of}): {parts}"),
    "console_first_history": ("首次记录检查历史", "First audit recorded in the history"),
    "console_letters": ("责任追究函件 {n} 份：{path}", "Referral letters: {n}, {path}"),
    "console_letters_by_county": (
        "责任追究函件 {n} 份，按县生成：accountability letters {dir} --unit {example}"
        "（全部生成：检查时加 --all-letters）",
        "Referral letters: {n}, drawn per county: accountability letters {dir} --unit {example} (all: --all-letters)",
    ),
    "list_sep": ("，", ", "),
    "colon": ("：", ": "),
    "semicolon": ("；", "; "),
    # referral letters (问题线索移交函)
    "letter_kind": ("函件", "Letter"),
    "assumed": ("推定", "assumed"),
    "letter_issuer": ("{unit}“打非治违”工作领导小组办公室", "{unit} leading group office against illegal mining"),
    "letter_number": ("文号", "No."),
    "letter_number_format": ("{prefix}〔{year}〕{n}号", "{prefix} ({year}) No. {n}"),
    "letter_to": ("主送", "To"),
    "letter_seal": ("{issuer}（盖章）", "{issuer} (seal)"),
    "letters_all_title": ("全部函件（逐份成页）", "All letters, one a page"),
    "letters_all_link": ("打印全部函件", "Print all letters"),
    "letter_date": ("日期", "Date"),
    "date_long": ("{year}年{month}月{day}日", "{day}/{month}/{year}"),
    "letter_lead": (
        "经对{window}期间工作台账的检查，发现涉及以下人员的问题线索，现予移交，请依规依纪依法处理。",
        "Checking the ledgers of {window} found the following about the person below; it is referred to you.",
    ),
    "letter_person": ("被反映人", "Person concerned"),
    "letter_proposal": ("建议处置", "Proposed disposition"),
    "letter_findings": ("问题明细（{n} 项）", "Findings ({n})"),
    "letter_seq": ("序号", "No."),
    "letter_requirement": ("检查事项及依据", "Requirement and source"),
    "letter_where": ("单位 / 期间 / 记录", "Unit / period / record"),
    "expected_actual": ("应为：{expected}；实际：{actual}", "Expected: {expected}; actual: {actual}"),
    "letter_handler": ("经办人", "Prepared by"),
    "letter_reviewer": ("审核人", "Reviewed by"),
    "blank_date": ("　　　　年　　月　　日", ""),
    "page_of": ("第 {page} 页，共 {pages} 页", "Page {page} of {pages}"),
    "letters_index_title": ("责任追究函件目录", "Referral letters"),
    "letters_index_note": (
        "共 {n} 份，按建议处置方式分组，每份按处置方式为提醒函、约谈通知书、通报、问题线索移交函或案件移送函。"
        "可逐份打开打印，也可打开“打印全部函件”一次打印，每份各自成页。",
        "{n} letters, grouped by proposed disposition. Print each one, or all of them at once, one a page.",
    ),
    "back_to_index": ("返回目录", "All letters"),
    "unnamed": ("未具名", "unnamed"),
}


def check_lang(lang: str) -> int:
    """The index of `lang` in the label pairs; an unknown language is the user's mistake."""
    if lang not in LANGS:
        raise AccountabilityError(f"不支持的语言：{lang}", fix="请使用 zh（中文）或 en（英文）")
    return LANGS.index(lang)


def period_headings(periods: list[str], lang: str = "zh") -> dict[str, str]:
    """Compliance columns' headings: 2025-W37 → W37, 2025-09 → 9月, "" → 不分期; the label as it is (2024-12,
    2025-12) when the periods span more than one year, so no two columns share a heading."""
    one_year = len({p[:4] for p in periods if p}) <= 1
    headings = {}
    for period in periods:
        if not period:
            headings[period] = text(lang)["no_period"]
        elif not one_year:
            headings[period] = period
        elif "-W" in period:
            headings[period] = period.split("-", 1)[1]
        else:
            headings[period] = f"{int(period[5:7])}月" if lang == "zh" else period
    return headings


# Each kind of letter (INTERFACE.md, "Referral letters"), by disposition: its title, its opening (what was found and
# what is done about it, the deciding sentence quoted once as {basis}) and its addressee (主送).
_LETTER_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "reminder": {
        "title": ("提醒函", "Reminder"),
        "lead": (
            "经对{window}期间工作台账的检查，{who}存在下列问题。依据{basis}，现予提醒，请认真整改，并将整改情况报{issuer}。",
            "The ledgers of {window} show the findings below about {who}. Under {basis}, this is a reminder: put them "
            "right and report to {issuer}.",
        ),
        "to": ("{unit}", "{unit}"),
    },
    "interview": {
        "title": ("约谈通知书", "Notice of interview"),
        "lead": (
            "经对{window}期间工作台账的检查，{who}存在下列问题。依据{basis}，决定对{who}进行约谈，"
            "约谈时间、地点另行通知，请届时参加并如实说明情况。",
            "The ledgers of {window} show the findings below about {who}. Under {basis}, {who} is to be interviewed; "
            "time and place will follow.",
        ),
        "to": ("{unit}", "{unit}"),
    },
    "notice": {
        "title": ("通报", "Circular"),
        "lead": (
            "经对{window}期间工作台账的检查，{who}存在下列问题。依据{basis}，现予通报批评，请认真整改。",
            "The ledgers of {window} show the findings below about {who}. Under {basis}, {who} is criticised in this "
            "circular; put them right.",
        ),
        "to": ("{unit}", "{unit}"),
    },
    "discipline": {
        "title": ("问题线索移交函", "Referral to the discipline inspection commission"),
        "lead": (
            "经对{window}期间工作台账的检查，发现{who}涉及下列问题线索。依据{basis}，现将问题线索移交你委，请依规依纪依法处理。",
            "The ledgers of {window} show the leads below about {who}. Under {basis}, they are referred to you.",
        ),
        "to": ("{top}纪委监委", "{top} discipline inspection commission"),
    },
    "judicial": {
        "title": ("案件移送函", "Case transfer"),
        "lead": (
            "经对{window}期间工作台账的检查，发现{who}涉及的下列问题涉嫌违法犯罪。依据{basis}，现予移送，请依法处理。",
            "The ledgers of {window} show the findings below about {who}, which may be crimes. Under {basis}, they are "
            "transferred to you.",
        ),
        "to": ("{top}公安局", "{top} public security bureau"),
    },
}


def letter_kind(code: str, lang: str = "zh") -> dict[str, str]:
    """Title, lead and addressee of the letter for a disposition; a code with none takes the referral letter's."""
    i = check_lang(lang)
    return {key: pair[i] for key, pair in _LETTER_KINDS.get(code, _LETTER_KINDS["discipline"]).items()}


def text(lang: str = "zh") -> dict[str, str]:
    """All phrases and titles in one language."""
    i = check_lang(lang)
    return {key: pair[i] for key, pair in _TEXT.items()}


def columns(table: str, lang: str = "zh") -> dict[str, str]:
    """Column key → header of one table, in column order."""
    i = check_lang(lang)
    return {key: pair[i] for key, pair in _COLUMNS[table].items()}


def severity_labels(lang: str = "zh") -> dict[str, str]:
    i = check_lang(lang)
    return {code: _SEVERITY[code][i] for code in SEVERITIES}


def status_labels(lang: str = "zh") -> dict[str, str]:
    i = check_lang(lang)
    return {code: _STATUS[code][i] for code in STATUSES}


def disposition_labels(lang: str = "zh") -> dict[str, str]:
    i = check_lang(lang)
    return {code: _DISPOSITION[code][i] for code in DISPOSITIONS}


def label(mapping: Mapping[str, str], code: object) -> str:
    """The label of a code, or the code itself when it has none (a newer policy may add codes)."""
    return mapping.get(str(code), str(code))

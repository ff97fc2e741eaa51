"""A first pack from a plan's text (`accountability rules new`): its head read for title, issuer, date and span,
and every sentence that sets a number, a frequency, a deadline or an accountability a draft for a person to finish.

Each duty sentence becomes a `manual` rule quoting it word for word under its clause, so the draft passes `rules
check` as written and its items show in the report as the inspector's checklist until completed; the likely kind and
its parameters, where the sentence says them, follow it as comments. Accountability sentences become commented
`accountability:` entries: a clause must name the rules it governs, which only the person finishing the pack knows.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from accountability.errors import AccountabilityError
from accountability.packs.quotes import plain, read_plan

CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MEASURES = "次个名人份天日周月年起件处台套倍遍家条"
NUMBER = re.compile(
    rf"[0-9０-９]+(?:\.[0-9]+)?%?|[一二两三四五六七八九十][一二两三四五六七八九十百千]*(?=[{MEASURES}])"
)
FREQUENCY = re.compile(r"每(?:日|天|周|旬|半月|月|两个月|季度|季|半年|年)")
DEADLINE = re.compile(r"(?:\d{1,2}月\d{1,2}日|\d{1,2}月底|年底|月底|\d{1,2}日)前")
ACCOUNTABILITY = re.compile(r"通报批评|约谈|移交|移送|问责|追责|追究")
FULL_DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{4}年")
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+\s*号")
SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")
HEADINGS = (
    (0, re.compile(r"^([一二三四五六七八九十]+)、")),
    (1, re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")),
    (2, re.compile(r"^(\d+)[.．、](?!\d)")),
    (3, re.compile(r"^[（(](\d+)[)）]")),
)
HEADING_LENGTH = 12  # a line this short after its number is a heading, not a duty
ISSUERS = ("人民政府办公室", "人民政府", "办公室", "自然资源局", "局", "委员会", "领导小组")
PERIODS = {"日": "day", "天": "day", "周": "week", "月": "month", "两个月": "two_months", "季度": "quarter",
           "季": "quarter", "年": "year"}  # fmt: skip
LEDGER_WORDS = (
    ("巡查|排查|巡逻", "patrols"), ("矿硐|矿洞|矿井|封堵", "adits"), ("重点人员", "key_persons"),
    ("监控|摄像", "devices"), ("举报|线索", "tips"), ("案件|立案", "cases"), ("抽查", "spot_checks"),
    ("图斑|卫片", "patches"), ("报送|上报|报告", "reports"), ("会议|调度|联合执法", "meetings"),
    ("问题|整改", "problems"), ("黑名单", "blacklist"),
)  # fmt: skip
DISPOSITIONS = (("移送", "judicial"), ("刑事", "judicial"), ("移交", "discipline"), ("通报", "notice"),
                ("约谈", "interview"))  # fmt: skip
DISPOSITION_WORDS = {"judicial": "移送司法机关", "discipline": "移交纪检监察机关", "notice": "通报批评",
                     "interview": "约谈"}  # fmt: skip


@dataclass
class Duty:
    """One sentence of the plan that sets a duty or an accountability, and the clause it stands under."""

    clause: str
    quote: str
    heading: str
    accountability: bool = False
    draft: list[str] = field(default_factory=list)  # the likely kind and parameters, as YAML lines


@dataclass
class PlanHead:
    title: str
    issuer: str
    issued: str
    first: date
    last: date | None
    number: str | None


def _number(text: str) -> int | None:
    """12 → 12, 三 → 3, 十五 → 15, 两 → 2."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).rstrip("%")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(ones, 0)
    return CHINESE_DIGITS.get(text) if len(text) == 1 else None


def _lines(text: str) -> list[str]:
    """The plan's lines, stripped of spaces and of the markers a converted Word file leaves ([bookmark: …])."""
    cleaned = re.sub(r"\[(?:bookmark|image)[^\]]*\]", "", text)
    return [re.sub(r"\s+", "", line) for line in cleaned.splitlines() if line.strip()]


def read_head(text: str) -> PlanHead:
    """Title, issuing body, date, effective span and document number, from the plan's head as plans are typeset."""
    lines = _lines(text)
    head = "".join(lines[:12])
    title = None
    for pattern in (r"印发《(.+?)》", r"关于印发(.+?方案)的通知"):
        found = re.search(pattern, head)
        if found:
            title = found.group(1)
            break
    if title is None:
        joined = ""
        for line in lines[:4]:
            joined += line
            if joined.endswith("方案"):
                title = joined
                break
    issuer = next((line for line in lines[:15] if line.endswith(ISSUERS) and len(line) <= 24), None)
    issued = re.search(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", "".join(lines[:20])) or re.search(
        r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", "".join(lines)
    )
    year, month = (int(issued.group(1)), int(issued.group(2))) if issued else (date.today().year, 1)
    day = int(issued.group(3)) if issued and issued.group(3) else 1
    first, last = _span("".join(lines)) or (date(year, month, day), None)
    number = next((m for m in (DOCUMENT_NUMBER.fullmatch(line) for line in lines[:12]) if m), None)
    return PlanHead(
        title or (lines[0] if lines else "（请填写方案标题）"),
        issuer or "（请填写发文单位）",
        f"{year}-{month:02d}",
        first,
        last,
        number.group(0) if number else None,
    )


SPAN = re.compile(
    r"(\d{4})年(\d{1,2})月(\d{1,2}日|初|上旬)?起?(至|[—－\-～~到])(?:(\d{4})年)?(\d{1,2})月(\d{1,2}日|底|末|下旬)?"
)


def _span(text: str) -> tuple[date, date] | None:
    """The campaign's first and last day: "自2026年3月1日至6月8日", "自2022年12月初起至2023年3月底"; where the plan
    gives only its stages (（2022年4月7日—7月15日）…), from the first stage's start to the last one's end. A month
    without its day runs from the 1st to its last day, unless a stage names the day in that month ("从2022年4月至
    2023年3月底" with a first stage from 2022年4月7日: 4月7日)."""
    spans = []
    for found in SPAN.finditer(text):
        year, month, day, joint, end_year, end_month, end_day = found.groups()
        start = date(int(year), int(month), int(day[:-1]) if day and day.endswith("日") else 1)
        end_year_number = int(end_year or year) + (1 if not end_year and int(end_month) < int(month) else 0)
        if end_day and end_day.endswith("日"):
            end = date(end_year_number, int(end_month), int(end_day[:-1]))
        else:
            end = date(end_year_number + int(end_month) // 12, int(end_month) % 12 + 1, 1) - timedelta(days=1)
        if end >= start:
            spans.append((joint == "至", start, end, bool(day and day.endswith("日"))))
    if not spans:
        return None
    said = [(start, end, exact) for whole, start, end, exact in spans if whole]
    if not said:
        return min(s[1] for s in spans), max(s[2] for s in spans)
    start, end, exact = said[0]
    if not exact:
        days = [s[1] for s in spans if s[3] and (s[1].year, s[1].month) == (start.year, start.month)]
        start = min(days, default=start)
    return start, end


def _likely(sentence: str, head: PlanHead) -> list[str]:
    """The kind and parameters the sentence suggests, as YAML lines for a comment; the person finishing checks them."""
    named = [(found.start(), key) for words, key in LEDGER_WORDS if (found := re.search(words, sentence))]
    ledger = min(named)[1] if named else "..."
    subjects = "{levels: [township], mining: true}" if "涉矿" in sentence else "{levels: [township]}"
    if re.search(r"市|县|区", sentence) and not re.search(r"乡|镇", sentence):
        subjects = "{top: true}"
    lines = []
    frequency = FREQUENCY.search(sentence)
    count = re.search(rf"(?:不少于|至少|不低于)({NUMBER.pattern})[{MEASURES}]|({NUMBER.pattern})[次遍]以上", sentence)
    minimum = _number(next(g for g in count.groups() if g)) if count else None
    report = re.search(r"每月(\d{1,2})日前", sentence)
    deadline = re.search(r"(\d{1,2})月(\d{1,2})日前|(\d{1,2})月底前|年底前", sentence)
    ratio = re.search(r"(\d+(?:\.\d+)?)%", sentence)
    if report and re.search(r"报送|上报|报告", sentence):
        due = f"{{kind: monthly, names: [月报], every_month: {report.group(1)}, shift: true}}"
        lines += ["kind: report_deadline", "params:", "  ledger: reports", f"  subjects: {subjects}",
                  f"  reports: [{due}]"]  # fmt: skip
    elif ratio:
        lines += ["kind: ratio", "params:", f"  ledger: {ledger}", f"  subjects: {subjects}", "  date: date",
                  f"  min_ratio: {float(ratio.group(1)) / 100:g}", "  numerator: [{column: ..., eq: ...}]  # 请填写",
                  f"  deadline: {{by: {(head.last or head.first).isoformat()}}}"]  # fmt: skip
    elif frequency or "行动期间" in sentence:
        word = frequency.group(0)[1:] if frequency else ""
        period = PERIODS.get(word, "campaign" if "行动期间" in sentence else "month")
        lines += ["kind: count_per_period", "params:", f"  ledger: {ledger}", f"  subjects: {subjects}",
                  f"  period: {period}", f"  min: {minimum or 1}"]  # fmt: skip
    elif deadline:
        if deadline.group(1):
            month, day = int(deadline.group(1)), int(deadline.group(2))
        else:
            month, day = (int(deadline.group(3)), 28) if deadline.group(3) else (12, 31)
        year = head.first.year + (1 if month < head.first.month else 0)
        lines += ["kind: target", "params:", f"  ledger: {ledger}", f"  subjects: {subjects}", "  date: date",
                  f"  deadline: {{by: {year}-{month:02d}-{day:02d}}}", f"  min: {minimum or 1}"]  # fmt: skip
    if lines:
        role = "deputy_leader" if "分管" in sentence else "village_contact" if "包村" in sentence else "main_leader"
        lines.append(f"accountable: [{{role: {role}}}]")
    return lines


def _at_least(sentence: str) -> tuple[str, bool]:
    """The mildest disposition the sentence sets, and whether it says one (问责 alone names none)."""
    for word, code in DISPOSITIONS:
        if word in sentence:
            return code, True
    return "interview", False


def _body(lines: list[str], title: str) -> list[str]:
    """The plan itself, after the notice that issues it: the lines after the plan's own title (set on one line or
    two); all lines when the title does not stand alone."""
    starts = [i + 1 for i, line in enumerate(lines) if line == title]
    starts += [i + 2 for i in range(len(lines) - 1) if lines[i] + lines[i + 1] == title]
    return lines[max(starts) :] if starts else lines


def duties(text: str, head: PlanHead) -> list[Duty]:
    """Every sentence of the plan body carrying a number, a frequency, a deadline or an accountability phrase, each
    under its clause (一、 → 一; （二） → 一(二); 3. → 一(二)3) and its heading, once; a clause's number is left out
    of the quote, and a line that is only a heading (四、责任追究) is no duty."""
    levels = ["", "", "", ""]
    heading = ""
    found: list[Duty] = []
    seen: set[str] = set()
    for line in _body(_lines(text), head.title):
        for depth, pattern in HEADINGS:
            match = pattern.match(line)
            if match:
                levels[depth] = match.group(1)
                levels[depth + 1 :] = [""] * (3 - depth)
                line = line[match.end() :]
                heading = re.split(r"[。：:；]", line)[0]
                if len(heading) <= HEADING_LENGTH:
                    line = line[len(heading) :].lstrip("。：:；")
                break
        clause = levels[0] + (f"({levels[1]})" if levels[1] else "") + levels[2]
        clause += f"({levels[3]})" if levels[3] else ""
        for sentence in (s for s in SENTENCE.findall(line) if len(s) >= 6):
            bare = DOCUMENT_NUMBER.sub("", FULL_DATE.sub("", sentence))
            duty = FREQUENCY.search(sentence) or DEADLINE.search(sentence) or NUMBER.search(bare)
            account = ACCOUNTABILITY.search(sentence)
            if not (duty or account) or plain(sentence) in seen:
                continue
            seen.add(plain(sentence))
            title = heading if 4 <= len(heading) <= HEADING_LENGTH else plain(sentence)[:20]
            if duty:
                found.append(Duty(clause or "（请填写条款）", sentence, title, draft=_likely(sentence, head)))
            if account:
                found.append(Duty(clause or "（请填写条款）", sentence, title, accountability=True))
    return found


def _prefix(pack_id: str) -> str:
    """Rule ids' prefix from the pack id: qingshi-2026 → QINGSHI."""
    letters = re.sub(r"[^A-Z]", "", pack_id.split("-")[0].upper())
    return letters or "PLAN"


def _text(value: str) -> str:
    """A YAML scalar: JSON's double-quoted string is YAML's too."""
    return json.dumps(value, ensure_ascii=False)


def draft_pack(plan: Path, out: Path, pack_id: str | None = None) -> tuple[str, int, int]:
    """The draft pack's YAML for `plan`, to be written at `out` (its source path is relative to it); with the
    number of duty rules and of accountability entries it holds."""
    text = read_plan(plan)
    head = read_head(text)
    pack_id = pack_id or (out.stem if re.fullmatch(r"[a-z0-9][a-z0-9-]*", out.stem) else f"plan-{head.first.year}")
    items = duties(text, head)
    prefix = _prefix(pack_id)
    source = Path(os.path.relpath(plan.resolve(), out.resolve().parent)).as_posix()
    effective = f"{{from: {head.first.isoformat()}" + (f", to: {head.last.isoformat()}}}" if head.last else "}")
    lines = [
        f"# 规则包草稿：由 accountability rules new 从方案原文 {plan.name} 起草，待逐条完善。",
        "# 每句带数字、频次、时限的原文先列为一条人工核查（kind: manual）规则，原样即可通过 rules check；",
        "# 完善一条：按其下注释改为建议的检查类型和参数，核对台账（ledger，方案自己的记录在 ledgers: 下定义）、",
        "# 检查对象和问责对象，补上 examples，再运行 rules test。",
        "# 问责条款在文末以注释给出：写明所管的规则编号（rules:）后去掉注释即生效。写法见 docs/writing-packs.md。",
        f"id: {pack_id}",
        f"title: {_text(head.title)}",
        f"issuer: {_text(head.issuer)}" + ("  # 请填写发文单位" if head.issuer.startswith("（") else ""),
        f"date: {_text(head.issued)}" + (f"  # 文号 {head.number}" if head.number else ""),
        'version: "1"',
        f"effective: {effective}" + ("" if head.last else "  # 原文未写起止日期：请核对起始日，有截止日的补上 to:"),
        f"source: [{_text(source)}]",
        "# letter_prefix: 打非办  # 函件文号的字号，如 洪打非办〔2025〕1号",
        "",
        "rules:" if any(not d.accountability for d in items) else "rules: []",
    ]
    number = 0
    for duty in (d for d in items if not d.accountability):
        number += 1
        lines += [
            f"  - id: {prefix}-{number:02d}",
            f"    title: {_text(duty.heading)}",
            f"    clause: {_text(duty.clause)}",
            f"    quote: {_text(duty.quote)}",
            "    kind: manual  # 待完善：改为下面注释中建议的检查类型",
            "    severity: medium",
            *(f"    # {line}" for line in duty.draft),
            "",
        ]
    clauses = [d for d in items if d.accountability]
    if clauses:
        lines.append("# accountability:")
    for duty in clauses:
        code, said = _at_least(duty.quote)
        note = f"原文“{DISPOSITION_WORDS[code]}”" if said else "原文未写处置档次，请核对"
        lines += [
            f"#   - clause: {_text(duty.clause)}",
            f"#     quote: {_text(duty.quote)}",
            f"#     rules: [{prefix}-01]  # 请改为这句问责所管的规则编号、编号前缀（如 INT-）或规则标签",
            f"#     at_least: {code}  # {note}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n", number, len(clauses)


def write_draft(plan: Path, out: Path, pack_id: str | None = None) -> tuple[int, int]:
    """Write the draft; never over a file already there (a pack being finished)."""
    if not plan.is_file():
        raise AccountabilityError("找不到方案原文", file=str(plan), fix="--plan 写方案全文的 .txt 文件（UTF-8 编码）")
    if out.exists():
        raise AccountabilityError("输出文件已存在，不覆盖", file=str(out), fix="换一个 --out 文件名，或先移走已有文件")
    try:
        text, rules, clauses = draft_pack(plan, out, pack_id)
    except UnicodeDecodeError as exc:
        raise AccountabilityError("方案原文的编码无法识别", file=str(plan), fix="用记事本另存为 UTF-8 后再试") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return rules, clauses

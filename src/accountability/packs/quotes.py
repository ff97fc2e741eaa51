"""Quotes held to the plan's text: a rule or clause quotes its sentence word for word, and a quote that does not
stand in the plan is answered with the plan's nearest sentence and what differs, said in words a clerk can act on
(a half-width comma where the plan has a full-width one is the usual slip)."""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from accountability.contract.yamlfile import YamlDocument
from accountability.errors import AccountabilityError

PUNCTUATION = {
    "，": "全角逗号", ",": "半角逗号", "。": "句号", ".": "半角句点", "；": "全角分号", ";": "半角分号",
    "：": "全角冒号", ":": "半角冒号", "（": "全角左括号", "(": "半角左括号", "）": "全角右括号", ")": "半角右括号",
    "“": "中文左引号", "”": "中文右引号", '"': "半角引号", "‘": "中文左单引号", "’": "中文右单引号", "'": "半角单引号",
    "、": "顿号", "！": "全角感叹号", "!": "半角感叹号", "？": "全角问号", "?": "半角问号", "—": "破折号",
    "-": "半角连字符", "《": "书名号《", "》": "书名号》", "〔": "六角括号〔", "〕": "六角括号〕", "[": "半角方括号",
    "]": "半角方括号", "【": "方头括号【", "】": "方头括号】", "…": "省略号",
}  # fmt: skip
NEAR_ENOUGH = 0.5  # below this likeness the plan has no sentence the quote was meant to be
SHOWN_DIFFERENCES = 5


def plain(text: str) -> str:
    """Text without any whitespace: plans are typeset with line breaks and spaces a quote leaves out."""
    return "".join(text.split())


def read_plan(path: Path) -> str:
    """A plan's text as a clerk saved it: UTF-8 (with or without a BOM), UTF-16 with its BOM (Notepad's
    “Unicode”), or GB18030 (what Word and Notepad write as plain text on a Chinese Windows)."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def plan_texts(doc: YamlDocument, sources: list[str], path: tuple = ("source",)) -> list[str]:
    """The plan texts a rule file names (relative to the file), whitespace removed, for `quoted`."""
    texts = []
    for index, name in enumerate(sources):
        plan = doc.path.parent / name
        if not plan.is_file():
            raise doc.error((*path, index), f"找不到方案原文「{name}」", "写方案原文 .txt 相对本文件的路径")
        try:
            texts.append(plain(read_plan(plan)))
        except UnicodeDecodeError as exc:
            raise doc.error(
                (*path, index), f"方案原文「{name}」无法读取：{exc.reason}", "用记事本另存为 UTF-8 后再试"
            ) from exc
    return texts


def quoted(quote: str, texts: list[str]) -> bool:
    """The quote stands word for word in one of the plan texts (spaces and line breaks aside)."""
    return any(plain(quote) in text for text in texts)


def nearest(quote: str, texts: list[str]) -> tuple[str, float]:
    """The stretch of the plans most like the quote, and how alike (0 to 1): placed by the longest run the two
    share, then its ends moved a few characters either way to the likeliest fit."""
    quote = plain(quote)
    best, score = "", 0.0
    for text in texts:
        block = SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(0, len(text), 0, len(quote))
        if block.size == 0:
            continue
        start = block.a - block.b
        for head in range(-4, 5):
            for tail in range(-4, 5):
                first, last = max(0, start + head), min(len(text), start + len(quote) + tail)
                if last <= first:
                    continue
                ratio = SequenceMatcher(None, quote, text[first:last], autojunk=False).ratio()
                if ratio > score:
                    best, score = text[first:last], ratio
    return best, score


def _named(text: str) -> str:
    """Characters as a message says them: 「，」（全角逗号）, a full- or half-width letter or digit said so, other
    characters in runs: 「签定」."""
    names: list[str] = []
    run = ""
    for char in text:
        if char in PUNCTUATION:
            said = PUNCTUATION[char]
        elif unicodedata.normalize("NFKC", char) != char:
            said = "全角字符"
        elif char.isascii() and char.isalnum():
            said = "半角字符"
        else:
            run += char
            continue
        if run:
            names.append(f"「{run}」")
            run = ""
        names.append(f"「{char}」（{said}）")
    return "".join(names) + (f"「{run}」" if run else "")


def differences(quote: str, found: str) -> tuple[str, list[str]]:
    """The plan's stretch with each place the quote differs marked 【】, and each difference in words."""
    quote = plain(quote)
    marked, told = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, quote, found, autojunk=False).get_opcodes():
        written, plan = quote[i1:i2], found[j1:j2]
        if op == "equal":
            marked.append(plan)
            continue
        marked.append(f"【{plan}】" if plan else "【】")
        where = f"引文第{i1 + 1}字起"
        if op == "replace":
            same = unicodedata.normalize("NFKC", written) == unicodedata.normalize("NFKC", plan)
            kind = "全角、半角不同：" if same else ""
            told.append(f"{where}{kind}引文写作{_named(written)}，原文是{_named(plan)}")
        elif op == "delete":
            told.append(f"{where}引文多出{_named(written)}，原文没有")
        else:
            told.append(f"{where}引文漏了原文的{_named(plan)}")
    return "".join(marked), told


def misquoted(quote: str, texts: list[str]) -> str:
    """The fix for a quote the plans do not hold: their nearest sentence with the differences marked and said."""
    found, score = nearest(quote, texts)
    copy = "请从方案原文逐字复制这句话（空格和换行可以不同，标点的全角、半角必须与原文一致）"
    if score < NEAR_ENOUGH:
        return f"方案原文中没有与之相近的句子；请确认 source: 指向的原文，{copy}"
    marked, told = differences(quote, found)
    more = f"等 {len(told)} 处" if len(told) > SHOWN_DIFFERENCES else ""
    return f"原文最接近的是：{marked}；不同之处：{'；'.join(told[:SHOWN_DIFFERENCES])}{more}。{copy}"


def quote_error(
    doc: YamlDocument, path: tuple[Any, ...], what: str, quote: str, texts: list[str]
) -> AccountabilityError:
    """The error for a quote the plans do not hold, at its line, teaching the fix."""
    return doc.error(path, f"{what}引文在方案原文中找不到", misquoted(quote, texts))

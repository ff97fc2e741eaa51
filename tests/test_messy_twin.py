"""A workbook kept the ordinary way audits exactly like its clean twin: the Hongjiang example with title and 填报单位
lines above the header, a 序号 column, （必填） and * in the headers, blank rows between records, 合计 and 填表人
rows under them, dates written 2025年9月3日 or in full-width digits, trailing spaces, and the unit register as an old
.xls (tests/fixtures/洪江市单位名册.xls, the messy register saved by LibreOffice: `soffice --headless --convert-to
xls`)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from example_audit import EXAMPLES, audit_example
from openpyxl import Workbook, load_workbook

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "洪江市单位名册.xls"
UNITS_FILE = "洪江市2025年单位名册.xlsx"
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _date_text(value: dt.datetime, row: int) -> str:
    """Every other record's date in Chinese, the rest in full-width digits."""
    if row % 2:
        return f"{value.year}年{value.month}月{value.day}日"
    return value.date().isoformat().translate(FULL_WIDTH)


def messy(source: Path, target: Path) -> None:
    """`source` rewritten the way a township office keeps it; see the module's docstring."""
    rows = [list(r) for r in load_workbook(source).worksheets[0].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if sum(v is not None for v in r) >= 2)
    header = [f"{h}（必填）" if i == 0 else f"{h} *" if i == 1 else h for i, h in enumerate(rows[at])]
    book = Workbook()
    sheet = book.active
    sheet.append([f"{source.stem}（2025年）"])
    sheet.append(["填报单位：（盖章）", None, "填报日期：2025年10月8日"])
    sheet.append(["序号", *header])
    for n, record in enumerate(rows[at + 1 :], start=1):
        if not any(v is not None for v in record):
            continue
        cells = [
            _date_text(v, n) if isinstance(v, dt.datetime) else f"{v}  " if isinstance(v, str) else v for v in record
        ]
        sheet.append([n, *cells])
        if n % 7 == 0:
            sheet.append([])
    sheet.append(["合计", f"共{len(rows) - at - 1}条"])
    sheet.append(["填表人：张三", None, "审核人：李四", None, "联系电话：7732297"])
    book.save(target)


def test_a_messy_workbook_audits_to_exactly_the_findings_of_its_clean_twin(tmp_path_factory):
    folder = tmp_path_factory.mktemp("messy") / "hongjiang-2025"
    folder.mkdir()
    for path in sorted((EXAMPLES / "hongjiang-2025").glob("*.xlsx")):
        if path.name != UNITS_FILE:
            messy(path, folder / path.name)
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    clean, _ = audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30", "--no-history")
    dirty, console = audit_example(tmp_path_factory, "hongjiang-2025", "2025-09-30", "--no-history", folder=folder)
    assert _findings(dirty) == _findings(clean) and len(_findings(clean)) == 26  # the example's findings
    assert _referrals(dirty) == _referrals(clean)
    audit = json.loads((dirty / "findings.json").read_text(encoding="utf-8"))["audit"]
    assert (
        audit["file_problems"] == []
        and audit["missing_ledgers"]
        == json.loads((clean / "findings.json").read_text(encoding="utf-8"))["audit"]["missing_ledgers"]
    )
    units = next(led for led in audit["ledgers"] if led["ledger"] == "units")
    assert (units["file"], units["rows_used"], units["rows_rejected"]) == (FIXTURE.name, 21, 0)
    assert "已跳过非数据行" in console


def _findings(out: Path) -> list[tuple]:
    keys = ("rule", "unit", "period", "record", "doubtful", "message", "expected", "actual", "responsible")
    found = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    return sorted(tuple(json.dumps(f[k], ensure_ascii=False) for k in keys) for f in found)


def _referrals(out: Path) -> list[tuple]:
    referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    return sorted((r["person"] or "", r["name"], r["disposition"], len(r["findings"])) for r in referrals)

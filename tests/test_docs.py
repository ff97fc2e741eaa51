"""The docs inside the project: every file the code cites exists; the clerks' guide lists every ledger and column."""

import re
from pathlib import Path

from accountability.contract.schema import ledger_specs
from accountability.packs.loading import load_packs

ROOT = Path(__file__).resolve().parents[1]


def test_every_document_the_code_cites_is_in_the_repository():
    cited = set()
    for path in [*ROOT.glob("src/**/*.py"), *ROOT.glob("src/**/*.yaml"), *ROOT.glob("rules/*.yaml")]:
        cited |= set(re.findall(r"docs/[a-z-]+\.md", path.read_text(encoding="utf-8")))
    assert cited and sorted(c for c in cited if not (ROOT / c).is_file()) == []


def test_the_ledger_guide_lists_every_ledger_and_column_of_the_contract():
    guide = (ROOT / "docs" / "ledgers.md").read_text(encoding="utf-8")
    missing = [
        f"{key}.{column.key}"
        for key, spec in ledger_specs().items()
        for column in spec.columns
        if f"## {spec.title}（{key}）" not in guide or f"| `{column.key}` |" not in guide
    ]
    assert missing == []


def _coverage_rows():
    """(plan, clause, quote, names) for each row of docs/coverage.md, with the plan of the section it stands in."""
    plan, rows = None, []
    for line in (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## .*（`([a-z0-9-]+)`）", line)
        plan = heading.group(1) if heading else plan
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4 and cells[0] not in ("条款", "---"):
            rows.append((plan, cells[0], cells[1], set("、".join(cells[2:]).split("、"))))
    return rows


PLANS = ["hongjiang-2025", "jincheng-2021", "yanhu-2022", "tangyuan-2022", "yiyuan"]


def _cell(quote):
    return quote.strip().replace("|", "｜").replace("\n", "")


def test_the_coverage_table_carries_every_rule_of_every_plan_under_its_own_sentence():
    rows = {(plan, clause, quote, name) for plan, clause, quote, names in _coverage_rows() for name in names}
    missing = [
        r.id
        for p in load_packs(PLANS)
        if p.id != "common"
        for r in p.rules
        if (p.id, r.clause, _cell(r.quote), r.id) not in rows
    ]
    assert missing == []


def test_the_coverage_table_lists_every_accountability_clause_with_what_it_governs():
    rows = _coverage_rows()
    missing = [
        (p.id, c.clause)
        for p in load_packs(PLANS)
        if p.id != "common"
        for c in p.accountability
        if not any(row[:3] == (p.id, c.clause, _cell(c.quote)) and set(c.rules) <= row[3] for row in rows)
    ]
    assert missing == []


def test_every_sentence_of_the_coverage_table_stands_word_for_word_in_its_plan():
    texts = {
        plan: "".join((ROOT / "rules" / "plans" / f"{plan}.txt").read_text(encoding="utf-8").split()) for plan in PLANS
    }
    wrong = [(plan, quote) for plan, _, quote, _ in _coverage_rows() if "".join(quote.split()) not in texts[plan]]
    assert wrong == []


def test_every_section_a_message_points_to_exists():
    """A message saying where to read (docs/writing-packs.md「字段一览」, README“节假日与调休”) names a heading."""
    cited = []
    for path in ROOT.glob("src/**/*.py"):
        text = path.read_text(encoding="utf-8")
        cited += [(f"docs/{doc}.md", section) for doc, section in re.findall(r"docs/([a-z-]+)\.md「([^」]+)」", text)]
        cited += [("README.md", section) for section in re.findall(r"README“([^”]+)”", text)]
    assert cited
    missing = [
        (doc, section)
        for doc, section in cited
        if not re.search(rf"^#+ {re.escape(section)}$", (ROOT / doc).read_text(encoding="utf-8"), re.M)
    ]
    assert missing == []

"""`accountability sample`: the city's reproducible spot-check sample, written as a 抽查记录 ledger, and its
hand-back (a problem in the returned 抽查记录 with a 抽查日期 counts as spot-checked)."""

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from accountability.audit.pipeline import read_ledgers
from accountability.cli import cli
from accountability.ingest.files import ledger_for_name

EXAMPLE = Path(__file__).parent.parent / "examples" / "jincheng-2021"
PROBLEMS = "问题整改台账.xlsx"
# jincheng-2021: 泽州县 6 problems (JC-WT-001…006), 高平市 4 (007…010), 阳城县 5 (011…015)
SEED7 = ["JC-WT-002", "JC-WT-003", "JC-WT-009", "JC-WT-010", "JC-WT-011", "JC-WT-015"]


def _sample(ledgers: Path, *args: str):
    return CliRunner().invoke(cli, ["sample", str(ledgers), *args])


def _ids(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path).active
    return [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]


def _copy(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target)
    return target


def _edit_rows(path: Path, change) -> None:
    """Rewrite the data rows (below the title and header rows) of a ledger workbook's first sheet."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows = change([list(row) for row in sheet.iter_rows(min_row=3, values_only=True)])
    sheet.delete_rows(3 + len(rows), sheet.max_row)
    for index, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=index, column=column).value = value  # cell(value=None) would keep the old value
    book.save(path)


def _column(path: Path, header: str) -> int:
    return [c.value for c in openpyxl.load_workbook(path).active[2]].index(header)


@pytest.mark.parametrize(
    ("ratio", "counts"),
    [("0.3", (2, 2, 2)), ("0.5", (3, 2, 3)), ("0.1", (1, 1, 1)), ("1", (6, 4, 5))],
)
def test_counts_per_county_are_rounded_up(ratio, counts):
    result = _sample(EXAMPLE, "--ratio", ratio, "--seed", "7")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "已写出抽查样本：抽查记录.xlsx"
    for name, total, drawn in zip(["泽州县", "高平市", "阳城县"], [6, 4, 5], counts, strict=True):
        assert f"  {name}：问题 {total} 条，抽取 {drawn} 条" in lines
    assert f"合计：问题 15 条，抽取 {sum(counts)} 条" in lines
    assert any(f"--ratio {float(ratio):g} --seed 7 --by county" in line for line in lines)
    assert len(_ids(Path("抽查记录.xlsx"))) == sum(counts)


def test_written_sample_is_a_spot_check_ledger():
    assert _sample(EXAMPLE, "--ratio", "0.3", "--seed", "7", "--as-of", "2022-03-19").exit_code == 0
    book = openpyxl.load_workbook("抽查记录.xlsx")
    assert book.sheetnames == ["抽查记录", "抽样说明", "取值"]
    sheet = book["抽查记录"]
    assert sheet["A1"].value == (
        "市级抽查样本：按县(市、区)分组，抽取比例30%，随机种子7，发现日期 2022-03-19 及以前，共抽取 6 / 15 条"
    )
    headers = "问题编号（必填） 所属乡镇 县(市、区) 发现日期 问题描述 问题类型 抽查日期 抽查人 抽查结果 抽查情况"
    assert [c.value for c in sheet[2]] == headers.split()
    first = [c.value for c in sheet[3]]
    assert first[:4] == ["JC-WT-002", "大东沟镇", "泽州县", dt.datetime(2021, 12, 27)]
    assert first[5] == "封堵不到位" and first[6:] == [None] * 4
    validations = {(v.type, str(v.sqref)) for v in sheet.data_validations.dataValidation}
    assert validations == {("date", "D3:D1002"), ("date", "G3:G1002"), ("list", "I3:I1002")}
    assert book["取值"].sheet_state == "hidden"
    notes = [row for row in book["抽样说明"].iter_rows(values_only=True) if row[0] in ("泽州县", "高平市", "阳城县")]
    assert [r[:5] for r in notes] == [("泽州县", "ZZ", 6, 2, 2), ("高平市", "GP", 4, 2, 2), ("阳城县", "YC", 5, 2, 2)]
    assert ledger_for_name("抽查记录") == "spot_checks"


def test_same_seed_same_sample_whatever_the_files(tmp_path):
    assert _sample(EXAMPLE, "--ratio", "0.3", "--seed", "7", "--out", "a.xlsx").exit_code == 0
    assert _sample(EXAMPLE, "--ratio", "0.3", "--seed", "7", "--out", "b.xlsx").exit_code == 0
    assert _ids(Path("a.xlsx")) == _ids(Path("b.xlsx")) == SEED7

    shuffled = _copy(tmp_path / "shuffled")
    _edit_rows(shuffled / PROBLEMS, lambda rows: random.Random(1).sample(rows[::-1], len(rows)))
    for path in list(shuffled.iterdir()):
        path.rename(path.with_name("2022年" + path.name))
    assert _sample(shuffled, "--ratio", "0.3", "--seed", "7", "--out", "c.xlsx").exit_code == 0
    assert _ids(Path("c.xlsx")) == SEED7

    assert _sample(EXAMPLE, "--ratio", "0.3", "--seed", "8", "--out", "d.xlsx").exit_code == 0
    assert _ids(Path("d.xlsx")) == ["JC-WT-001", "JC-WT-002", "JC-WT-008", "JC-WT-009", "JC-WT-012", "JC-WT-014"]


def test_a_groups_draw_does_not_depend_on_other_groups(tmp_path):
    fewer = _copy(tmp_path / "fewer")
    _edit_rows(fewer / PROBLEMS, lambda rows: [r for r in rows if r[0] != "JC-WT-001"])
    assert _sample(fewer, "--ratio", "0.3", "--seed", "7").exit_code == 0
    assert [i for i in _ids(Path("抽查记录.xlsx")) if i >= "JC-WT-007"] == SEED7[2:]


@pytest.mark.parametrize("args", [["--ratio", "0"], ["--ratio", "1.5"], ["--ratio", "0.3", "--seed", "-1"]])
def test_bad_ratio_or_seed_is_exit_2(args):
    result = _sample(EXAMPLE, *args, *([] if "--seed" in args else ["--seed", "7"]))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_no_problems_ledger_is_exit_2_in_one_line(tmp_path):
    ledgers = _copy(tmp_path / "no-problems")
    (ledgers / PROBLEMS).unlink()
    result = _sample(ledgers, "--ratio", "0.3", "--seed", "7")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "问题整改台账" in result.stderr and "Traceback" not in result.output


def test_problem_above_the_grouping_level_goes_to_the_top_unit(tmp_path):
    ledgers = _copy(tmp_path / "county-level")
    unit = _column(ledgers / PROBLEMS, "所属乡镇")

    def to_county(rows):
        rows[0][unit] = "泽州县"  # JC-WT-001 registered against the county itself
        return rows

    _edit_rows(ledgers / PROBLEMS, to_county)
    result = _sample(ledgers, "--ratio", "0.3", "--seed", "7", "--by", "township")
    assert result.exit_code == 0, result.output
    assert "  晋城市：问题 1 条，抽取 1 条" in result.output.splitlines()
    assert "注意：1 条问题找不到所属乡镇(林场)，归入「晋城市」组" in result.output


def _spot_check_findings(ledgers: Path, out: Path) -> dict[str, str]:
    args = ["audit", str(ledgers), "--pack", "jincheng-2021", "--as-of", "2022-03-19", "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--no-history"])
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert not [e for e in doc["data_errors"] if e["ledger"] in ("problems", "spot_checks")]
    return {f["unit"]: f["actual"] for f in doc["findings"] if f["rule"] == "JC-SPOTCHECK-RATIO"}


def _handed_back(tmp_path: Path, checked: int) -> Path:
    """The example with its own 是否抽查 column cleared (so only the inspector's record can count), sampled at 30%
    with seed 7 into the folder, the first `checked` sampled rows filled in by the inspector."""
    ledgers = _copy(tmp_path / "ledgers")
    column = _column(ledgers / PROBLEMS, "是否抽查")

    def clear(rows):
        for row in rows:
            row[column] = None
        return rows

    _edit_rows(ledgers / PROBLEMS, clear)
    record = ledgers / "抽查记录.xlsx"
    assert _sample(ledgers, "--ratio", "0.3", "--seed", "7", "--out", str(record)).exit_code == 0

    def fill(rows):
        for row in rows[:checked]:
            row[6:9] = [dt.datetime(2022, 3, 10), "市自然资源局 王检查", "整改到位"]
        return rows

    _edit_rows(record, fill)
    return ledgers


def test_handed_back_sample_counts_as_spot_checked(tmp_path):
    # as given, the example's own 是否抽查 column leaves 阳城县 at 1/5
    assert _spot_check_findings(EXAMPLE, tmp_path / "as-given") == {"YC": "1/5（20%）"}
    nothing = _handed_back(tmp_path / "nothing", checked=0)  # the sample handed back unfilled: nothing counts
    assert _spot_check_findings(nothing, tmp_path / "before") == {
        "ZZ": "0/6（0%）", "GP": "0/4（0%）", "YC": "0/5（0%）"
    }  # fmt: skip
    # all sampled problems checked but 阳城县's JC-WT-015 (the last row): 泽州县 and 高平市 now meet 30%
    assert SEED7[-1] == "JC-WT-015"
    ledgers = _handed_back(tmp_path / "all-but-one", checked=len(SEED7) - 1)
    assert _spot_check_findings(ledgers, tmp_path / "after") == {"YC": "1/5（20%）"}


def test_fully_checked_sample_leaves_no_shortfall(tmp_path):
    ledgers = _handed_back(tmp_path, checked=len(SEED7))
    assert _spot_check_findings(ledgers, tmp_path / "after") == {}


def test_unknown_problem_in_spot_checks_is_a_data_error(tmp_path):
    ledgers = _copy(tmp_path / "ledgers")
    record = ledgers / "抽查记录.xlsx"
    assert _sample(ledgers, "--ratio", "0.3", "--seed", "7", "--out", str(record)).exit_code == 0

    def mistype(rows):
        rows[1][0] = "JC-WT-999"
        for row in rows:
            row[6] = dt.datetime(2022, 3, 10)
        return rows

    _edit_rows(record, mistype)
    ledger_set = read_ledgers(ledgers)
    errors = ledger_set.errors[ledger_set.errors["ledger"] == "spot_checks"]
    assert errors[["file", "sheet", "row", "column", "value", "reason"]].values.tolist() == [
        ["抽查记录.xlsx", "抽查记录", 4, "问题编号", "JC-WT-999", "问题整改台账中没有此问题编号"]
    ]
    assert errors["fix"].iloc[0] and errors["rejected"].iloc[0]
    assert len(ledger_set.frame("spot_checks")) == 5
    # the other rows still count: JC-WT-002 and 009 were 否 in the problems ledger, 012 was not sampled
    checked = ledger_set.frame("problems").set_index("id")["spot_checked"]
    assert checked[["JC-WT-002", "JC-WT-009", "JC-WT-012"]].tolist() == [True, True, False]

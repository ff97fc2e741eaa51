"""`--executor dask`: the rules run county by county on a Dask cluster and give exactly what one process gives."""

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from evaluations import assert_same
from generated import other_generator
from test_generate import generator
from test_new_plan import PACK as NEW_PLAN
from test_new_plan import ledgers as ledgers_of_the_new_plan

from accountability.audit.pipeline import read_ledgers
from accountability.cli import cli
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs
from accountability.packs.model import in_force
from accountability.run.dask import (
    OUTSIDE,
    _row_parts,
    county_of,
    dask_address,
    deal,
    evaluate_on_dask,
    is_local,
)
from accountability.run.engine import evaluate

distributed = pytest.importorskip("dask.distributed")

AS_OF = date(2025, 12, 31)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on this machine, shared by the tests."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    """Three generated counties with planted violations: rows across all five plans."""
    out = tmp_path_factory.mktemp("generated") / "province"
    generator.main([str(out), "--counties", "3", "--seed", "5"])
    return out


def test_generated_province_gives_identical_findings(province, cluster):
    ledgers, packs = read_ledgers(province), load_packs([])
    one = evaluate(ledgers, packs, AuditWindow(None, AS_OF))
    many = evaluate_on_dask(ledgers, packs, AuditWindow(None, AS_OF), address=cluster)
    assert len(one.findings) > 500 and one.findings["rule"].nunique() > 10
    assert_same(one, many)
    county = county_of(ledgers)
    assert set(county.unique()) == {OUTSIDE, *ledgers.units.frame.index[ledgers.units.level == "county"]}
    local = [rule.id for pack in packs for rule in pack.rules if is_local(rule, ledgers, county)]
    assert "HJ-PATROL-WEEKLY" in local and "INT-PERSON-CLASH" not in local and "HJ-CITY-PATROL-DAYS" not in local


@pytest.mark.parametrize(
    ("example", "pack", "as_of"),
    [("hongjiang-2025", "hongjiang-2025", date(2025, 9, 30)), ("jincheng-2021", "jincheng-2021", date(2022, 3, 31)),
     ("yanhu-2022", "yanhu-2022", date(2023, 3, 31)), ("tangyuan-2022", "tangyuan-2022", date(2023, 3, 31)),
     ("yiyuan", "yiyuan", date(2023, 12, 31))],
)  # fmt: skip
def test_examples_give_identical_findings(example, pack, as_of, cluster):
    ledgers, packs = read_ledgers(EXAMPLES / example), load_packs([pack])
    window = AuditWindow(None, as_of)
    assert_same(evaluate(ledgers, packs, window), evaluate_on_dask(ledgers, packs, window, address=cluster))


def test_the_second_generators_province_gives_identical_findings(tmp_path, cluster):
    """Another generator's shapes: counties of very different sizes, several files a ledger, named units, text and
    serial dates, unreadable cells, so doubtful findings too."""
    other_generator.main([str(tmp_path / "other"), "--counties", "3", "--seed", "3"])
    ledgers, packs = read_ledgers(tmp_path / "other"), load_packs([])
    window = AuditWindow(None, AS_OF)
    one = evaluate(ledgers, packs, window)
    assert len(one.findings) > 1000 and one.findings["doubtful"].any()
    assert_same(one, evaluate_on_dask(ledgers, packs, window, address=cluster))


def test_a_pack_with_its_own_ledgers_gives_identical_findings(tmp_path, cluster):
    """The workers know the pack's own ledgers (river log, pledges) and its unit links as this process does."""
    folder = ledgers_of_the_new_plan(tmp_path / "台账")
    packs = load_packs([str(NEW_PLAN)])
    with in_force(packs):
        ledgers = read_ledgers(folder)
        window = AuditWindow(None, date(2026, 6, 30))
        one = evaluate(ledgers, packs, window)
    assert sorted(one.findings["rule"]) == ["QS-PLEDGE", "QS-RIVER-DAILY", "QS-RIVER-DAILY", "QS-RIVER-DAILY"]
    assert_same(one, evaluate_on_dask(ledgers, packs, window, address=cluster))


def test_a_patrol_across_a_county_border_goes_to_both_counties(province):
    ledgers = read_ledgers(province)
    county = county_of(ledgers)
    patrols = ledgers.frame("patrols").iloc[:3].copy()
    villages = ledgers.units.frame.index[ledgers.units.level == "village"]
    elsewhere = next(v for v in villages if county[v] != county[patrols["unit"].iloc[0]])
    areas = patrols["areas"].tolist()
    areas[0] = [*areas[0], elsewhere]
    patrols["areas"] = pd.Series(areas, index=patrols.index, dtype=patrols["areas"].dtype)
    parts = _row_parts("patrols", patrols, county)
    assert 0 in parts[county[elsewhere]] and 0 in parts[county[patrols["unit"].iloc[0]]]
    assert sorted(int(p) for rows in parts.values() for p in rows) == [0, 0, 1, 2]


def test_command_line_on_a_cluster(province, cluster, tmp_path):
    runner = CliRunner()
    args = ["audit", str(province), "--as-of", "2025-12-31", "--no-history", "-q", "--format", "json"]
    local = runner.invoke(cli, [*args, "--out", str(tmp_path / "local")])
    remote = runner.invoke(cli, [*args, "--out", str(tmp_path / "dask"), "--executor", cluster.replace("tcp", "dask")])
    assert local.exit_code == remote.exit_code == 0, remote.output
    read = [json.loads((tmp_path / name / "findings.json").read_text(encoding="utf-8")) for name in ("local", "dask")]
    assert read[0]["findings"] == read[1]["findings"] and read[0]["compliance"] == read[1]["compliance"]


def test_executor_words():
    assert dask_address("dask") is None
    assert dask_address("dask://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    result = CliRunner().invoke(cli, ["audit", str(EXAMPLES / "yiyuan"), "--executor", "spark", "--no-history"])
    assert result.exit_code == 2 and "不认识的执行方式「spark」" in result.output


def test_counties_dealt_into_parts_each_seeing_its_own_tree(province):
    ledgers = read_ledgers(province)
    county = county_of(ledgers)
    parts = deal(county, 2)
    counties = sorted(set(county) - {OUTSIDE})
    assert parts[counties].tolist() == ["part-000", "part-000", "part-001"]
    assert (parts[county == OUTSIDE] == OUTSIDE).all()
    tree = ledgers.units.within(parts.index[parts.to_numpy() == "part-001"])
    assert tree.top == ledgers.units.top
    assert set(tree.frame.index) == set(ledgers.units.subtree(counties[2])) | {ledgers.units.top}

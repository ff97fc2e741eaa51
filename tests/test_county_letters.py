"""Output in proportion to the reader: an audit of several counties writes the overview, pages, data files and
workbook but no letters, and says how to draw a county's; `accountability letters OUT --unit COUNTY` draws them,
numbered and named as the whole set would be. An audit of one county (or of none) still writes all its letters."""

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from generated import generator
from workspace_site import login, make_workspace, run_queued

from accountability.cli import cli
from accountability.workspace.app import create_app


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("two") / "province"
    generator.main([str(out), "--counties", "2", "--seed", "3"])
    return out


def _audit(province: Path, out: Path, *options: str) -> str:
    done = CliRunner().invoke(cli, ["audit", str(province), "--as-of", "2025-12-31", "--no-history", "--out", str(out),
                                    "--pack", "hongjiang-2025", *options])  # fmt: skip
    assert done.exit_code == 0, done.output
    return done.output


def test_a_province_run_writes_no_letters_and_says_how_to_draw_a_countys(province, tmp_path):
    out = tmp_path / "out"
    console = _audit(province, out)
    assert not (out / "letters").exists()
    assert {"report.html", "report.xlsx", "findings.csv", "findings.json", "referrals.json"} <= {
        p.name for p in out.iterdir()
    }
    assert f"accountability letters {out} --unit" in console


def test_a_countys_letters_are_those_of_the_whole_set_for_its_people(province, tmp_path):
    whole, drawn = tmp_path / "whole", tmp_path / "drawn"
    _audit(province, whole, "--all-letters")
    _audit(province, drawn)
    runner = CliRunner()
    done = runner.invoke(cli, ["letters", str(drawn), "--unit", "K001"])
    assert done.exit_code == 0, done.output
    folder = next((drawn / "letters").iterdir())
    mine = sorted(p.name for p in folder.iterdir() if p.name not in ("index.html", "all.html"))
    assert mine and (folder / "all.html").is_file() and (folder / "index.html").is_file()
    everyone = {p.name for p in (whole / "letters").iterdir()}
    assert set(mine) < everyone
    for name in mine:
        assert (folder / name).read_text(encoding="utf-8") == (whole / "letters" / name).read_text(encoding="utf-8")
    other = runner.invoke(cli, ["letters", str(drawn), "--unit", "塘安县"])
    assert other.exit_code == 0
    theirs = {p.name for p in next(p for p in (drawn / "letters").iterdir() if p != folder).iterdir()}
    assert not (set(mine) & theirs)
    missing = runner.invoke(cli, ["letters", str(drawn), "--unit", "不存在的县"])
    assert missing.exit_code == 2 and "没有单位「不存在的县」" in missing.output


def test_a_county_audit_still_writes_all_its_letters(province, tmp_path):
    out = tmp_path / "county"
    console = _audit(province, out, "--unit", "K001")
    letters = [p for p in (out / "letters").iterdir() if p.name not in ("index.html", "all.html")]
    assert letters and "accountability letters" not in console


def test_the_workspace_draws_a_countys_letters_on_demand(province, tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    app = create_app(workspace)
    client, csrf = login(app, "jiwei")
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(province.glob("*.parquet"))]
    made = client.post("/api/ledger-sets", data={"name": "两县", "files": files}, headers=csrf).json
    body = {"ledger_set": made["id"], "packs": ["hongjiang-2025"], "as_of": "2025-12-31"}
    audit = client.post("/api/audits", json=body, headers=csrf).json["id"]
    run_queued(workspace)
    page = client.get(f"/audits/{audit}").data.decode()
    assert "按县下载函件" in page and "塘安县" in page
    letters = client.get(f"/api/audits/{audit}/files/letters/塘安县/all.html")
    assert letters.status_code == 200 and "函" in letters.data.decode()
    assert client.get(f"/api/audits/{audit}/files/letters/不存在县/all.html").status_code == 404
    assert client.get(f"/api/audits/{audit}/files/letters/all.html").status_code == 404

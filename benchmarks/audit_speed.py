"""Times an audit of a generated Hongjiang ledger set and prints rows per second per stage.

    python benchmarks/audit_speed.py [--townships 200] [--format parquet|csv|xlsx] [--seed 1] [--messy 0.01]

The ledger set is generated with numpy (a year of patrols, adits, key persons, devices, tips, cases,
problems, meetings) into a temporary folder; nothing is kept. With `--messy SHARE`, that share of the patrols has
its 巡查类型 blank and as many an impossible date, and that share of the tips a blank reward, so every rule reading
them is run again in the units' favour (checks/favour.py): the cost of the benefit of the doubt.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from accountability import history
from accountability.audit.document import document
from accountability.audit.pipeline import read_ledgers, track_history
from accountability.language.periods import AuditWindow
from accountability.packs.loading import load_packs
from accountability.referral.policy import load_policy
from accountability.referral.referrals import build_referrals
from accountability.report.outputs import write_outputs
from accountability.run.engine import evaluate

YEAR_DAYS = pd.date_range("2025-01-01", "2025-12-31")


def generate(townships: int, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """A province-like unit tree with ~12 villages a township and a year of records, all vectorised."""
    t_ids = np.array([f"T{i:04d}" for i in range(townships)])
    v_parent = np.repeat(t_ids, 12)
    v_ids = np.char.add(v_parent.astype(str), np.char.zfill(np.tile(np.arange(12), townships).astype(str), 2))
    units = pd.concat(
        [
            pd.DataFrame({"id": ["C"], "name": ["市"], "level": ["city"], "parent": [None], "mining": [None]}),
            pd.DataFrame({"id": t_ids, "name": np.char.add("乡镇", t_ids), "level": "township", "parent": "C",
                          "mining": np.where(rng.random(townships) < 0.8, "是", "否")}),
            pd.DataFrame({"id": v_ids, "name": np.char.add("村", v_ids), "level": "village", "parent": v_parent,
                          "mining": None}),
        ]
    )  # fmt: skip
    people = pd.DataFrame(
        {
            "id": np.concatenate([np.char.add("M", t_ids), np.char.add("L", t_ids), np.char.add("S", v_ids)]),
            "name": np.concatenate(
                [np.char.add("镇长", t_ids), np.char.add("队长", t_ids), np.char.add("书记", v_ids)]
            ),
            "unit": np.concatenate([t_ids, t_ids, v_ids]),
            "roles": ["主要负责人"] * townships + ["巡查队长"] * townships + ["村支部书记"] * len(v_ids),
        }
    )
    n = townships * 160
    unit_index = rng.integers(0, townships, n)
    days = YEAR_DAYS[rng.integers(0, len(YEAR_DAYS), n)]
    patrols = pd.DataFrame(
        {
            "id": np.char.add("X", np.arange(n).astype(str)),
            "date": days,
            "unit": t_ids[unit_index],
            "team": rng.choice(["daily", "daily", "daily", "cross", "village"], n),
            "areas": v_ids[unit_index * 12 + rng.integers(0, 12, n)],
            "leader": np.char.add("L", t_ids[unit_index]),
            "problem_found": np.where(rng.random(n) < 0.01, "是", "否"),
            "notes": np.char.add("巡查情况记录，未发现异常，编号", np.arange(n).astype(str)),
            "photo": np.char.add("IMG_", rng.integers(0, n * 20, n).astype(str)),
        }
    )
    m = townships * 15
    owner = t_ids[rng.integers(0, townships, m)]
    adits = pd.DataFrame(
        {
            "id": np.char.add("A", np.arange(m).astype(str)),
            "unit": owner,
            "responsible": np.where(rng.random(m) < 0.97, np.char.add("L", owner), None),
            "in_license_area": np.where(rng.random(m) < 0.1, "是", "否"),
            "license_holder": "某矿业公司",
            "discovered_date": YEAR_DAYS[rng.integers(0, len(YEAR_DAYS), m)],
        }
    )
    k = townships * 5
    tips = pd.DataFrame(
        {
            "id": np.char.add("K", np.arange(k).astype(str)),
            "received_date": YEAR_DAYS[rng.integers(0, len(YEAR_DAYS), k)],
            "receiving_unit": "C",
            "verified": rng.choice(["属实", "不属实", "核查中"], k),
            "case_filed": rng.choice(["是", "否"], k),
            "reward_amount": rng.choice([0, 2000, 20000, 1000], k),
        }
    )
    return {"units": units, "people": people, "patrols": patrols, "adits": adits, "tips": tips}


def mess(ledgers: dict[str, pd.DataFrame], share: float, rng: np.random.Generator) -> None:
    """Blank 巡查类型 and impossible dates on `share` of the patrols, blank rewards on `share` of the tips."""
    patrols, tips = ledgers["patrols"], ledgers["tips"]
    patrols["team"] = patrols["team"].where(rng.random(len(patrols)) >= share)
    dates = patrols["date"].dt.strftime("%Y-%m-%d")
    patrols["date"] = dates.where(rng.random(len(patrols)) >= share, "2025-02-30")
    tips["reward_amount"] = tips["reward_amount"].astype(float).where(rng.random(len(tips)) >= share)


def write(ledgers: dict[str, pd.DataFrame], folder: Path, fmt: str) -> None:
    for name, frame in ledgers.items():
        if fmt == "parquet":
            frame.to_parquet(folder / f"{name}.parquet")
        elif fmt == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            frame.to_excel(folder / f"{name}.xlsx", index=False)


def timed(label: str, rows: int, func, *args):
    start = time.perf_counter()
    result = func(*args)
    seconds = time.perf_counter() - start
    print(f"{label:<28} {seconds:8.2f} s   {rows / seconds:>12,.0f} rows/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--townships", type=int, default=200)
    parser.add_argument("--format", choices=["parquet", "csv", "xlsx"], default="parquet")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--messy", type=float, default=0.0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    ledgers = generate(args.townships, rng)
    if args.messy:
        mess(ledgers, args.messy, rng)
    rows = sum(len(frame) for frame in ledgers.values())
    print(f"{args.townships} townships, {rows:,} ledger rows ({args.format}, {args.messy:.0%} messy)")
    packs = load_packs(["hongjiang-2025"])
    as_of = date(2025, 12, 31)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ledgers"
        folder.mkdir()
        write(ledgers, folder, args.format)
        start = time.perf_counter()
        window = AuditWindow(None, as_of)
        ledger_set = timed("read and type ledgers", rows, read_ledgers, folder)
        evaluation = timed("run rules and roles", rows, evaluate, ledger_set, packs, window)
        history_file = Path(tmp) / "history.sqlite"
        top = ledger_set.units.top
        with history.open_book(history_file) as book:
            tracking = timed("compare with history", rows, track_history, evaluation, packs, window, top, book)
            referrals = timed(
                "referrals", rows, build_referrals, evaluation.findings, ledger_set, load_policy(), as_of, packs
            )
            doc = timed(
                "assemble findings.json", rows, document, ledger_set, packs, evaluation, window, folder, tracking
            )
            timed(
                "write json, csv, html", rows, write_outputs, doc, referrals, Path(tmp) / "out", ("json", "csv", "html")
            )
            timed("record history", rows, book.record, doc, evaluation.findings, tracking.resolved)
        total = time.perf_counter() - start
        next_week = AuditWindow(None, as_of + timedelta(days=7))
        with history.open_book(history_file) as book:
            timed("next audit vs history", rows, track_history, evaluation, packs, next_week, top, book)
    print(f"{'whole audit (no xlsx)':<28} {total:8.2f} s   {rows / total:>12,.0f} rows/s")
    print(f"findings {len(doc['findings']):,}, referrals {len(referrals):,}, data errors {len(doc['data_errors']):,}")


if __name__ == "__main__":
    main()

"""Where the rules run: in this process, or partitioned by county on a Dask cluster (`--executor dask`).

Most rules judge a unit from the rows of its own county, so a provincial audit can run them county by county on
many machines. The counties are dealt into a few parts per worker (a part per county would spend more on each
rule's fixed cost than on the rows). A row goes to every part whose counties it names (its unit, and the units in
its lists, such as a patrol's areas), each part sees the unit tree of its own counties (so a rule's subjects are its
own townships), and keeps only the results about its own units, so a patrol across a county border still counts
where it went. Rows and results above or outside every county form one more part. Rules that look across
counties (a person in two townships on one day, a photo used twice, references between ledgers, rules whose
subjects sit above the counties, "any record counts for every subject") run once over the whole ledger set, in
this process, while the cluster works on the counties.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from accountability.contract.schema import ledger_specs
from accountability.errors import AccountabilityError
from accountability.ingest.ledgerset import LedgerSet
from accountability.ingest.units import Subjects
from accountability.ingest.values import list_items
from accountability.language.periods import AuditWindow
from accountability.language.workdays import WorkCalendar
from accountability.packs.model import Pack, Rule, in_force
from accountability.run.engine import Evaluation, RuleRun, assemble, run_rules

# Check kinds that judge each unit from rows of that unit or of units under it, reading one ledger.
LOCAL_KINDS = frozenset(
    {"required_fields", "record_check", "count_per_period", "visits_per_period", "coverage", "target",
     "report_deadline", "overdue", "ratio", "expected_value"}
)  # fmt: skip
UNIT_TYPES = ("unit", "unit_or_text", "unit_list")
OUTSIDE = "（县以上）"  # the part for rows and results above or outside every county
EXTRA = "accountability[dask]"
PARTS_PER_WORKER = 2


def dask_address(executor: str) -> str | None:
    """`dask` → None (a cluster on this machine), `dask://host:8786` → `tcp://host:8786`."""
    if executor == "dask":
        return None
    if executor.startswith("dask://"):
        return "tcp://" + executor.removeprefix("dask://")
    raise AccountabilityError(
        f"不认识的执行方式「{executor}」", fix="可选：local（本机，默认）、dask（本机集群）、dask://调度器地址:端口"
    )


def county_of(ledgers: LedgerSet) -> pd.Series:
    """Unit id → its county, or OUTSIDE for units above or outside every county."""
    ids = ledgers.units.frame.index.to_series().astype("string")
    return ledgers.units.ancestor(ids, ("county",)).fillna(OUTSIDE).set_axis(ids.to_numpy())


def is_local(rule: Rule, ledgers: LedgerSet, county: pd.Series) -> bool:
    """Whether county by county gives what the whole ledger set gives for this rule."""
    params = rule.checked
    if rule.kind not in LOCAL_KINDS or len(params.ledgers() + params.optional_ledgers()) != 1:
        return False
    if getattr(params, "match", None) in ("any", "unit_or_served"):  # a server may serve another county's townships
        return False
    subjects = getattr(params, "subjects", None)
    if isinstance(subjects, Subjects):
        chosen = ledgers.units.select(subjects)
        return not county.reindex(chosen).fillna(OUTSIDE).eq(OUTSIDE).any()
    return True


def deal(county: pd.Series, parts: int) -> pd.Series:
    """Unit id → its part: the counties, in id order, dealt into `parts` runs of neighbours; OUTSIDE stays apart."""
    counties = np.array(sorted(set(county) - {OUTSIDE}), dtype=object)
    labels = {c: f"part-{i:03d}" for i, chunk in enumerate(np.array_split(counties, max(parts, 1))) for c in chunk}
    return county.map(labels).astype("string").fillna(OUTSIDE)


def _row_parts(ledger: str, frame: pd.DataFrame, part: pd.Series) -> dict[str, np.ndarray]:
    """Part → positions of its rows, in ledger order: a row once in each part it names, OUTSIDE when none."""
    columns = [c.key for c in ledger_specs()[ledger].columns if c.type in UNIT_TYPES and c.key in frame]
    columns += ["id"] if ledger == "units" else []  # a unit's own row is about that unit
    position = pd.RangeIndex(len(frame))
    named = [list_items(frame[c].set_axis(position)) for c in columns]
    parts = pd.concat([*named, pd.Series(dtype="string")]).map(part).dropna()
    parts = pd.concat([parts, pd.Series(OUTSIDE, index=position.difference(parts.index))])
    pairs = pd.DataFrame({"position": parts.index, "part": parts.to_numpy()}).drop_duplicates()
    return {name: np.sort(rows.to_numpy()) for name, rows in pairs.groupby("part")["position"]}


def split(ledgers: LedgerSet, part_of: pd.Series) -> dict[str, LedgerSet]:
    """One ledger set per part: its rows (index labels kept, so evidence points at the same rows), the unit tree
    of its own units and those above them, and the whole people directory."""
    row_parts = {ledger: _row_parts(ledger, frame, part_of) for ledger, frame in ledgers.frames.items()}
    names = sorted(set().union(*row_parts.values()) | {OUTSIDE})
    out = {}
    for name in names:
        part = LedgerSet(ledgers.name)
        part.units = ledgers.units.within(part_of.index[part_of.to_numpy() == name])
        part.people = ledgers.people
        part.problems, part.errors, part.invalid = ledgers.problems, ledgers.errors, ledgers.invalid
        part.rejected, part.candidates, part.locations = ledgers.rejected, ledgers.candidates, ledgers.locations
        for ledger, frame in ledgers.frames.items():
            part.frames[ledger] = frame.iloc[row_parts[ledger].get(name, np.arange(0))]
        out[name] = part
    return out


def _keep(run: RuleRun, name: str, part_of: pd.Series) -> RuleRun:
    """Only the results about this part's own units."""

    def own(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
        kept = [f[f["unit"].astype("string").map(part_of).fillna(OUTSIDE).eq(name).to_numpy()] for f in frames]
        return [f for f in kept if not f.empty]

    return replace(run, parts=own(run.parts), targets=own(run.targets), judged=own(run.judged))


def _run_part(
    ledgers: LedgerSet,
    name: str,
    part_of: pd.Series,
    packs: list[Pack],
    local: set[str],
    window: AuditWindow,
    calendar: WorkCalendar,
) -> RuleRun:
    """One part's run, on a worker: the local rules, then only what concerns the part's units."""
    run = run_rules(ledgers, packs, window, calendar, chosen=lambda rule: rule.id in local)
    return _keep(run, name, part_of)


def evaluate_on_dask(
    ledgers: LedgerSet,
    packs: list[Pack],
    window: AuditWindow,
    calendar: WorkCalendar | None = None,
    address: str | None = None,
) -> Evaluation:
    """The same Evaluation as `engine.evaluate`, the county parts run on a Dask cluster (`address`, else a
    cluster of this machine's cores), the rules across counties here meanwhile."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise AccountabilityError(
            "未安装 Dask，无法分布式运行", fix=f'请先 pip install "{EXTRA}"，或去掉 --executor'
        ) from exc
    calendar = calendar or WorkCalendar()
    county = county_of(ledgers)
    local = {rule.id for pack in packs for rule in pack.rules if is_local(rule, ledgers, county)}
    cluster = LocalCluster(processes=True, dashboard_address=":0") if address is None else None
    try:
        with Client(cluster if cluster is not None else address) as client:
            part_of = deal(county, PARTS_PER_WORKER * len(client.scheduler_info()["workers"]))
            shared = client.scatter([part_of, packs, local, window, calendar], broadcast=True)
            with in_force(packs):  # the packs' own ledgers, for their unit columns
                names, sets = zip(*split(ledgers, part_of).items(), strict=True)
            scattered = client.scatter(list(sets))
            del sets  # the workers hold the parts now
            futures = [
                client.submit(_run_part, part, name, *shared, key=f"part-{i}", pure=False)
                for i, (name, part) in enumerate(zip(names, scattered, strict=True))
            ]
            whole = run_rules(ledgers, packs, window, calendar, chosen=lambda rule: rule.id not in local)
            runs = [whole, *client.gather(futures)]
    except OSError as exc:
        raise AccountabilityError(
            f"无法连接 Dask 调度器 {address}：{exc}", fix="请检查地址与端口，或去掉 --executor"
        ) from exc
    finally:
        if cluster is not None:
            cluster.close()
    return assemble(runs, ledgers, packs)

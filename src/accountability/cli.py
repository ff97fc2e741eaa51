"""The `accountability` command: audit a ledger set; list, check and test rule packs."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

import click
import pandas as pd

from accountability import __version__, progress
from accountability.audit.examples import run_clause_examples, run_examples, run_policy_examples
from accountability.audit.pipeline import read_ledgers
from accountability.audit.service import AuditRequest, perform
from accountability.contract.yamlfile import YamlDocument
from accountability.errors import AccountabilityError, ExitCode
from accountability.forms.ledger_templates import HINT, write_templates
from accountability.forms.sampling import GROUP_LEVELS, draw_sample, write_sample
from accountability.ingest.values import Parsed, parse_date, parse_month
from accountability.packs.drafting import write_draft
from accountability.packs.loading import load_pack, load_packs
from accountability.packs.model import SEVERITY_ORDER, in_force, pack_reads
from accountability.referral.policy import load_policy
from accountability.referral.referrals import ENGINES
from accountability.report.letters import ALL, INDEX, LETTERS_DIR, safe_name, unit_letters
from accountability.report.outputs import FORMATS
from accountability.report.summary import summary_text
from accountability.tuning import Tuning
from accountability.workspace.commands import serve, users


def _user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """A user's mistake becomes one line on stderr and exit 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AccountabilityError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(ExitCode.UNUSABLE)

    return wrapper


def _parse_one(parser: Callable[[pd.Series], Parsed], value: Any) -> Any:
    """One option value through the parser the ledgers use; None when it cannot be read."""
    parsed = parser(pd.Series([value], dtype=object))
    return None if parsed.bad.iloc[0] or pd.isna(parsed.values.iloc[0]) else parsed.values.iloc[0]


class DateParam(click.ParamType):
    """A date in any format the ledgers accept (2025-09-30, 2025年9月30日, 20250930 …)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        parsed = _parse_one(parse_date, value)
        if parsed is None:
            self.fail(f"无法识别的日期「{value}」，请写成 2025-09-30 或 2025年9月30日", param, ctx)
        return parsed.date()


class MonthParam(click.ParamType):
    """A month (2025-09, 2025年9月, 202509) → its first and last day."""

    name = "month"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[date, date]:
        if isinstance(value, tuple):
            return value
        parsed = _parse_one(parse_month, value)
        if parsed is None:
            self.fail(f"无法识别的月份「{value}」，请写成 2025-09 或 2025年9月", param, ctx)
        first = date.fromisoformat(f"{parsed}-01")
        return first, (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()


REFERRAL_POLICY = click.option(
    "--referral-policy",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="问责处置规则文件（默认 rules/referral.yaml）",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accountability")
def cli() -> None:
    """打非治违责任落实检查：读取台账，按实施方案规则包检查，输出问题清单与责任追究建议。"""


@cli.command()
@click.argument("ledgers", type=click.Path(path_type=Path))
@click.option("--pack", "packs", multiple=True, help="规则包 id 或 YAML 路径，可多次；默认 rules/ 中全部规则包")
@click.option("--from", "date_from", type=DateParam(), help="检查起始日（默认：规则包生效日）")
@click.option("--as-of", "as_of", type=DateParam(), help="检查截止日（默认：今天）")
@click.option(
    "--month",
    type=MonthParam(),
    help="月度检查，如 2025-09：检查该月，按周、按月、按季度的要求检查在该月结束的各期（代替 --from/--as-of）",
)
@click.option("--unit", help="只检查这个单位（编码或名称）及其下属单位，如乡镇迎检自查")
@click.option("--out", type=click.Path(path_type=Path), help="输出目录（默认 reports/<台账名>/）")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), help="输出格式，可多次；默认全部")
@click.option("--fail-on", type=click.Choice(list(SEVERITY_ORDER)), help="有该等级或更高的问题时以状态 1 退出")
@click.option("--set", "settings", multiple=True, metavar="PACK.PARAM=VALUE", help="覆盖规则包参数，可多次")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="输出语言")
@click.option(
    "--holidays",
    type=click.Path(path_type=Path),
    help="节假日与调休安排文件（.yaml/.csv/.xlsx），用于日历库尚未收录的年份",
)
@click.option(
    "--history",
    "history_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("reports") / "history.sqlite",
    show_default=True,
    help="检查历史库（SQLite）：与上次检查比对，标出新发现、仍未整改、已整改和死灰复燃",
)
@click.option("--no-history", is_flag=True, help="不读也不记录检查历史")
@click.option(
    "--referral-engine",
    type=click.Choice(ENGINES),
    default="pandas",
    show_default=True,
    help="问责处置的计算后端；rete 需 pip install accountability[rete]",
)
@REFERRAL_POLICY
@click.option(
    "--executor",
    default="local",
    show_default=True,
    metavar="local|dask|dask://地址:端口",
    help="规则在哪里运行：本进程；或按县分片在 Dask 集群上（dask 为本机集群），需 pip install accountability[dask]",
)
@click.option(
    "--waivers",
    type=click.Path(path_type=Path, dir_okay=False),
    help="已核准的情况说明（JSON 列表：id、finding、approver、expires），有效期内的问题不追责",
)
@click.option(
    "--all-letters", is_flag=True, help="检查多个县时也写出全部函件（默认按县用 accountability letters 生成）"
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条（不在终端中运行时本来就不显示）")
@click.option("--progress-json", is_flag=True, help="进度和错误以 JSON 行写到标准错误（供网页工作台调用）")
@_user_errors
def audit(
    ledgers: Path,
    packs: tuple[str, ...],
    date_from: date | None,
    as_of: date | None,
    month: tuple[date, date] | None,
    unit: str | None,
    out: Path | None,
    formats: tuple[str, ...],
    fail_on: str | None,
    settings: tuple[str, ...],
    lang: str,
    holidays: Path | None,
    history_path: Path,
    no_history: bool,
    referral_engine: str,
    referral_policy: Path | None,
    executor: str,
    waivers: Path | None,
    all_letters: bool,
    quiet: bool,
    progress_json: bool,
) -> None:
    """检查台账 LEDGERS（文件夹或工作簿），写出问题清单、责任追究建议和报告。"""
    try:
        request = AuditRequest(
            ledgers=ledgers,
            packs=packs,
            settings=settings,
            date_from=date_from,
            as_of=as_of,
            month=month,
            unit=unit,
            out=out,
            formats=formats or FORMATS,
            lang=lang,
            holidays=holidays,
            history=None if no_history else history_path,
            referral_engine=referral_engine,
            referral_policy=referral_policy,
            executor=executor,
            waivers=waivers,
            all_letters=all_letters,
        )
        with progress.showing(not quiet, as_json=progress_json):
            done = perform(request, Tuning.batch())
    except AccountabilityError as exc:
        if progress_json:  # the program that runs the command reads why, in the same stream as the progress
            progress.emit(sys.stderr, {"error": str(exc)})
        raise
    result, out = done.result, done.out
    click.echo(summary_text(result.doc, result.referrals, out, lang=lang))
    if fail_on:
        worst = max((SEVERITY_ORDER[f["severity"]] for f in result.doc["findings"]), default=-1)
        if worst >= SEVERITY_ORDER[fail_on]:
            sys.exit(ExitCode.FINDINGS)


@cli.command()
@click.argument("out", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--unit", required=True, help="县（或其他单位）的编码或名称：写出该单位及下属单位人员的函件")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="函件语言")
@_user_errors
def letters(out: Path, unit: str, lang: str) -> None:
    """按县写出一次检查的责任追究函件（OUT 为检查的输出目录），编号与全部函件中的一致。"""
    try:
        doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        referrals = json.loads((out / "referrals.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AccountabilityError(
            f"{out} 中没有可读的 findings.json 和 referrals.json", fix="OUT 写 accountability audit 的输出目录"
        ) from exc
    chosen, pages = unit_letters(doc, referrals, unit, lang)
    folder = out / LETTERS_DIR / safe_name(str(chosen["name"]))
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    count = sum(1 for name in pages if name not in (INDEX, ALL))
    click.echo(f"{chosen['name']}：责任追究函件 {count} 份，写入 {folder}（打印全部：{folder / ALL}）")


@cli.group()
def rules() -> None:
    """规则包：列出、校验、运行示例。"""


@rules.command("list")
@click.option("--pack", "packs", multiple=True, help="只列出这些规则包")
@_user_errors
def list_rules(packs: tuple[str, ...]) -> None:
    """列出规则：编号、规则包、条款、等级、检查类型、标题。"""
    for pack in load_packs(list(packs)):
        click.echo(f"# {pack.id}  {pack.title}（{len(pack.rules)} 条）")
        for rule in pack.rules:
            click.echo(f"{rule.id:<26} {pack.id:<16} {rule.clause:<18} {rule.severity:<6} {rule.kind:<16} {rule.title}")


def _describe_rule_file(path: Path) -> str:
    """Validate one rule file: the referral policy (the file with `dispositions:`) or a pack."""
    data = YamlDocument(path).data
    if isinstance(data, dict) and "dispositions" in data:
        policy = load_policy(path)
        return (
            f"问责处置规则，{len(policy.dispositions)} 级处置，{len(policy.step_ups)} 种上调情形，"
            f"{len(policy.citations)} 个方案的处置依据"
        )
    pack = load_pack(path)
    return f"规则包 {pack.id}，{len(pack.rules)} 条规则，{sum(len(r.examples) for r in pack.rules)} 个示例"


@rules.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_user_errors
def check_rules(paths: tuple[Path, ...]) -> None:
    """校验规则文件；每个错误给出文件、行号和修改方法。"""
    failed = 0
    for path in paths:
        try:
            click.echo(f"✓ {path}：{_describe_rule_file(path)}")
        except AccountabilityError as exc:
            failed += 1
            click.echo(f"✗ {exc}", err=True)
    if failed:
        sys.exit(ExitCode.UNUSABLE)


@rules.command("new")
@click.option("--plan", "plan", required=True, type=click.Path(path_type=Path), help="方案全文（UTF-8 的 .txt）")
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="写出的规则包，如 rules/my-county-2026.yaml"
)
@click.option("--id", "pack_id", help="规则包编号（小写字母、数字和连字符）；默认取 --out 的文件名")
@_user_errors
def new_rules(plan: Path, out: Path, pack_id: str | None) -> None:
    """从方案原文起草规则包：带数字、频次、时限和问责用语的句子逐条列出，待逐条完善。"""
    rules_count, clauses = write_draft(plan, out, pack_id)
    click.echo(f"已起草 {out}：{rules_count} 条待完善的规则（暂为人工核查事项），{clauses} 条问责条款（注释）")
    click.echo(f"下一步：逐条完善后运行 accountability rules check {out} 和 accountability rules test --pack {out}")
    click.echo("写法见 docs/writing-packs.md")


@rules.command("test")
@click.option("--pack", "packs", multiple=True, help="只运行这些规则包的示例")
@REFERRAL_POLICY
@_user_errors
def test_rules(packs: tuple[str, ...], referral_policy: Path | None) -> None:
    """运行每条规则自带的示例（示例台账 → 应得问题），逐条报告通过与否。"""
    loaded, policy = load_packs(list(packs)), load_policy(referral_policy)
    results = run_examples(loaded) + run_clause_examples(loaded, policy) + run_policy_examples(policy)
    by_rule: dict[tuple[str, str], list] = {}
    for result in results:
        by_rule.setdefault((result.pack, result.rule), []).append(result)
    for (pack, rule), group in by_rule.items():
        failed = [r for r in group if not r.passed]
        mark = "✓" if not failed else "✗"
        click.echo(f"{mark} {rule:<26} {pack:<16} {len(group) - len(failed)}/{len(group)} 个示例通过")
        for result in failed:
            for problem in result.problems:
                click.echo(f"    {result.example}：{problem}")
    failed_count = sum(not r.passed for r in results)
    click.echo(f"{len(results) - failed_count} passed, {failed_count} failed")
    if failed_count:
        sys.exit(ExitCode.FINDINGS)


@cli.command()
@click.argument("ledgers", type=click.Path(path_type=Path))
@click.option(
    "--ratio",
    required=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="抽取比例，大于 0、不超过 1，如 0.3（每组向上取整，至少 1 条）",
)
@click.option(
    "--seed",
    required=True,
    type=click.IntRange(min=0),
    help="随机种子（非负整数）：同样的台账、比例和种子抽出同样的样本",
)
@click.option(
    "--by",
    type=click.Choice(list(GROUP_LEVELS)),
    default="county",
    show_default=True,
    help="分组：县(市、区)、乡镇或全市",
)
@click.option("--from", "date_from", type=DateParam(), help="只抽此日及以后发现的问题")
@click.option("--as-of", "as_of", type=DateParam(), help="只抽此日及以前发现的问题")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("抽查记录.xlsx"),
    show_default=True,
    help="写出的抽查记录（.xlsx）",
)
@_user_errors
def sample(
    ledgers: Path, ratio: float, seed: int, by: str, date_from: date | None, as_of: date | None, out: Path
) -> None:
    """从问题整改台账中按比例随机抽取问题（市级抽查），写出由抽查人填写、放回台账文件夹的抽查记录。"""
    if date_from and as_of and date_from > as_of:
        raise AccountabilityError(f"--from {date_from} 晚于 --as-of {as_of}", fix="起始日应不晚于截止日")
    drawn = draw_sample(read_ledgers(ledgers, as_of=as_of), ratio, seed, by, date_from, as_of)
    write_sample(drawn, out)
    click.echo("\n".join(drawn.summary(out, str(ledgers))))


@cli.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), help="模板写入的文件夹")
@click.option("--workbook", is_flag=True, help="全部台账写进一个工作簿「台账模板.xlsx」，每个台账一个工作表")
@click.option("--pack", "packs", multiple=True, help="只写这些规则包所读的台账（含规则包自定义的台账）")
@_user_errors
def templates(out: Path, workbook: bool, packs: tuple[str, ...]) -> None:
    """写出空白台账模板（中文列名、下拉选项、示例行和填表说明），供乡镇填报。"""
    loaded = load_packs(list(packs)) if packs else []
    with in_force(loaded):
        for path in write_templates(out, workbook=workbook, ledgers=pack_reads(loaded) if packs else None):
            click.echo(f"已写出 {path}")
    click.echo(HINT)


cli.add_command(serve)
cli.add_command(users)


def main() -> None:
    """The command line."""
    cli()

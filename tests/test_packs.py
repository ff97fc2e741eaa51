"""Rule files: a mistake anywhere gives one line naming the file, the line and the fix."""

import textwrap

import pytest

from accountability.errors import AccountabilityError
from accountability.packs.loading import load_pack, load_packs, pack_paths, parse_overrides

GOOD = textwrap.dedent(
    """\
    id: county-pack
    title: 测试方案
    issuer: 某县人民政府
    date: "2025"
    version: "1"
    effective: {from: 2025-08-01}
    params:
      weekly: {value: 3, title: 每周巡查天数}
    rules:
      - id: CP-WEEKLY
        title: 每周巡查
        clause: 三(一)
        quote: 每周开展日常巡查不少于3次
        kind: count_per_period
        severity: medium
        accountable: [{role: main_leader}]
        params:
          ledger: patrols
          subjects: {levels: [township], mining: true}
          period: week
          where: [{column: team, eq: daily}]
          min: $weekly
    """
)


def write(tmp_path, text):
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_pack_loads_with_parameter_substituted(tmp_path):
    pack = load_pack(write(tmp_path, GOOD))
    assert pack.rules[0].checked.min == 3
    assert pack.rules[0].ledgers == ["patrols"]


def test_set_overrides_a_parameter(tmp_path):
    pack = load_pack(write(tmp_path, GOOD), parse_overrides(["county-pack.weekly=4"]))
    assert pack.rules[0].checked.min == 4


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        (
            "kind: count_per_period",
            "kind: count_per_perod",
            14,
            ["未知检查类型「count_per_perod」", "count_per_period"],
        ),
        ("ledger: patrols", "ledger: patrol", 18, ["未知台账「patrol」", "patrols"]),
        ("{column: team, eq: daily}", "{column: tema, eq: daily}", 21, ["没有列「tema」", "team"]),
        ("{column: team, eq: daily}", "{column: team, eq: dayly}", 21, ["没有取值「dayly」", "daily"]),
        ("{role: main_leader}", "{role: main_leeder}", 16, ["未知角色「main_leeder」", "main_leader"]),
        ("severity: medium", "severty: medium", 15, ["未知字段「severty」", "severity"]),
        ("    quote: 每周开展日常巡查不少于3次\n", "", 10, ["缺少必填字段「quote」"]),
        ("min: $weekly", "min: $weekley", 22, ["不存在的参数「$weekley」", "weekly"]),
        ("period: week", "period: fortnight", 20, ["「period」的取值「fortnight」无效", "two_months"]),
        ("title: 每周巡查\n", "title: [每周巡查\n", 12, ["YAML 格式错误"]),
        (
            "{levels: [township], mining: true}",
            "{levels: [township], minning: true}",
            19,
            ["未知字段「minning」", "mining"],
        ),
    ],
)
def test_each_mistake_names_file_line_and_fix(tmp_path, old, new, line, words):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(AccountabilityError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert f"{path}:{line}" in message, message
    for word in words:
        assert word in message, message


def test_duplicate_rule_id(tmp_path):
    rule = GOOD[GOOD.index("  - id: CP-WEEKLY") :]
    path = write(tmp_path, GOOD + rule)
    with pytest.raises(AccountabilityError, match="规则编号「CP-WEEKLY」重复"):
        load_pack(path)


def test_unknown_set_target_and_parameter(tmp_path):
    with pytest.raises(AccountabilityError, match=r"没有参数「weakly」.*weekly"):
        load_pack(write(tmp_path, GOOD), parse_overrides(["county-pack.weakly=4"]))
    with pytest.raises(AccountabilityError, match="--set 写法有误"):
        parse_overrides(["weekly=4"])
    with pytest.raises(AccountabilityError, match="未加载的规则包「hongjang-2025」"):
        load_packs(["hongjiang-2025"], ["hongjang-2025.weekly_patrol_days=4"])


def test_unknown_pack_name_suggests():
    with pytest.raises(AccountabilityError, match=r"找不到规则包「hongjang-2025」.*hongjiang-2025"):
        pack_paths(["hongjang-2025"])


def test_bundled_packs_load_and_common_comes_along():
    packs = load_packs(["hongjiang-2025"])
    assert [p.id for p in packs] == ["common", "hongjiang-2025"]


def test_quotes_are_checked_against_the_plan_text(tmp_path):
    (tmp_path / "plan.txt").write_text("三、工作措施\n涉矿乡镇每周开展日常巡\n查不少于3次。", encoding="utf-8")
    sourced = GOOD.replace("params:\n", "source: [plan.txt]\nparams:\n", 1)
    assert load_pack(write(tmp_path, sourced)).source == ["plan.txt"]
    path = write(tmp_path, sourced.replace("不少于3次", "不少于4次"))
    with pytest.raises(AccountabilityError) as caught:
        load_pack(path)
    assert f"{path}:14" in str(caught.value) and "CP-WEEKLY 的引文在方案原文中找不到" in str(caught.value)
    path = write(tmp_path, sourced.replace("[plan.txt]", "[plans/plan.txt]"))
    with pytest.raises(AccountabilityError, match=r"pack.yaml:7.*找不到方案原文「plans/plan.txt」"):
        load_pack(path)


def test_bundled_packs_quote_their_plans():
    """The check above runs on every bundled pack, so each must name its plan text."""
    assert all(pack.source for pack in load_packs())


def test_rule_files_read_by_libyaml_as_by_the_python_parser():
    """The packs are parsed by libyaml when PyYAML has it: the same data and lines as TextDateLoader gives, dates
    kept as written; a file that does not parse is reported where TextDateLoader places the error."""
    import yaml

    from accountability.contract.yamlfile import TextDateLoader, YamlDocument, _lines
    from accountability.resources import resource_dir

    for path in sorted(resource_dir("rules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        document = YamlDocument(path)
        lines: dict = {}
        _lines(yaml.compose(text, Loader=TextDateLoader), (), lines)
        assert document.data == yaml.load(text, Loader=TextDateLoader), path
        assert document.lines == lines, path
    assert YamlDocument(resource_dir("rules") / "hongjiang-2025.yaml").data["effective"]["from"] == "2025-08-01"


def test_a_yaml_error_is_placed_on_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nparams: [1, 2", encoding="utf-8")  # libyaml would say line 3
    from accountability.contract.yamlfile import YamlDocument

    with pytest.raises(AccountabilityError) as caught:
        YamlDocument(path)
    assert caught.value.line == 2

"""Loading a rule pack: its YAML validated into the models of packs.model, parameters substituted, columns,
references and quotes checked against the ledger contract and the plan's text, every error at its file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from accountability.checks import CHECK_KINDS, KindParams
from accountability.contract.schema import contract_ledgers, fold, ledger_specs, pack_ledgers
from accountability.contract.yamlfile import YamlDocument, did_you_mean
from accountability.errors import AccountabilityError
from accountability.packs.model import COMMON_PACK, Pack, Rule
from accountability.packs.quotes import plan_texts, quote_error, quoted
from accountability.resources import resource_dir

ROLES = set(ledger_specs()["people"].column("roles").values or {})
LEVELS = set(ledger_specs()["units"].column("level").values or {})


def validation_error(
    doc: YamlDocument,
    exc: ValidationError,
    prefix: tuple[Any, ...] = (),
    guide: str = "各字段的写法见 docs/writing-packs.md「字段一览」",
) -> AccountabilityError:
    """The first validation error, in Chinese, at its YAML line, with the allowed keys or values."""
    errors = exc.errors()
    err = errors[0]
    if err["type"] == "missing":  # a misspelt key is both missing and unknown: the unknown one says which it is
        err = next((e for e in errors if e["type"] == "extra_forbidden" and e["loc"][:-1] == err["loc"][:-1]), err)
    loc = (*prefix, *[part for part in err["loc"] if not str(part).startswith("function-")])
    field = str(loc[-1]) if loc else ""
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(exc, err)
        where = " → ".join(f"第{part + 1}条" if isinstance(part, int) else str(part) for part in loc[:-1]) or "顶层"
        return doc.error(
            loc,
            f"未知字段「{field}」（位于 {where}）",
            (did_you_mean(field, allowed) if allowed else "") + f"；{guide}",
        )
    if err["type"] == "missing":
        return doc.error(loc[:-1], f"缺少必填字段「{field}」", f"请补上 {field}:")
    if err["type"] in ("literal_error", "enum"):
        allowed = [part.strip().strip("'") for part in err["ctx"]["expected"].replace(" or ", ", ").split(",")]
        return doc.error(loc, f"字段「{field}」的取值「{err['input']}」无效", did_you_mean(str(err["input"]), allowed))
    return doc.error(loc, f"字段「{field}」取值有误：{err['msg']}", guide)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds, through lists, dicts and unions: list[Rule] → [Rule]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models(arg)]


def _allowed_keys(exc: ValidationError, err: dict[str, Any]) -> list[str]:
    """The keys the model at the error's location accepts, found by walking the location from the validated
    model down through its fields (list positions and dict keys step into the items)."""
    known = {m.__name__: m for m in (Pack, *(kind.params for kind in CHECK_KINDS.values()))}
    model: type[BaseModel] | None = known.get(str(exc.title))
    for part in err["loc"][:-1]:
        if model is None:
            return []
        field = model.model_fields.get(str(part)) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if field is None:
            continue  # a list position or a dict key: the items' model is already current
        inner = _models(field.annotation)
        model = inner[0] if inner else None
    return [f.alias or name for name, f in model.model_fields.items()] if model else []


def _substitute(value: Any, params: dict[str, Any], doc: YamlDocument, path: tuple[Any, ...]) -> Any:
    """Replace `$name` by the pack parameter's value."""
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name not in params:
            raise doc.error(path, f"引用了不存在的参数「{value}」", did_you_mean(name, list(params)))
        return params[name]
    if isinstance(value, dict):
        return {k: _substitute(v, params, doc, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, params, doc, (*path, i)) for i, v in enumerate(value)]
    return value


def _check_references(rule: Rule, checked: KindParams, doc: YamlDocument, path: tuple[Any, ...]) -> None:
    specs = ledger_specs()
    for ledger in checked.ledgers() + checked.optional_ledgers():
        if ledger not in specs:
            raise doc.error((*path, "params"), f"未知台账「{ledger}」", did_you_mean(ledger, list(specs)))
    for ref_path, ledger, column in checked.references():
        columns = specs[ledger].column_keys
        if column not in columns:
            raise doc.error(
                (*path, "params", *ref_path), f"台账 {ledger} 没有列「{column}」", did_you_mean(column, columns)
            )
    for cond_path, ledger, condition in checked.conditions():
        spec = specs[ledger].column(condition.column)
        if condition.has_role and condition.has_role not in ROLES:
            raise doc.error(
                (*path, "params", *cond_path),
                f"未知角色「{condition.has_role}」",
                did_you_mean(condition.has_role, ROLES),
            )
        allowed = set(spec.values or {})
        if allowed:
            for value in condition.values:
                if value is not None and str(value) not in allowed:
                    raise doc.error(
                        (*path, "params", *cond_path),
                        f"列 {ledger}.{condition.column} 没有取值「{value}」",
                        did_you_mean(str(value), allowed),
                    )
    for index, spec in enumerate(rule.accountable):
        where = (*path, "accountable", index)
        for role in (spec.role, spec.otherwise):
            if role and role not in ROLES:
                raise doc.error(where, f"未知角色「{role}」", did_you_mean(role, ROLES))
        if spec.level and spec.level not in LEVELS:
            raise doc.error(where, f"未知单位层级「{spec.level}」", did_you_mean(spec.level, LEVELS))
        column = spec.person or (spec.of if spec.of not in ("finding", "top", "serving") else None)
        if column:
            read = [spec.ledger] if spec.ledger else checked.ledgers() + checked.optional_ledgers()
            known = {c for ledger in read if ledger in specs for c in specs[ledger].column_keys}
            if column not in known:
                raise doc.error(where, f"问责对象引用的列「{column}」不在所读台账中", did_you_mean(column, known))


def _bind_headers(pack: Pack, doc: YamlDocument) -> None:
    """`headers:` names known ledgers and columns, and parameters that exist; their values are bound here."""
    specs = ledger_specs()
    for ledger, columns in pack.headers.items():
        if ledger not in specs:
            raise doc.error(("headers", ledger), f"未知台账「{ledger}」", did_you_mean(ledger, list(specs)))
        for column, header in columns.items():
            if column not in specs[ledger].column_keys:
                raise doc.error(
                    ("headers", ledger, column),
                    f"台账 {ledger} 没有列「{column}」",
                    did_you_mean(column, specs[ledger].column_keys),
                )
            names = _substitute(header, pack.param_values(), doc, ("headers", ledger, column))
            pack._headers.setdefault(ledger, {})[column] = [
                str(n) for n in (names if isinstance(names, list) else [names])
            ]


def _own_ledgers(pack: Pack, doc: YamlDocument) -> None:
    """`ledgers:` declares the plan's own records. Each is keyed and checked: no key, file or sheet name of the
    contract's (a file would then belong to two ledgers), no column twice, words for every enumeration."""
    builtin = contract_ledgers()
    taken = {fold(name): spec for spec in builtin.values() for name in (spec.key, *spec.names)}
    for key, spec in pack.ledgers.items():
        where = ("ledgers", key)
        if key in builtin:
            raise doc.error(
                where,
                f"台账「{key}」与内置台账「{builtin[key].title}」（{key}）同名",
                f"内置台账已有 {key}，可直接在规则中使用；要另设台账请换一个英文名，如 {key}_extra",
            )
        for index, name in enumerate(spec.names):
            clash = taken.get(fold(name))
            if clash is not None:
                raise doc.error(
                    (*where, "names", index),
                    f"台账「{key}」的文件名「{name}」与内置台账「{clash.title}」（{clash.key}）的名称相同",
                    "换一个文件名或工作表名，使台账文件能被唯一识别",
                )
        spec.key = key
        keys = spec.column_keys
        for index, column in enumerate(spec.columns):
            if column.type in ("enum", "enum_list") and not column.values:
                raise doc.error(
                    (*where, "columns", index),
                    f"台账 {key} 的列「{column.key}」是枚举（{column.type}），但没有写 values",
                    "写出每个取值的英文代码和中文词，如 values: {done: [已完成, 完成], undone: [未完成]}",
                )
            if keys.index(column.key) != index:
                raise doc.error(
                    (*where, "columns", index), f"台账 {key} 的列「{column.key}」重复", "每列的 key 必须唯一"
                )


def _validate_rule(rule: Rule, index: int, pack: Pack, doc: YamlDocument) -> None:
    path = ("rules", index)
    kind = CHECK_KINDS.get(rule.kind)
    if kind is None:
        raise doc.error((*path, "kind"), f"未知检查类型「{rule.kind}」", did_you_mean(rule.kind, list(CHECK_KINDS)))
    raw = _substitute(rule.params, pack.param_values(), doc, (*path, "params"))
    try:
        checked = kind.params.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(doc, exc, (*path, "params")) from exc
    if getattr(checked, "period", None) == "campaign" and pack.effective.to is None:
        raise doc.error(
            (*path, "params", "period"),
            "按整个行动期间（period: campaign）判断的规则，需要方案写明行动的截止日期",
            "在 effective: 下写 to: 行动结束日期，如 to: 2024-06-30",
        )
    _check_references(rule, checked, doc, path)
    rule._checked = checked


SHARED_PREFIXES = ("INT-", "DATA-")  # the shared rules (rules/common.yaml) a plan's clause may govern


def _check_quotes(pack: Pack, doc: YamlDocument) -> None:
    """Every rule but the data rules quotes its plan word for word; the plan texts are named in `source`."""
    texts = plan_texts(doc, pack.source)
    if not texts:
        return
    for index, rule in enumerate(pack.rules):
        if rule.kind != "data" and not quoted(rule.quote, texts):
            raise quote_error(doc, ("rules", index, "quote"), f"规则 {rule.id} 的", rule.quote, texts)


def _check_clauses(pack: Pack, doc: YamlDocument) -> None:
    """Each accountability clause quotes the plan and governs something: a rule of the pack, an id prefix, a shared
    rule (INT-, DATA-), or a tag some rule of the pack carries."""
    texts = plan_texts(doc, pack.source)
    ids = {rule.id for rule in pack.rules}
    tags = {tag for rule in pack.rules for tag in rule.tags}
    for index, clause in enumerate(pack.accountability):
        if texts and not quoted(clause.quote, texts):
            raise quote_error(
                doc, ("accountability", index, "quote"), f"问责条款 {clause.clause} 的", clause.quote, texts
            )
        for position, entry in enumerate(clause.rules):
            prefix = entry.endswith("-") and any(i.startswith(entry) for i in ids)
            if not (entry in ids or entry in tags or prefix or entry.startswith(SHARED_PREFIXES)):
                raise doc.error(
                    ("accountability", index, "rules", position),
                    f"问责条款 {clause.clause} 所管的「{entry}」不是本方案的规则编号、编号前缀或规则标签（tags）",
                    did_you_mean(entry, sorted(ids | tags)),
                )


def load_pack(path: Path, overrides: dict[str, dict[str, Any]] | None = None) -> Pack:
    """Read, validate and bind one pack; `overrides` are `--set` values by pack id, this pack's are applied."""
    doc = YamlDocument(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "规则包应是一个 YAML 映射（id:、title:、rules: …）")
    try:
        pack = Pack.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(doc, exc) from exc
    pack._path = path
    for name, value in (overrides or {}).get(pack.id, {}).items():
        if name not in pack.params:
            raise AccountabilityError(
                f"规则包 {pack.id} 没有参数「{name}」", file=str(path), fix=did_you_mean(name, list(pack.params))
            )
        pack.params[name].value = value
    _own_ledgers(pack, doc)
    with pack_ledgers(pack.ledgers):
        _bind_headers(pack, doc)
        seen: dict[str, int] = {}
        for index, rule in enumerate(pack.rules):
            if rule.id in seen:
                raise doc.error(("rules", index, "id"), f"规则编号「{rule.id}」重复", "每条规则的 id 必须唯一")
            seen[rule.id] = index
            _validate_rule(rule, index, pack, doc)
    _check_quotes(pack, doc)
    _check_clauses(pack, doc)
    return pack


def pack_paths(names: list[str] | None = None) -> list[Path]:
    """The packs to use: each named by id (a file in rules/) or a path; none named → every pack in rules/."""
    folder = resource_dir("rules")
    available = {p.stem: p for p in sorted(folder.glob("*.yaml")) if p.stem != "referral"}
    if not names:
        return list(available.values())
    paths = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix in (".yaml", ".yml") and candidate.exists():
            paths.append(candidate)
        elif name in available:
            paths.append(available[name])
        else:
            raise AccountabilityError(f"找不到规则包「{name}」", fix=did_you_mean(name, list(available)))
    if COMMON_PACK in available and available[COMMON_PACK] not in paths:
        paths.insert(0, available[COMMON_PACK])
    return paths


def parse_overrides(settings: list[str]) -> dict[str, dict[str, Any]]:
    """`--set hongjiang-2025.weekly_patrol_days=4` → {pack: {param: value}} (values read as YAML scalars)."""
    result: dict[str, dict[str, Any]] = {}
    for setting in settings:
        target, sep, value = setting.partition("=")
        pack, dot, param = target.partition(".")
        if not sep or not dot or not pack or not param:
            raise AccountabilityError(
                f"--set 写法有误：「{setting}」",
                fix="应写成 --set 规则包.参数=值，如 hongjiang-2025.weekly_patrol_days=4",
            )
        result.setdefault(pack, {})[param] = yaml.safe_load(value)
    return result


def load_packs(names: list[str] | None = None, settings: list[str] | None = None) -> list[Pack]:
    """Every pack the audit uses, each rule id unique across them."""
    overrides = parse_overrides(settings or [])
    packs = [load_pack(path, overrides) for path in pack_paths(names)]
    unknown = next((name for name in overrides if name not in {p.id for p in packs}), None)
    if unknown:
        raise AccountabilityError(
            f"--set 指向未加载的规则包「{unknown}」", fix=did_you_mean(unknown, [p.id for p in packs])
        )
    owners: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in owners:
                raise AccountabilityError(
                    f"规则编号「{rule.id}」同时出现在 {owners[rule.id]} 和 {pack.id}",
                    file=str(pack.path),
                    fix="每条规则的 id 在所有规则包中唯一",
                )
            owners[rule.id] = pack.id
    return packs

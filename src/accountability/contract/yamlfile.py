"""YAML read with the line of every value kept, so a mistake deep in a rule file is reported at its line."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from accountability.errors import AccountabilityError

Path_ = tuple[Any, ...]


# libyaml's parser when PyYAML was built with it (its wheels are): the rule packs, the referral policy and the
# ledger contract load in 0.06 s instead of 0.5 s, at every command.
FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextDateLoader(yaml.SafeLoader):
    """Safe loading that leaves dates as written: `2025-02-30` in an example is a bad ledger cell, not a crash.
    Its errors are the ones reported: libyaml places some of them a line off."""


class _FastTextDateLoader(FastSafeLoader):
    """TextDateLoader on libyaml, for files that parse."""


TextDateLoader.yaml_implicit_resolvers = _FastTextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parsed(text: str, loader: type) -> tuple[yaml.Node | None, Any]:
    """The file's node tree, for the lines, and the data built from that same tree: parsed once."""
    reader = loader(text)
    try:
        node = reader.get_single_node()
        return node, None if node is None else reader.construct_document(node)
    finally:
        reader.dispose()


def _lines(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _lines(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), out)


class YamlDocument:
    """The data of one YAML file and the line each path in it starts on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AccountabilityError(
                f"无法读取规则文件：{exc}", file=str(path), fix="请确认路径正确且文件为 UTF-8 编码"
            ) from exc
        try:
            try:
                node, self.data = _parsed(text, _FastTextDateLoader)
            except yaml.YAMLError:  # parsed again to report the error where TextDateLoader places it
                node, self.data = _parsed(text, TextDateLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise AccountabilityError(
                f"YAML 格式错误：{getattr(exc, 'problem', exc)}",
                file=str(path),
                line=mark.line + 1 if mark else None,
                fix="检查缩进、冒号后的空格和引号是否成对",
            ) from exc
        self.lines: dict[Path_, int] = {}
        if node is not None:
            _lines(node, (), self.lines)

    def line(self, path: Path_) -> int | None:
        """The line of the longest prefix of `path` the file has."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def error(self, path: Path_, message: str, fix: str | None = None) -> AccountabilityError:
        return AccountabilityError(message, file=str(self.path), line=self.line(path), fix=fix)


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    """'可选：a、b、c' with the closest choice first when there is one."""
    options = sorted(choices)
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.5)
    listed = "、".join(options[:30]) + ("…" if len(options) > 30 else "")
    return (f"是否应为「{close[0]}」？" if close else "") + f"可选：{listed}"

"""The house: imports point only down the flow (docs/architecture.md), and no module imports itself in a circle."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "accountability"
# Each stage may import the stages before it in this list, and itself; never one after it.
FLOW = [
    {"errors", "resources", "progress", "tuning"},
    {"contract", "processes"},
    {"ingest"},
    {"language"},
    {"checks"},
    {"packs"},
    {"run"},
    {"referral", "history"},
    {"report"},
    {"audit", "forms"},
    {"workspace"},
    {"cli"},
    {"__main__"},
]
RANK = {stage: i for i, stages in enumerate(FLOW) for stage in stages}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path) -> set[str]:
    """Modules of the package this one imports, wherever in the file (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("accountability"):
            base = node.module.removeprefix("accountability").lstrip(".")
            found |= {f"{base}.{a.name}".lstrip(".") for a in node.names} | {base}
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("accountability.") for a in node.names if a.name.startswith("accountability.")
            }
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m in _imports(path) if m in modules and m and m != name} for name, path in modules.items()}


def test_every_module_belongs_to_a_stage_of_the_flow():
    stages = {name.split(".")[0] for name in _modules() if name}
    assert stages <= set(RANK), sorted(stages - set(RANK))


def test_imports_point_only_down_the_flow():
    upward = []
    for name, imported in _graph().items():
        if not name:
            continue
        for other in imported:
            here, there = name.split(".")[0], other.split(".")[0]
            if here != there and RANK[there] >= RANK[here]:
                upward.append(f"{name} -> {other}")
    assert upward == []


def test_no_module_imports_itself_in_a_circle():
    graph, circles = _graph(), []

    def visit(name: str, path: list[str], seen: set[str]) -> None:
        for other in graph.get(name, ()):
            if other in path:
                circles.append(" -> ".join([*path[path.index(other) :], other]))
            elif other not in seen:
                seen.add(other)
                visit(other, [*path, other], seen)

    for start in graph:
        visit(start, [start], {start})
    assert circles == []

"""The package's import graph: stages import only stages below them, and never in a cycle.

The tree reads like the data flow (README, "Architecture"): ``lang`` holds
the language facts (Korean syllables, magnitudes, split words), ``core`` is the
model and the Markdown/segment transforms, ``formats`` the file formats,
``project`` a project on disk, ``translate`` the translators' workflow,
``links`` link validation, ``search`` the site search, ``site`` the MkDocs
adapter; the CLI and the benchmarks sit on top.  A lower layer importing a
higher one, or any import cycle between modules, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "bitext"

# Lowest first.  A module may import its own layer and the layers before it.
LAYERS = ["lang", "core", "formats", "project", "translate", "links", "search", "site", "cli", "bench"]
TOP_LEVEL = {"__init__": "core", "__main__": "cli", "cli": "cli"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "core"
    if len(parts) == 2 and parts[1] in TOP_LEVEL:
        return TOP_LEVEL[parts[1]]
    return parts[1]


def imports_of(path: Path, module: str) -> set[str]:
    """The bitext modules (or packages) that ``path`` imports, at any level of the file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "bitext"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "bitext":
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
    return found


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: imports_of(path, name) - {name} for name, path in modules.items()}


def test_layers_exist_and_the_top_level_is_small():
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top
    stages = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    assert {"lang", "core", "formats", "project", "translate", "links", "search", "site"} <= set(stages)
    for stage in stages:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"bitext.{stage} has no docstring saying what it owns"


def test_no_module_imports_a_higher_layer(graph):
    wrong = []
    for module, targets in graph.items():
        own = LAYERS.index(layer_of(module))
        for target in targets:
            if LAYERS.index(layer_of(target)) > own:
                wrong.append(f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})")
    assert wrong == []


def test_core_imports_nothing_of_bitext_outside_core(graph):
    outside = [
        f"{m} imports {t}"
        for m, targets in graph.items()
        if layer_of(m) == "core" and m != "bitext"
        for t in targets
        if layer_of(t) != "core" or t == "bitext"
    ]
    assert outside == []


def test_the_import_graph_has_no_cycle(graph):
    # Importing a package runs its __init__, so "a.b" depends on "a" too; only module-to-module edges count here.
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "m.py"
    bad.write_text("from bitext.site import source\nfrom ..links import check\n", encoding="utf-8")
    found = imports_of(bad, "bitext.core.m")
    assert "bitext.site.source" in found
    assert "bitext.links.check" in found
    assert layer_of("bitext.site.source") == "site"

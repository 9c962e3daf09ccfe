"""The package's import graph: no cycles (``TYPE_CHECKING`` and function-level
imports included), nothing below the surfaces reaches up to `host.py`, and no
module grows past what one concept needs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "spacedrive_host"
#: Layers that operations and plugin instances are built from: none may know the `Host`.
BELOW_HOST = ("wire", "ops", "jobs", "runtime")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if _is_package(module) else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str) -> set[str]:
    """Every module of the package that ``module`` names in an import, wherever the import stands."""
    tree = ast.parse(MODULES[module].read_text(), str(MODULES[module]))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            # `from pkg import sub` imports the submodule `pkg.sub` when there is one
            # (and `pkg` only as every module's parent package, which is not counted).
            subs = {f"{target}.{alias.name}" for alias in node.names}
            found.update(subs)
            if not subs <= MODULES.keys():
                found.add(target)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {name: imports_of(name) for name in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_relative_imports_are_resolved() -> None:
    assert f"{PACKAGE}.runtime.manager" in GRAPH[f"{PACKAGE}.jobs.runner"]
    assert f"{PACKAGE}.runtime.fastcall" in GRAPH[f"{PACKAGE}.runtime.callpath"]


@pytest.mark.parametrize("layer", BELOW_HOST)
def test_no_layer_below_the_host_imports_it(layer: str) -> None:
    prefix = f"{PACKAGE}.{layer}"
    offenders = sorted(m for m, deps in GRAPH.items() if m.startswith(prefix) and f"{PACKAGE}.host" in deps)
    assert offenders == []


def test_no_module_is_over_the_size_of_one_concept() -> None:
    sizes = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}

"""The methods and jobs a Python plugin's ``plugin.py`` registers, read from its
source (never imported: that would run the author's module in the host), to flag
a manifest entry no handler answers.

Only a plugin whose registrations all sit in ``plugin.py`` as
``<plugin>.handler("name")`` / ``<plugin>.job("name")`` on a ``Plugin()`` it makes
there is checked; anything else (names computed at run time, helper modules) is
not, rather than flagged wrongly."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from ..manifest import MANIFEST_FILE, Manifest

__all__ = ["Registered", "mismatches", "registered"]

_MODULE = "plugin.py"
#: Folders of a plugin's sources that hold no plugin code.
_NOT_CODE = frozenset({"tests", "build"})


@dataclass(frozen=True)
class Registered:
    methods: frozenset[str]
    jobs: frozenset[str]


def _is_plugin_call(node: ast.expr) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == "Plugin") or (
        isinstance(func, ast.Attribute) and func.attr == "Plugin"
    )


def registered(directory: Path) -> Registered | None:
    """What ``plugin.py`` registers, or None when that cannot be read from its source."""
    others = [
        p
        for p in directory.rglob("*.py")
        if p.name != _MODULE
        and not any(part in _NOT_CODE or part.startswith(".") for part in p.relative_to(directory).parts)
    ]
    if others:
        return None
    try:
        tree = ast.parse((directory / _MODULE).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeError, ValueError):
        return None  # the build says what is wrong with it
    plugins = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value and _is_plugin_call(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            plugins |= {t.id for t in targets if isinstance(t, ast.Name)}
    found: dict[str, set[str]] = {"handler": set(), "job": set()}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner, kind = node.func.value, node.func.attr
        if kind not in found or not (isinstance(owner, ast.Name) and owner.id in plugins):
            continue
        arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            return None
        found[kind].add(arg.value)
    if not plugins:
        return None
    return Registered(frozenset(found["handler"]), frozenset(found["job"]))


def mismatches(directory: Path, manifest: Manifest) -> list[str]:
    """Each method or job the manifest lists that ``plugin.py`` does not handle (a call
    to it would answer not_found). A handler the manifest leaves out is no mistake: one
    component can serve several manifests."""
    seen = registered(directory)
    if seen is None:
        return []
    source, manifest_path = directory / _MODULE, directory / MANIFEST_FILE
    out = []
    for kind, listed, handled, decorator in (
        ("provides", {m.name for m in manifest.provides}, seen.methods, "handler"),
        ("jobs", {j.name for j in manifest.jobs}, seen.jobs, "job"),
    ):
        out += [
            f"{manifest_path} lists {name!r} under `{kind}`, "
            f'but {source} has no @plugin.{decorator}("{name}")'
            for name in sorted(listed - handled)
        ]
    return out

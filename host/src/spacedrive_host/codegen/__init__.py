"""Generated contracts: files derived from the host's own models, committed, and
checked for staleness (``nox -s codegen -- --check``)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..manifest import manifest_json_schema

__all__ = ["GENERATORS", "Generated", "check", "render_json", "write"]


@dataclass(frozen=True)
class Generated:
    path: str  # relative to the output folder
    content: str


def render_json(value: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _manifest_schema() -> Generated:
    return Generated("manifest.schema.json", render_json(manifest_json_schema()))


GENERATORS: tuple[Callable[[], Generated], ...] = (_manifest_schema,)


def write(out: Path) -> list[Path]:
    """Writes every generated file under ``out``; returns those whose content changed."""
    changed = []
    for gen in GENERATORS:
        item = gen()
        target = out / item.path
        if not target.is_file() or target.read_text() != item.content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.content)
            changed.append(target)
    return changed


def check(out: Path) -> list[str]:
    """Unified diffs for every generated file that is missing or stale under ``out``."""
    diffs = []
    for gen in GENERATORS:
        item = gen()
        target = out / item.path
        current = target.read_text() if target.is_file() else ""
        if current != item.content:
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        item.content.splitlines(keepends=True),
                        fromfile=f"{target} (committed)",
                        tofile=f"{target} (generated)",
                    )
                )
            )
    return diffs

"""Generated contracts, derived from the host's own models and committed.

One pipeline: the registry and the error codes -> ``schema/operations.json`` ->
the Rust client and `ErrorCode`, the Python guest client and its codes, the C
trampoline's header of codes and ABI constants, and the docs reference page and
error table. The emitters read the
document, never the registry, so everything downstream of the schema file
depends on nothing else. ``nox -s codegen`` writes the files;
``nox -s codegen -- --check`` fails with a diff when any committed file is stale.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..manifest import manifest_json_schema
from ..ops import register_builtin
from ..wire.registry import Registry
from .cli_docs import render_cli_markdown
from .cli_help import render_cli_help
from .codes import render_codes_c, render_codes_markdown, render_codes_python, render_codes_rust
from .manifest_doc import render_manifest_fields
from .markdown import render_markdown
from .operations import operations_document
from .python import render_python
from .rust import render_rust
from .rust_sdk_doc import render_rust_sdk

__all__ = ["Generated", "check", "generate", "render_json", "write"]

#: Where each generated file lives, relative to the repository root.
MANIFEST_SCHEMA = "schema/manifest.schema.json"
OPERATIONS = "schema/operations.json"
RUST_CLIENT = "sdk-rust/src/ops.rs"
PYTHON_CLIENT = "sdk-python-guest/spacedrive_guest/ops.py"
OPERATIONS_PAGE = "docs/reference/operations.md"
RUST_CODES = "sdk-rust/src/error_code.rs"
PYTHON_CODES = "sdk-python-guest/spacedrive_guest/codes.py"
C_CODES = "host/native/sd_abi.h"
# Not a page of its own: the errors page includes it (pymdownx.snippets).
CODES_TABLE = "docs/reference/error-codes.inc"
CLI_PAGE = "docs/reference/cli.md"
# What `spacedrive --help` prints without loading typer (cli/fast_help.py reads it).
CLI_HELP = "host/src/spacedrive_host/cli/help.txt"
# Included by the manifest page, like the error table.
MANIFEST_FIELDS = "docs/reference/manifest-fields.inc"
# From the SDK's sources (not the schema), so it needs the repository root.
RUST_SDK_PAGE = "docs/reference/rust-sdk.md"


@dataclass(frozen=True)
class Generated:
    path: str  # relative to the repository root
    content: str


def render_json(value: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate(registry: Registry | None = None) -> list[Generated]:
    """Every generated file, from ``registry`` (the built-in operations by default)."""
    operations = render_json(operations_document(registry or register_builtin(Registry())))
    # Downstream emitters read the document exactly as it is written to disk.
    document = json.loads(operations)
    manifest_schema = render_json(manifest_json_schema())
    return [
        Generated(MANIFEST_SCHEMA, manifest_schema),
        Generated(MANIFEST_FIELDS, render_manifest_fields(json.loads(manifest_schema))),
        Generated(OPERATIONS, operations),
        Generated(RUST_CLIENT, render_rust(document)),
        Generated(PYTHON_CLIENT, render_python(document)),
        Generated(OPERATIONS_PAGE, render_markdown(document)),
        Generated(RUST_CODES, render_codes_rust(document)),
        Generated(PYTHON_CODES, render_codes_python(document)),
        Generated(C_CODES, render_codes_c(document)),
        Generated(CODES_TABLE, render_codes_markdown(document)),
        Generated(CLI_PAGE, render_cli_markdown()),
        Generated(CLI_HELP, render_cli_help()),
    ]


def _everything(root: Path) -> list[Generated]:
    return [*generate(), Generated(RUST_SDK_PAGE, render_rust_sdk(root / "sdk-rust"))]


def write(root: Path, files: list[Generated] | None = None) -> list[Path]:
    """Writes every generated file under ``root``; returns those whose content changed."""
    changed = []
    for item in files if files is not None else _everything(root):
        target = root / item.path
        if not target.is_file() or target.read_text() != item.content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.content)
            changed.append(target)
    return changed


def check(root: Path, files: list[Generated] | None = None) -> list[str]:
    """Unified diffs for every generated file that is missing or stale under ``root``."""
    diffs = []
    for item in files if files is not None else _everything(root):
        target = root / item.path
        current = target.read_text() if target.is_file() else ""
        if current != item.content:
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        item.content.splitlines(keepends=True),
                        fromfile=f"{item.path} (committed)",
                        tofile=f"{item.path} (generated)",
                    )
                )
            )
    return diffs

"""Where a plugin crate sits: inside this repository's Cargo workspace, or in a
project of its own; and the toolchain that builds it there."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from ..manifest import MANIFEST_FILE, read_manifest
from . import toolchain
from .sdk_registry import find_repo, package_sdk

__all__ = [
    "PYTHON_MODULE",
    "PluginCrate",
    "find_workspace",
    "is_plugin_source",
    "is_python_plugin",
    "is_repository",
    "locate",
    "prepare_toolchain",
]

#: A Python plugin's module, beside its manifest (what `spacedrive_guest.build` builds).
PYTHON_MODULE = "plugin.py"


def is_python_plugin(directory: Path) -> bool:
    """Python plugin sources: a manifest beside ``plugin.py`` and no Cargo.toml."""
    return (
        (directory / MANIFEST_FILE).is_file()
        and (directory / PYTHON_MODULE).is_file()
        and not (directory / "Cargo.toml").is_file()
    )


def is_plugin_source(directory: Path) -> bool:
    """Sources to build (a Rust crate or a Python plugin), not a built plugin directory."""
    return is_python_plugin(directory) or (
        (directory / "Cargo.toml").is_file() and (directory / MANIFEST_FILE).is_file()
    )


@dataclass(frozen=True)
class PluginCrate:
    directory: Path
    package: str
    plugin_id: str
    wasm_file: str
    workspace: Path

    @property
    def in_repository(self) -> bool:
        return is_repository(self.workspace)


def is_repository(workspace: Path) -> bool:
    """Is ``workspace`` this repository's root (the one holding the SDK)?"""
    return (workspace / "sdk-rust" / "Cargo.toml").is_file()


def find_workspace(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` whose Cargo.toml has a [workspace]."""
    for folder in (start, *start.parents):
        cargo = folder / "Cargo.toml"
        if cargo.is_file() and "workspace" in tomllib.loads(cargo.read_text()):
            return folder
    return None


def locate(directory: Path) -> PluginCrate:
    """The plugin crate in ``directory`` (a Cargo.toml with a package, and a valid manifest.json)."""
    directory = directory.resolve()
    cargo, manifest = directory / "Cargo.toml", directory / MANIFEST_FILE
    if not cargo.is_file() or not manifest.is_file():
        raise InvalidInput(f"{directory} is not a plugin crate: it needs Cargo.toml and {MANIFEST_FILE}")
    package = tomllib.loads(cargo.read_text()).get("package", {}).get("name")
    if not isinstance(package, str):
        raise InvalidInput(f"{cargo} has no [package] name")
    # Validated before any build, as a load validates it: errors name this file.
    fields = read_manifest(directory)
    workspace = find_workspace(directory) or directory
    return PluginCrate(directory, package, fields.id, fields.wasm_file, workspace)


def prepare_toolchain(workspace: Path, *, quiet: bool = True) -> toolchain.Toolchain:
    """The toolchain for ``workspace``: the repository's own setup inside it; outside, one
    whose crate source also holds the SDK packages (so ``spacedrive-sdk = "0.1"`` resolves)."""
    if is_repository(workspace):
        cache = Path(os.environ.get(toolchain.ENV_CACHE) or workspace / ".cache" / "toolchain")
        return toolchain.prepare(workspace, cache, native_lint=True, quiet=quiet)
    cache = toolchain.default_cache()
    sdk = package_sdk(find_repo(), cache / "sdk")
    return toolchain.prepare(workspace, cache, native_lint=True, quiet=quiet, extra_crates=sdk)

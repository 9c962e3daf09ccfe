"""The Rust SDK as crates.io-style packages in a local cargo directory source.

An author's project outside the repository depends on ``spacedrive-sdk = "0.1"``
like any crate; ``cargo add spacedrive-sdk`` resolves offline because the
project's ``.cargo/config.toml`` replaces crates.io with a directory source that
holds the SDK (copied here with its workspace fields filled in, as ``cargo
package`` would) and the toolchain's vendored crates (serde, serde_json ...).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tomllib
from pathlib import Path
from typing import Any

from ..errors import Unavailable

__all__ = ["ENV_SDK", "SDK_CRATES", "find_repo", "package_sdk"]

ENV_SDK = "SPACEDRIVE_REPO"
#: Crate folder in the repository -> package name (dependencies first).
SDK_CRATES = {"sdk-rust/abi": "spacedrive-abi", "sdk-rust": "spacedrive-sdk"}


def find_repo() -> Path:
    """The repository holding the SDK sources: ``$SPACEDRIVE_REPO``, else the checkout
    this package is installed from (``pip install -e host``)."""
    candidates = [Path(os.environ[ENV_SDK])] if os.environ.get(ENV_SDK) else []
    candidates.append(Path(__file__).resolve().parents[4])
    for root in candidates:
        if (root / "sdk-rust" / "Cargo.toml").is_file() and (root / "Cargo.toml").is_file():
            return root
    raise Unavailable(
        "the Rust SDK sources are not found: set $SPACEDRIVE_REPO to a checkout of the "
        "Spacedrive plugins repository (it holds sdk-rust/)"
    )


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def _table(name: str, fields: dict[str, Any]) -> str:
    lines = [f"[{name}]", *(f'"{k}" = {_toml_value(v)}' for k, v in fields.items())]
    return "\n".join(lines) + "\n"


def _normalized_manifest(crate: dict[str, Any], workspace: dict[str, Any]) -> str:
    """The crate's Cargo.toml with every ``*.workspace = true`` resolved."""
    shared = workspace.get("package", {})
    package = {
        k: shared[k] if isinstance(v, dict) and v.get("workspace") else v for k, v in crate["package"].items()
    }
    deps: dict[str, Any] = {}
    for name, given in crate.get("dependencies", {}).items():
        spec = given
        if isinstance(given, dict) and given.get("workspace"):
            base = workspace["dependencies"][name]
            base = {"version": base} if isinstance(base, str) else dict(base)
            if "path" in base:  # another SDK crate: depend on it by version, as published
                base = {"version": package["version"]}
            features = [*base.get("features", []), *given.get("features", [])]
            spec = {**base, **({"features": features} if features else {})}
        deps[name] = spec
    text = _table("package", package)
    if crate_features := crate.get("features"):
        text += _table("features", crate_features)
    return text + _table("dependencies", deps)


def _checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def package_sdk(repo: Path, dest: Path) -> dict[str, Path]:
    """Writes the SDK crates into ``dest`` (rewritten only when their sources changed);
    returns directory-source entries: ``name-version`` -> crate folder."""
    workspace = tomllib.loads((repo / "Cargo.toml").read_text())["workspace"]
    entries: dict[str, Path] = {}
    for rel, name in SDK_CRATES.items():
        src = repo / rel
        crate = tomllib.loads((src / "Cargo.toml").read_text())
        manifest = _normalized_manifest(crate, workspace)
        version = workspace["package"]["version"]
        out = dest / f"{name}-{version}"
        staged = dest / f".{name}-{version}.new"
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(src / "src", staged / "src")
        (staged / "Cargo.toml").write_text(manifest)
        checksum = _checksum(staged)
        (staged / ".cargo-checksum.json").write_text(json.dumps({"package": checksum, "files": {}}))
        current = out / ".cargo-checksum.json"
        if current.is_file() and json.loads(current.read_text())["package"] == checksum:
            shutil.rmtree(staged)
        else:
            shutil.rmtree(out, ignore_errors=True)
            staged.rename(out)
        entries[out.name] = out
    return entries

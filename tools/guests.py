"""Build every guest crate to wasm32-unknown-unknown and lay each plugin out as
``<out>/<id>/manifest.json`` + its module.

A guest crate is a workspace member with a ``manifest.json`` beside its
``Cargo.toml``. A WAT plugin is a folder under ``test-plugins/wat/`` with a
``manifest.json`` and ``plugin.wat`` (compiled with wasmtime's ``wat2wasm``, so
this runs in an environment that has the ``wasmtime`` package). Cargo rebuilds
only what changed; files in the output are rewritten only when their bytes
differ, so timestamps mean something.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from toolchain import ROOT, WASM_TARGET, Toolchain, prepare

BUILD_OUT = ROOT / "build" / "plugins"
WAT_PLUGINS = ROOT / "test-plugins" / "wat"


def guest_crates() -> list[Path]:
    """Crate directories of the workspace that carry a plugin manifest."""
    workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]
    found: list[Path] = []
    for pattern in workspace["members"]:
        for crate in sorted(ROOT.glob(pattern)):
            if (crate / "Cargo.toml").is_file() and (crate / "manifest.json").is_file():
                found.append(crate)
    return found


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def _lay_out(out: Path, manifest_bytes: bytes, wasm: bytes) -> Path:
    manifest = json.loads(manifest_bytes)
    dest = out / manifest["id"]
    dest.mkdir(parents=True, exist_ok=True)
    changed = _write_if_changed(dest / manifest["wasm_file"], wasm)
    changed |= _write_if_changed(dest / "manifest.json", manifest_bytes)
    print(f"build: {dest.relative_to(ROOT)} ({len(wasm)} bytes, {'updated' if changed else 'unchanged'})")
    return dest


def build_wat(out: Path = BUILD_OUT) -> list[Path]:
    """Compiles the WAT plugins (the hostile cases a Rust guest cannot express)."""
    import wasmtime  # only this step needs it

    return [
        _lay_out(
            out, (d / "manifest.json").read_bytes(), bytes(wasmtime.wat2wasm((d / "plugin.wat").read_text()))
        )
        for d in sorted(WAT_PLUGINS.iterdir())
        if (d / "plugin.wat").is_file()
    ]


def build(out: Path = BUILD_OUT, toolchain: Toolchain | None = None) -> list[Path]:
    """Builds all guests; returns the plugin directories laid out under ``out``."""
    tc = toolchain or prepare()
    crates = guest_crates()
    names = [tomllib.loads((c / "Cargo.toml").read_text())["package"]["name"] for c in crates]
    cmd = tc.wasm.command("build", "--release", "--locked", "--target", WASM_TARGET)
    for name in names:
        cmd += ["-p", name]
    env = {**os.environ, **tc.wasm.env, "CARGO_TARGET_DIR": str(tc.wasm_target_dir)}
    print("build:", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    artifacts = tc.wasm_target_dir / WASM_TARGET / "release"
    laid_out = [
        _lay_out(
            out,
            (crate / "manifest.json").read_bytes(),
            (artifacts / f"{name.replace('-', '_')}.wasm").read_bytes(),
        )
        for crate, name in zip(crates, names, strict=True)
    ]
    return laid_out + build_wat(out)


if __name__ == "__main__":
    build()

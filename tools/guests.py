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
PYTHON_PLUGINS = ROOT / "test-plugins" / "python"
SDK_PYTHON = ROOT / "sdk-python-guest"
#: Built components, kept with the hash of their sources: componentize-py takes
#: ~20 s a plugin and is not byte-reproducible, so unchanged sources are not rebuilt.
COMPONENTS = ROOT / "build" / "components"
#: A host compile cache holding the components precompiled (15-35 s each, once).
COMPONENT_CACHE = ROOT / "build" / "component-cache"


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


def _source_hash(plugin_dir: Path) -> str:
    """Everything a component is built from: the plugin, the SDK, the world, componentize-py."""
    import hashlib

    from spacedrive_guest.build import componentize_py

    tool = subprocess.run([*componentize_py(), "--version"], check=True, capture_output=True, text=True)
    digest = hashlib.sha256(tool.stdout.strip().encode())
    sources = [*sorted(plugin_dir.rglob("*.py")), *sorted((SDK_PYTHON / "spacedrive_guest").glob("*.py"))]
    for path in [*sources, *sorted((SDK_PYTHON / "wit").glob("*.wit"))]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_python(out: Path = BUILD_OUT) -> list[Path]:
    """Builds the Python test plugins into components (``spacedrive_guest.build``),
    precompiles them into `COMPONENT_CACHE`, and lays them out. A plugin folder may
    hold further ``<name>.manifest.json`` files: more plugins of the same component."""
    from spacedrive_guest.build import build as build_component

    COMPONENTS.mkdir(parents=True, exist_ok=True)
    laid_out = []
    for plugin_dir in sorted(d for d in PYTHON_PLUGINS.iterdir() if (d / "manifest.json").is_file()):
        manifest_bytes = (plugin_dir / "manifest.json").read_bytes()
        wasm_file = json.loads(manifest_bytes)["wasm_file"]
        manifest_id = json.loads(manifest_bytes)["id"]
        built, stamp = COMPONENTS / manifest_id / wasm_file, COMPONENTS / f"{manifest_id}.sources"
        source_hash = _source_hash(plugin_dir)
        if not (built.is_file() and stamp.is_file() and stamp.read_text() == source_hash):
            print(f"build: componentize-py {plugin_dir.relative_to(ROOT)} (~20 s)", flush=True)
            build_component(plugin_dir, out=COMPONENTS)
            stamp.write_text(source_hash)
        wasm = built.read_bytes()
        for manifest in sorted(plugin_dir.glob("*manifest.json")):
            laid_out.append(_lay_out(out, manifest.read_bytes(), wasm))
    _precompile(laid_out)
    return laid_out


def _precompile(plugin_dirs: list[Path]) -> None:
    """Puts every component into the build's compile cache (tests and benches copy it),
    so no host run pays the cold compile."""
    from spacedrive_host.runtime.engine import EngineSettings, Runtime
    from spacedrive_host.runtime.module_cache import CacheOutcome, ModuleCache

    runtime = Runtime(EngineSettings())
    try:
        cache = ModuleCache(runtime.engine, COMPONENT_CACHE, runtime.settings.fingerprint())
        seen: set[bytes] = set()  # py-echo and py-hostile share one component
        for plugin_dir in plugin_dirs:
            manifest = json.loads((plugin_dir / "manifest.json").read_bytes())
            wasm = (plugin_dir / manifest["wasm_file"]).read_bytes()
            if wasm in seen:
                continue
            seen.add(wasm)
            _, outcome = cache.load_component(wasm, source=str(plugin_dir))
            if outcome != CacheOutcome.HIT:
                print(f"build: precompiled {plugin_dir.name} into {COMPONENT_CACHE.relative_to(ROOT)}")
        # Entries of earlier builds are ~35 MB each and every test host copies the cache.
        current = {cache.entry_path(wasm) for wasm in seen}
        current |= {entry.with_suffix(".sig") for entry in current if entry is not None}
        for stale in {*COMPONENT_CACHE.glob("*.cwasm"), *COMPONENT_CACHE.glob("*.sig")} - current:
            stale.unlink()
    finally:
        runtime.close()


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
    return laid_out + build_wat(out) + build_python(out)


if __name__ == "__main__":
    build()

"""`spacedrive plugin build` for a Python plugin: componentize-py (through
``spacedrive_guest.build``) makes the component, laid out like a Rust build
(``<out>/<id>/manifest.json`` + component); then it is precompiled into a
verified compile cache, as ``tools/guests.py`` does, so no later load in that
data directory pays the 15-60 s compile."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from ..data_dir import DataDir
from ..errors import LoadError, Unavailable
from ..manifest import MANIFEST_FILE, load_manifest, read_manifest
from ..runtime.engine import EngineSettings, Runtime
from ..runtime.module_cache import CacheOutcome, ModuleCache
from ..runtime.wasm_binary import check_binary
from .python_methods import mismatches

__all__ = ["build_python_plugin", "precompile"]

log = logging.getLogger("spacedrive.authoring")

_INSTALL = "pip install 'spacedrive-guest[build]' (docs/getting-started-python.md)"


def precompile(plugin_dir: Path, cache_dir: Path) -> CacheOutcome:
    """Compiles the component of the built plugin ``plugin_dir`` into ``cache_dir``, for a
    host with the default engine settings (the cache key includes them)."""
    manifest = load_manifest(plugin_dir)
    wasm = (plugin_dir / manifest.wasm_file).read_bytes()
    runtime = Runtime(EngineSettings())
    try:
        cache = ModuleCache(runtime.engine, cache_dir, runtime.settings.fingerprint())
        return cache.load_component(wasm, source=str(plugin_dir / manifest.wasm_file))[1]
    finally:
        runtime.close()


def build_python_plugin(directory: Path, out: Path | None = None, *, cache: Path | None = None) -> Path:
    """Builds ``directory`` (manifest.json + plugin.py) into ``<out>/<id>`` (default
    ``DIR/build``) and precompiles it into ``cache`` (default: the data directory's)."""
    try:
        from spacedrive_guest.build import build as build_component
    except ImportError:
        raise Unavailable(f"the Python guest SDK is not installed: {_INSTALL}") from None
    manifest = read_manifest(directory)  # its wasm_file is not built yet
    plugin_id = manifest.id
    if manifest.kind != "component":
        raise LoadError(
            f'{directory / MANIFEST_FILE}: a Python plugin is a component: add "kind": "component"',
            plugin=plugin_id,
        )
    for problem in mismatches(directory, manifest):  # a warning: read from the source, not run
        log.warning("%s", problem)
    try:
        wasm = build_component(directory, out=(out or directory / "build"))
    except SystemExit as exc:  # componentize-py missing, or no plugin module
        raise Unavailable(f"{exc.code}; {_INSTALL}") from None
    except subprocess.CalledProcessError as exc:
        raise LoadError(
            f"componentize-py failed (exit status {exc.returncode}); its messages are above",
            plugin=plugin_id,
        ) from None
    check_binary(manifest, wasm.read_bytes(), wasm)  # before the compile, as a load checks it
    precompile(wasm.parent, cache or DataDir().module_cache)
    return wasm.parent

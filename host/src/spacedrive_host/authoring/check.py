"""`spacedrive plugin check`: what a load checks, without running the plugin.

The manifest, the binary's kind and initial memory against the manifest, the
module's compilation, its imports and exports against ABI v1, and its ABI version
(read statically), refused with the messages a load gives.
A component (a Python plugin) is checked against the plugin world instead; it is
compiled through the data directory's verified cache, which `plugin build` filled."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import wasmtime

from .. import fs
from ..data_dir import DataDir
from ..errors import LoadError, PluginError
from ..manifest import Manifest, load_manifest
from ..runtime.component import WORLD, check_world
from ..runtime.engine import EngineSettings, Runtime
from ..runtime.module_cache import ModuleCache, compile_module
from ..runtime.shape import abi_version_error, check_module_shape
from ..runtime.wasm_binary import check_binary
from .wasm_static import constant_export

__all__ = ["CheckReport", "check_plugin"]


@dataclass(frozen=True)
class CheckReport:
    """What a plugin directory that passed the check holds."""

    manifest: Manifest
    wasm_bytes: int
    abi_version: int
    imports: tuple[str, ...]
    exports: tuple[str, ...]


#: A component's ABI version is its world's major version.
_WORLD_ABI = int(WORLD.rsplit("@", 1)[1].split(".")[0])


def _check_component(manifest: Manifest, wasm: bytes, wasm_path: Path, cache_dir: Path) -> CheckReport:
    runtime = Runtime(EngineSettings())
    try:
        cache = ModuleCache(runtime.engine, cache_dir, runtime.settings.fingerprint())
        component, _ = cache.load_component(wasm, source=str(wasm_path))
        check_world(runtime.engine, component, str(wasm_path))
        kind = component.type
        imports, exports = sorted(kind.imports(runtime.engine)), sorted(kind.exports(runtime.engine))
    finally:
        runtime.close()
    if (refused := abi_version_error(manifest, _WORLD_ABI)) is not None:
        raise refused
    return CheckReport(manifest, len(wasm), _WORLD_ABI, tuple(imports), tuple(exports))


def check_plugin(directory: Path, *, cache: Path | None = None) -> CheckReport:
    """Checks the plugin in ``directory``; raises the `LoadError` (or `ManifestError`) a load would.
    A component is compiled through the compile cache ``cache`` (default: the data directory's)."""
    manifest = load_manifest(directory)
    wasm_path = directory / manifest.wasm_file
    try:
        wasm = fs.read_file(directory, manifest.wasm_file, max_bytes=fs.MAX_WASM_BYTES, error=LoadError)
        check_binary(manifest, wasm, wasm_path)
        if manifest.kind == "component":
            return _check_component(manifest, wasm, wasm_path, cache or DataDir().module_cache)
        module = compile_module(wasmtime.Engine(), wasm, source=str(wasm_path))
        check_module_shape(module, str(wasm_path))
        version = constant_export(wasm, "spacedrive_abi_version")
        if version is None:
            raise LoadError(
                f"{wasm_path}: spacedrive_abi_version is not a constant, so its ABI version can only "
                "be read by running it (load the plugin to check it)"
            )
        if (refused := abi_version_error(manifest, version)) is not None:
            raise refused
    except PluginError as exc:
        exc.plugin = exc.plugin or manifest.id
        raise
    except OSError as exc:
        raise LoadError(f"cannot read {wasm_path}: {exc.strerror}", plugin=manifest.id) from None
    return CheckReport(
        manifest=manifest,
        wasm_bytes=len(wasm),
        abi_version=version,
        imports=tuple(f"{i.module}.{i.name}" for i in module.imports),
        exports=tuple(e.name for e in module.exports),
    )

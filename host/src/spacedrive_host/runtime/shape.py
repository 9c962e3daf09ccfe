"""ABI v1's module shape: the imports the host provides, the exports it needs,
and the load-time check that a module has exactly these (docs/reference/abi-v1.md).

The unchecked call paths rely on this check: they call exports and serve
imports with these signatures and no others."""

from __future__ import annotations

import wasmtime

from ..errors import LoadError
from ..manifest import Manifest
from . import abi

__all__ = [
    "HOST_IMPORTS",
    "OPTIONAL_EXPORTS",
    "REQUIRED_EXPORTS",
    "Signature",
    "abi_version_error",
    "check_module_shape",
]

#: (params, results), as wasm value type names.
Signature = tuple[tuple[str, ...], tuple[str, ...]]

_I32 = "i32"
_I64 = "i64"
HOST_IMPORTS: dict[tuple[str, str], Signature] = {
    ("spacedrive", "spacedrive_call"): ((_I32,) * 5, (_I32,)),
    ("spacedrive", "spacedrive_log"): ((_I32,) * 3, ()),
    ("spacedrive", "spacedrive_clock"): ((_I32,), (_I64,)),
    ("spacedrive", "spacedrive_random"): ((_I32, _I32), (_I32,)),
    ("spacedrive", "spacedrive_http"): ((_I32, _I32), (_I32,)),
    ("spacedrive", "spacedrive_call_library"): ((_I32,), (_I32,)),
}
REQUIRED_EXPORTS: dict[str, Signature] = {
    "wasm_alloc": ((_I32,), (_I32,)),
    "wasm_free": ((_I32, _I32), ()),
    "spacedrive_abi_version": ((), (_I32,)),
    "plugin_init": ((), (_I32,)),
    "plugin_handle": ((_I32,) * 4, (_I64,)),
}
OPTIONAL_EXPORTS: dict[str, Signature] = {
    "plugin_cleanup": ((), ()),
}


def _signature(ty: wasmtime.FuncType) -> Signature:
    return tuple(str(p) for p in ty.params), tuple(str(r) for r in ty.results)


def _fmt_sig(sig: Signature) -> str:
    return f"({', '.join(sig[0])}) -> ({', '.join(sig[1])})"


def check_module_shape(module: wasmtime.Module, source: str) -> None:
    """Refuses a module whose imports or exports do not match ABI v1, listing every problem."""
    problems: list[str] = []
    for imp in module.imports:
        key = (imp.module, imp.name or "")
        want = HOST_IMPORTS.get(key)
        if want is None:
            provided = ", ".join(f"{m}.{n}" for m, n in HOST_IMPORTS)
            problems.append(f"imports {key[0]}.{key[1]}, which this host does not provide ({provided})")
        elif not isinstance(imp.type, wasmtime.FuncType) or _signature(imp.type) != want:
            problems.append(f"imports {key[0]}.{key[1]} with the wrong type; ABI v1 has {_fmt_sig(want)}")
    exports = {e.name: e.type for e in module.exports}
    memory = exports.get("memory")
    if not isinstance(memory, wasmtime.MemoryType):
        problems.append("does not export its linear memory as `memory`")
    for name, want in {**REQUIRED_EXPORTS, **OPTIONAL_EXPORTS}.items():
        ty = exports.get(name)
        if ty is None:
            if name in REQUIRED_EXPORTS:
                problems.append(f"does not export `{name}` {_fmt_sig(want)}")
        elif not isinstance(ty, wasmtime.FuncType) or _signature(ty) != want:
            problems.append(f"exports `{name}` with the wrong type; ABI v1 has {_fmt_sig(want)}")
    if problems:
        raise LoadError(f"{source} is not an ABI v1 plugin: " + "; ".join(problems))


def abi_version_error(manifest: Manifest, version: int) -> LoadError | None:
    """The refusal of a module whose ``spacedrive_abi_version`` is ``version``, if any
    (shared by a load, which calls the export, and `spacedrive plugin check`, which reads it)."""
    if version != abi.ABI_VERSION:
        return LoadError(
            f"plugin was built for ABI version {version}; this host speaks version {abi.ABI_VERSION}",
            plugin=manifest.id,
        )
    if manifest.abi_version != version:
        return LoadError(
            f"manifest says abi_version {manifest.abi_version} but the module exports {version}",
            plugin=manifest.id,
        )
    return None

"""spacedrive_host: run untrusted WebAssembly plugins in a sandbox, routed
through one operation registry.

The public API is what this module exports; submodules are implementation.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: importing it costs `spacedrive --help` a third of its time

# Everything loads on first use: the CLI's `--help` and its calls to a running daemon
# must not pay for wasmtime and pydantic, `--help` not even for the error classes
# (`from spacedrive_host import Host` works as ever).
_LAZY = {
    "AbiViolation": ".errors",
    "DamagedStore": ".errors",
    "ErrorCode": ".errors",
    "InternalError": ".errors",
    "InvalidInput": ".errors",
    "LimitExceeded": ".errors",
    "LoadError": ".errors",
    "ManifestError": ".errors",
    "NotFound": ".errors",
    "PermissionDenied": ".errors",
    "PluginError": ".errors",
    "RateLimited": ".errors",
    "Timeout": ".errors",
    "TrapError": ".errors",
    "Unavailable": ".errors",
    "Host": ".host",
    "Manifest": ".manifest",
    "load_manifest": ".manifest",
    "HostLimits": ".runtime.limits",
    "PluginInfo": ".runtime.manager",
    "PluginStatus": ".runtime.manager",
    "Caller": ".wire.caller",
    "Response": ".wire.dispatch",
    "Context": ".wire.registry",
    "Empty": ".wire.registry",
    "Operation": ".wire.registry",
    "Registry": ".wire.registry",
    "Reply": ".wire.registry",
    "Scope": ".wire.registry",
}

if TYPE_CHECKING:
    from typing import Any

    from .errors import (
        AbiViolation,
        DamagedStore,
        ErrorCode,
        InternalError,
        InvalidInput,
        LimitExceeded,
        LoadError,
        ManifestError,
        NotFound,
        PermissionDenied,
        PluginError,
        RateLimited,
        Timeout,
        TrapError,
        Unavailable,
    )
    from .host import Host
    from .manifest import Manifest, load_manifest
    from .runtime.limits import HostLimits
    from .runtime.manager import PluginInfo, PluginStatus
    from .wire.caller import Caller
    from .wire.dispatch import Response
    from .wire.registry import Context, Empty, Operation, Registry, Reply, Scope


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AbiViolation",
    "Caller",
    "Context",
    "DamagedStore",
    "Empty",
    "ErrorCode",
    "Host",
    "HostLimits",
    "InternalError",
    "InvalidInput",
    "LimitExceeded",
    "LoadError",
    "Manifest",
    "ManifestError",
    "NotFound",
    "Operation",
    "PermissionDenied",
    "PluginError",
    "PluginInfo",
    "PluginStatus",
    "RateLimited",
    "Registry",
    "Reply",
    "Response",
    "Scope",
    "Timeout",
    "TrapError",
    "Unavailable",
    "load_manifest",
]

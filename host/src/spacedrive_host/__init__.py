"""spacedrive_host: run untrusted WebAssembly plugins in a sandbox, routed
through one operation registry.

The public API is what this module exports; submodules are implementation.
"""

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

"""How calls cross between Python and the guest: one `CallPath` per host,
chosen once (`select`), with three implementations:

* `TrampolinePath`: the two request imports and the call into the plugin in C
  (`host/native`), over the ctypes fast path;
* `CtypesPath`: every import and export over wasmtime's C API through ctypes
  (`fastcall`), pinned to one wasmtime-py release;
* `PublicPath`: wasmtime-py's public API, for any other release or
  ``SPACEDRIVE_FASTCALL=0``.

A path *binds* one Store (`CallPath.bind`): the `Binding` defines the ABI
imports on a linker, wraps the exports, owns the live request range and runs
the exchange into ``plugin_handle``. Everything wasmtime-private stays in the
path modules and in `fastcall`/`native` below them.
"""

from __future__ import annotations

from .. import fastcall, native
from .base import Binding, CallPath, Exports, HostHandlers
from .public import PublicPath
from .trampoline import TrampolinePath
from .unchecked import CtypesPath

__all__ = [
    "Binding",
    "CallPath",
    "CtypesPath",
    "Exports",
    "HostHandlers",
    "PublicPath",
    "TrampolinePath",
    "select",
]


def select() -> CallPath:
    """The fastest path this installation supports, unless ``SPACEDRIVE_FASTCALL`` says otherwise
    (``0``: the public API; ``ctypes``: no trampoline)."""
    if native.enabled():
        return TrampolinePath()
    if fastcall.enabled():
        return CtypesPath()
    return PublicPath()

"""The call-path interface, and the exchange into ``plugin_handle`` that the
Python paths share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import wasmtime
from wasmtime._exportable import AsExtern

from ...errors import AbiViolation, LimitExceeded
from .. import abi
from ..fastcall import Context, GuestCall, HostHandler
from ..memory import GuestMemory, OutOfBounds
from ..shape import OPTIONAL_EXPORTS, REQUIRED_EXPORTS

__all__ = [
    "Binding",
    "CallPath",
    "Exports",
    "HostHandlers",
    "PythonBinding",
    "handler_table",
    "no_request",
    "request_outside",
]


class HostHandlers(Protocol):
    """The host's side of the ABI imports (`hostcalls.HostCalls`). None of these
    may raise: wasmtime-py would park the exception where another thread can
    pick it up. ``ctx``: the path's context (`fastcall.Context`)."""

    def call(
        self,
        ctx: Context,
        method_ptr: int,
        method_len: int,
        library_ptr: int,
        payload_ptr: int,
        payload_len: int,
    ) -> int: ...

    def http(self, ctx: Context, request_ptr: int, request_len: int) -> int: ...

    def log(self, ctx: Context, level: int, ptr: int, length: int) -> None: ...

    def clock(self, ctx: Context, which: int) -> int: ...

    def random(self, ctx: Context, ptr: int, length: int) -> int: ...

    def call_library(self, ctx: Context, out_ptr: int) -> int: ...

    def serve_request(
        self, method: bytes | None, library: bytes | None, json_in: bytes, tail_in: bytes
    ) -> tuple[int, bytes, bytes] | None:
        """A request read by other means (the trampoline): the response, or None to answer 0."""
        ...

    def reentrant_fault(self, is_call: bool) -> None: ...

    def alloc_failed(self, exc: wasmtime.Trap | wasmtime.WasmtimeError) -> None: ...

    def overlap_fault(self, ptr: int, size: int, live: range) -> None: ...

    def outside_fault(self, ptr: int, size: int, memory_size: int) -> None: ...

    def internal_fault(self, is_call: bool, exc: BaseException) -> None: ...


def handler_table(h: HostHandlers) -> dict[str, HostHandler]:
    """Each import's handler, by import name."""
    return {
        "spacedrive_call": h.call,
        "spacedrive_log": h.log,
        "spacedrive_clock": h.clock,
        "spacedrive_random": h.random,
        "spacedrive_http": h.http,
        "spacedrive_call_library": h.call_library,
    }


@dataclass(frozen=True)
class Exports:
    """A core instance's ABI v1 exports, wrapped for its path."""

    memory: GuestMemory
    alloc: GuestCall
    free: GuestCall
    handle: GuestCall
    version: GuestCall
    init: GuestCall
    cleanup: GuestCall | None


class Binding(Protocol):
    """One Store's side of a call path."""

    #: What every call into this store takes (`fastcall.Context`).
    ctx: Context

    def define_imports(self, linker: wasmtime.Linker) -> None:
        """Defines the ABI v1 imports, served by the handlers given to `CallPath.bind`."""
        ...

    def attach(self, exports: Mapping[str, AsExtern], *, fixed_memory: bool) -> Exports:
        """After instantiation: the exports, wrapped (`check_module_shape` checked their signatures)."""
        ...

    def set_live(self, live: range | None) -> None:
        """The guest memory the host owns right now (a request buffer); no response block may overlap it."""
        ...

    def live(self) -> range | None: ...

    def exchange(self, method: bytes, json_in: bytes, tail: bytes) -> int:
        """The request written into a buffer the guest allocates, ``plugin_handle``
        called, the buffer freed: the packed location of the response. Raises the
        typed error (or the guest's trap) on failure."""
        ...

    def handle(self, method: bytes, json_in: bytes, tail: bytes) -> tuple[int, bytes, bytes] | int:
        """`exchange`, with the response block read and freed too if the path can
        (the trampoline, when the block is regular): its (status, json, tail); else
        the packed location, for the caller to read and free."""
        ...


class CallPath(Protocol):
    """A way of calling across the boundary, chosen once per host."""

    #: "trampoline", "ctypes" or "public".
    name: str

    def bind(
        self, store: wasmtime.Store, handlers: HostHandlers, *, plugin: str, max_payload: int
    ) -> Binding:
        """The binding of one Store (one plugin instance)."""
        ...

    def deadline_setter(self, store: wasmtime.Store) -> Callable[[int], None]:
        """``set(ticks)``: the Store's epoch deadline, ``ticks`` from now (set before every entry)."""
        ...


def func(exports: Mapping[str, AsExtern], name: str) -> wasmtime.Func:
    fn = exports[name]
    assert isinstance(fn, wasmtime.Func)
    return fn


def no_request(total: int, plugin: str) -> LimitExceeded:
    return LimitExceeded(f"plugin could not allocate {total} bytes for the request", plugin=plugin)


def request_outside(total: int, req: int, plugin: str) -> AbiViolation:
    return AbiViolation(f"wasm_alloc({total}) returned {req:#x}, outside guest memory", plugin=plugin)


class PythonBinding(ABC):
    """What the public and ctypes paths share: exports wrapped by `_export`, the
    live range kept here, the exchange in Python."""

    ctx: Context
    _fast: bool

    def __init__(self, handlers: HostHandlers, plugin: str) -> None:
        self._handlers = handlers
        self._plugin = plugin
        self._live: range | None = None

    @abstractmethod
    def _export(self, fn: wasmtime.Func, params: tuple[str, ...], results: tuple[str, ...]) -> GuestCall:
        """One export as a Python callable, the path's own way (public API or ctypes)."""

    def attach(self, exports: Mapping[str, AsExtern], *, fixed_memory: bool) -> Exports:
        memory = exports["memory"]
        assert isinstance(memory, wasmtime.Memory)

        def wrap(name: str) -> GuestCall:
            return self._export(func(exports, name), *(REQUIRED_EXPORTS.get(name) or OPTIONAL_EXPORTS[name]))

        self._memory = GuestMemory(memory, fast=self._fast, fixed=fixed_memory)
        self._alloc, self._free, self._handle = wrap("wasm_alloc"), wrap("wasm_free"), wrap("plugin_handle")
        return Exports(
            memory=self._memory,
            alloc=self._alloc,
            free=self._free,
            handle=self._handle,
            version=wrap("spacedrive_abi_version"),
            init=wrap("plugin_init"),
            cleanup=wrap("plugin_cleanup") if "plugin_cleanup" in exports else None,
        )

    def set_live(self, live: range | None) -> None:
        self._live = live

    def live(self) -> range | None:
        return self._live

    def exchange(self, method: bytes, json_in: bytes, tail: bytes) -> int:
        ctx = self.ctx
        total = len(method) + abi.MESSAGE_HEADER + len(json_in) + len(tail)
        req = int(self._alloc(ctx, total)) & abi.U32_MAX
        if req == 0:
            raise no_request(total, self._plugin)
        self._live = range(req, req + total)
        view = self._memory.view(ctx)  # after wasm_alloc, which may have grown memory
        try:
            view.write_parts(req, (method, len(json_in).to_bytes(4, "little"), json_in, tail), what="request")
        except OutOfBounds:
            raise request_outside(total, req, self._plugin) from None
        packed = int(self._handle(ctx, req, len(method), req + len(method), total - len(method)))
        self._live = None
        self._free(ctx, req, total)
        return packed

    def handle(self, method: bytes, json_in: bytes, tail: bytes) -> tuple[int, bytes, bytes] | int:
        return self.exchange(method, json_in, tail)  # the response is read in Python

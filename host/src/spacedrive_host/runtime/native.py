"""The C half of the host-call fast path, when `spacedrive-host-native` is installed.

`host/native/trampoline.c` takes wasmtime's callback for ``spacedrive_call``
and ``spacedrive_http``, reads a well-formed request straight out of guest
memory, hands it to Python once, calls the guest's ``wasm_alloc`` with the GIL
released and writes the response block. Python keeps every decision: the
instance's `serve` answers the request (through the wire), `slow` takes any
request the C side does not consider regular (out of bounds, oversized,
malformed: the Python path then checks and words the error), and `fault`
records a protocol fault found in C.

Used only on top of the ctypes fast path (`fastcall`: the same pinned
wasmtime), and off with ``SPACEDRIVE_FASTCALL=ctypes`` or ``=0``.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from typing import Any, Protocol

import wasmtime
from wasmtime import _ffi as wffi

from . import fastcall

__all__ = ["Exchange", "Faults", "HostCalls", "NativeHostCalls", "deadline_setter", "enabled", "installed"]

#: What this module calls; a build from older sources (a venv not reinstalled) lacks some.
_FUNCTIONS = ("sd_callback", "sd_exchange", "sd_call_handle", "sd_release", "sd_set_deadline")

try:
    from spacedrive_host_native import ffi, lib
except ImportError:  # not installed: the ctypes fast path serves alone
    ffi = lib = None
if lib is not None and not all(hasattr(lib, name) for name in _FUNCTIONS):
    ffi = lib = None  # an outdated build: the ctypes fast path serves instead


def installed() -> bool:
    """The `spacedrive-host-native` package is importable, and built from these sources' C."""
    return lib is not None


def enabled() -> bool:
    """The trampoline is installed, the ctypes fast path is on, and it is not turned off."""
    return installed() and fastcall.enabled() and os.environ.get("SPACEDRIVE_FASTCALL") != "ctypes"


class Faults:
    """What `HostCalls.fault` receives as ``kind`` (trampoline.c's ``SD_FAULT_*``)."""

    REENTRANT = 1  # a: 1 for spacedrive_call, 0 for spacedrive_http
    ALLOC_FAILED = 2  # a: wasmtime_error_t*, b: wasm_trap_t* (ownership passes to Python), c: is_call
    OVERLAP = 3  # a: ptr, b: size, c: the live range, end << 32 | start
    OUTSIDE = 4  # a: ptr, b: size, c: memory size
    INTERNAL = 5  # a: is_call


class Exchange:
    """`NativeHostCalls.exchange` codes (trampoline.c's ``SD_EXCHANGE_*``)."""

    DONE = 0
    FAILED = 1  # a guest call trapped or failed
    NO_REQUEST = 2  # wasm_alloc returned 0 for the request
    REQUEST_OUTSIDE = 3  # ... or a buffer outside guest memory


class HostCalls(Protocol):
    """What the trampoline calls back (`callpath.trampoline.TrampolineBinding`)."""

    def serve_request(
        self, method: bytes | None, library: bytes | None, json: bytes, tail: bytes
    ) -> tuple[int, bytes, bytes] | None:
        """The response (status, json, tail), or None to answer 0."""
        ...

    def slow_request(self, is_call: bool, *args: int) -> int:
        """The Python path, for a request C did not take."""
        ...

    def native_fault(self, kind: int, a: int, b: int, c: int) -> None: ...


def _int(pointer: Any) -> int:
    assert ffi is not None
    return int(ffi.cast("uintptr_t", pointer))


def _address(fn: Any) -> int:
    return ctypes.cast(fn, ctypes.c_void_p).value or 0


class NativeHostCalls:
    """The two request imports of one instance, over the trampoline."""

    def __init__(self, owner: HostCalls, ctx: int, max_payload: int) -> None:
        assert ffi is not None
        assert lib is not None
        self.owner = owner
        self._handle = ffi.new_handle(self)
        host = self._host = ffi.new("sd_host *")
        host.ctx = ffi.cast("void *", ctx)
        host.memory_data = ffi.cast("void *", _address(wffi.dll.wasmtime_memory_data))
        host.memory_size = ffi.cast("void *", _address(wffi.dll.wasmtime_memory_data_size))
        host.call = ffi.cast("void *", _address(wffi.dll.wasmtime_func_call_unchecked))
        host.max_payload = max_payload
        host.handle = self._handle
        #: The last response's bytes: C reads them after Python returns.
        self.pending: tuple[Any, ...] = ()
        self._attached: tuple[wasmtime.Memory, wasmtime.Func, wasmtime.Func, wasmtime.Func] | None = None
        self._result = ffi.new("sd_exchange_result *")
        self._response = ffi.new("sd_response *")
        self._call_handle, self._release, self._unpack = lib.sd_call_handle, lib.sd_release, ffi.unpack

    def define(self, linker: wasmtime.Linker, name: str, params: tuple[str, ...]) -> object:
        """Defines ``spacedrive.<name>`` (spacedrive_call or spacedrive_http) over the trampoline."""
        assert ffi is not None
        assert lib is not None
        ty = fastcall.func_type(params, ("i32",))
        callback = lib.sd_callback(1 if name == "spacedrive_call" else 0)
        module_b, name_b = b"spacedrive", name.encode()
        error = wffi.wasmtime_linker_define_func_unchecked(
            linker.ptr(),
            module_b,
            len(module_b),
            name_b,
            len(name_b),
            ty.ptr(),
            ctypes.cast(int(ffi.cast("uintptr_t", callback)), wffi.wasmtime_func_unchecked_callback_t),
            ctypes.c_void_p(int(ffi.cast("uintptr_t", self._host))),
            fastcall.NO_FINALIZER,
        )
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
        return ty

    def attach(
        self, memory: wasmtime.Memory, alloc: wasmtime.Func, handle: wasmtime.Func, free: wasmtime.Func
    ) -> None:
        """After instantiation: the memory and the exports (``wasm_alloc``,
        ``plugin_handle``, ``wasm_free``). Until then every request takes the Python path."""
        assert ffi is not None
        self._attached = (memory, alloc, handle, free)  # keeps the structs the addresses point into
        host = self._host
        host.alloc, host.handle_fn, host.free_fn = (
            ffi.cast("void *", ctypes.addressof(f._func)) for f in (alloc, handle, free)
        )
        host.memory = ffi.cast("void *", ctypes.addressof(memory._memory))

    def set_live(self, live: range | None) -> None:
        """The guest memory the host owns right now (a request buffer), which no response may overlap."""
        self._host.live_start, self._host.live_end = (live.start, live.stop) if live else (0, 0)

    def live(self) -> range | None:
        start, end = self._host.live_start, self._host.live_end
        return range(start, end) if end > start else None

    def exchange(
        self, method: bytes, json: bytes, tail: bytes
    ) -> tuple[int, int, int, wasmtime.WasmtimeError | wasmtime.Trap | None]:
        """trampoline.c's ``sd_exchange``: (code, request buffer, packed response location, failure)."""
        assert ffi is not None
        assert lib is not None
        lib.sd_exchange(self._host, method, len(method), json, len(json), tail, len(tail), self._result)
        return self.outcome()

    def outcome(self) -> tuple[int, int, int, wasmtime.WasmtimeError | wasmtime.Trap | None]:
        """What the last `exchange` (or a `handle` that gave None) came to, as `exchange` returns it."""
        out = self._result
        failed = None
        if out.code == Exchange.FAILED:
            failed = fastcall.failure(_int(out.error) or None, _int(out.trap) or None)
        return out.code, out.request, out.location, failed

    def handle(self, method: bytes, json: bytes, tail: bytes) -> tuple[int, bytes, bytes] | None:
        """`exchange`, and the response read in C (response.c): its (status, json, tail),
        each copied out once and the block freed, when the block is regular; else None,
        with the exchange's result in `outcome` for the Python path to read.
        Raises the guest's failure if ``wasm_free`` fails."""
        host, out, resp = self._host, self._result, self._response
        if not self._call_handle(host, method, len(method), json, len(json), tail, len(tail), out, resp):
            return None
        unpack = self._unpack
        parts = resp.status, unpack(resp.json, resp.json_len), unpack(resp.tail, resp.tail_len)
        if not self._release(host, out):
            raise fastcall.failure(_int(out.error) or None, _int(out.trap) or None)
        return parts


def deadline_setter(store: wasmtime.Store) -> Callable[[int], None]:
    """`fastcall.deadline_setter` as one direct cffi call (deadline.c) instead of a ctypes one."""
    assert ffi is not None
    assert lib is not None
    ctx = ffi.cast("void *", fastcall.store_context(store, fast=True))
    set_deadline = ffi.cast("void *", _address(wffi.dll.wasmtime_context_set_epoch_deadline))
    call = lib.sd_set_deadline

    def set_ticks(ticks: int, _keep: wasmtime.Store = store) -> None:
        call(set_deadline, ctx, ticks)

    return set_ticks


def _owner(handle: Any) -> NativeHostCalls:
    assert ffi is not None
    calls: NativeHostCalls = ffi.from_handle(handle)
    return calls


def _install_callbacks() -> None:
    assert ffi is not None
    unpack, from_buffer, null = ffi.unpack, ffi.from_buffer, ffi.NULL

    @ffi.def_extern()  # type: ignore[untyped-decorator]
    def sd_py_serve(
        handle: Any,
        method: Any,
        method_len: int,
        library: Any,
        json: Any,
        json_len: int,
        tail: Any,
        tail_len: int,
        out: Any,
    ) -> int:
        calls = _owner(handle)
        try:
            response = calls.owner.serve_request(
                unpack(method, method_len) if method != null else None,
                unpack(library, 16) if library != null else None,
                unpack(json, json_len),
                unpack(tail, tail_len) if tail_len else b"",
            )
            if response is None:
                return 0
            status, json_out, tail_out = response
            json_c, tail_c = from_buffer(json_out), from_buffer(tail_out)
            calls.pending = (json_c, tail_c)
            out.status, out.json, out.json_len, out.tail, out.tail_len = (
                status,
                json_c,
                len(json_out),
                tail_c,
                len(tail_out),
            )
            return 1
        except BaseException:  # serve_request never raises; this is a last guard
            calls.owner.native_fault(Faults.INTERNAL, int(method != null), 0, 0)
            return 0

    @ffi.def_extern()  # type: ignore[untyped-decorator]
    def sd_py_slow(handle: Any, is_call: int, *args: int) -> int:
        try:
            return _owner(handle).owner.slow_request(bool(is_call), *args)
        except BaseException:  # slow_request never raises; this is a last guard
            return 0

    @ffi.def_extern()  # type: ignore[untyped-decorator]
    def sd_py_fault(handle: Any, kind: int, a: int, b: int, c: int) -> None:
        try:
            _owner(handle).owner.native_fault(kind, a, b, c)
        except BaseException:
            return


if ffi is not None:
    _install_callbacks()

"""Guest exports and guest memory over wasmtime's C API, without the public
API's per-call marshalling (which rebuilds the function's type and converts
every argument: most of a call's cost, see docs/benchmarks.md).

Unchecked by nature: a call with the wrong arity or types would corrupt
memory. So this is one small module, used only for exports whose signatures
`check_module_shape` has verified, and only with the exact wasmtime-py release
it was written against (`PINNED`); anything else, or ``SPACEDRIVE_FASTCALL=0``,
falls back to the public API. The test suite runs both paths and checks they
give identical results.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from importlib.metadata import version
from typing import Any, Protocol

import wasmtime
from wasmtime import _ffi as ffi

__all__ = [
    "PINNED",
    "ContextLike",
    "GuestCall",
    "HostHandler",
    "define_host_func",
    "enabled",
    "export",
    "func_type",
    "memory_view",
]

PINNED = "50.0.1"
_REQUIRED = (
    "wasmtime_func_call_unchecked",
    "wasmtime_val_raw_t",
    "wasmtime_memory_data",
    "wasmtime_memory_data_size",
    "wasmtime_linker_define_func_unchecked",
    "wasmtime_func_unchecked_callback_t",
    "wasmtime_caller_context",
)


class ContextLike(Protocol):
    """A Store, a Caller, or the raw caller of a fast host function."""

    def _context(self) -> Any: ...


Storelike = ContextLike

#: ``call(store, *args) -> result``: the shape shared by both paths.
GuestCall = Callable[..., Any]


def _supported() -> bool:
    try:
        pinned = version("wasmtime") == PINNED
    except Exception:  # metadata missing: not the release we know
        return False
    return pinned and all(hasattr(ffi, name) for name in _REQUIRED)


SUPPORTED = _supported()


def enabled() -> bool:
    """The fast path is on: the pinned wasmtime-py, and not disabled by the environment."""
    return SUPPORTED and os.environ.get("SPACEDRIVE_FASTCALL", "1") != "0"


class _RawExport:
    """One export, called with a preallocated raw value array."""

    __slots__ = ("_func", "_kinds", "_result", "_size", "_vals")

    def __init__(self, func: wasmtime.Func, params: tuple[str, ...], results: tuple[str, ...]) -> None:
        self._func = ctypes.byref(func._func)
        self._kinds = params
        self._result = results[0] if results else None
        self._size = max(len(params), len(results), 1)
        self._vals = (ffi.wasmtime_val_raw_t * self._size)()

    def __call__(self, store: Storelike, *args: int) -> int | None:
        vals = self._vals
        for i, (kind, value) in enumerate(zip(self._kinds, args, strict=True)):
            # ctypes wraps out-of-range values, as wasm's i32/i64 would.
            if kind == "i32":
                vals[i].i32 = value
            else:
                vals[i].i64 = value
        trap = ctypes.POINTER(ffi.wasm_trap_t)()
        error = ffi.wasmtime_func_call_unchecked(
            store._context(), self._func, vals, self._size, ctypes.byref(trap)
        )
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
        if trap:
            raise wasmtime.Trap._from_ptr(trap)
        if self._result is None:
            return None
        return int(vals[0].i32 if self._result == "i32" else vals[0].i64)


def export(
    func: wasmtime.Func, params: tuple[str, ...], results: tuple[str, ...], *, fast: bool
) -> GuestCall:
    """A callable for a verified export: raw when ``fast``, else the public API."""
    return _RawExport(func, params, results) if fast else func


class RawCaller:
    """What a fast host function gets instead of `wasmtime.Caller`: the calling
    store's context, valid for the duration of the call only."""

    __slots__ = ("_ctx",)

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    def _context(self) -> Any:
        return self._ctx


HostHandler = Callable[..., int | None]
# A NULL finalizer: nothing to release when the function is dropped.
_NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)()


def _valtype(kind: str) -> wasmtime.ValType:
    return wasmtime.ValType.i32() if kind == "i32" else wasmtime.ValType.i64()


def func_type(params: tuple[str, ...], results: tuple[str, ...]) -> wasmtime.FuncType:
    """A FuncType from kind names. Built per call: a FuncType shared by two engines aborts."""
    return wasmtime.FuncType([_valtype(k) for k in params], [_valtype(k) for k in results])


def define_host_func(
    linker: wasmtime.Linker,
    module: str,
    name: str,
    params: tuple[str, ...],
    results: tuple[str, ...],
    handler: HostHandler,
) -> object:
    """Defines an import (i32/i64 values, at most one result) whose callback reads
    raw values. ``handler(caller, *args)`` must never raise (it is the host's
    own, and catches everything); an exception here is contained anyway and
    answers 0. Returns what must be kept alive as long as the linker's stores."""
    ty = func_type(params, results)
    result = results[0] if results else None

    @ffi.wasmtime_func_unchecked_callback_t  # type: ignore[untyped-decorator]
    def callback(env: Any, caller: Any, vals: Any, count: int) -> int:
        try:
            args = [vals[i].i32 if kind == "i32" else vals[i].i64 for i, kind in enumerate(params)]
            out = handler(RawCaller(ffi.wasmtime_caller_context(caller)), *args) or 0
        except BaseException:  # nothing may unwind into wasmtime
            out = 0
        if result == "i32":
            vals[0].i32 = out
        elif result == "i64":
            vals[0].i64 = out
        return 0  # no trap

    module_b, name_b = module.encode(), name.encode()
    error = ffi.wasmtime_linker_define_func_unchecked(
        linker.ptr(), module_b, len(module_b), name_b, len(name_b), ty.ptr(), callback, None, _NO_FINALIZER
    )
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)
    return (callback, ty)


def memory_view(memory: wasmtime.Memory, *, fast: bool) -> Callable[[Storelike], tuple[int, int]]:
    """``view(store) -> (base address, size)`` of a memory, re-read on every call
    (memory moves when it grows)."""
    if not fast:

        def public(store: Storelike) -> tuple[int, int]:
            public_store: Any = store  # a wasmtime Store or Caller on this path
            base = ctypes.cast(memory.data_ptr(public_store), ctypes.c_void_p).value or 0
            return base, int(memory.data_len(public_store))

        return public
    ref = ctypes.byref(memory._memory)
    data, size = ffi.wasmtime_memory_data, ffi.wasmtime_memory_data_size

    def raw(store: Storelike) -> tuple[int, int]:
        ctx = store._context()
        base = ctypes.cast(data(ctx, ref), ctypes.c_void_p).value or 0
        return base, int(size(ctx, ref))

    return raw

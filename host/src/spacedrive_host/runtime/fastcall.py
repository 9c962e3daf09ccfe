"""Guest exports, host functions and guest memory over wasmtime's C API,
without the public API's per-call marshalling (which rebuilds the function's
type and converts every argument: most of a call's cost, see
docs/benchmarks.md).

Unchecked by nature: a call with the wrong arity or types would corrupt
memory. So this is one small module, used only for exports and imports whose
signatures `check_module_shape` has verified, and only with the exact
wasmtime-py release it was written against (`PINNED`); anything else, or
``SPACEDRIVE_FASTCALL=0``, falls back to the public API. The test suite runs
both paths and checks they give identical results.

What makes it lean: our own ctypes prototypes on wasmtime's library that take
and return plain ints (addresses), never pointer objects; argument and result
slots bound once per export; host-function arguments read through a typed
pointer with one ``itemgetter``. On this path a *context* is the address of
a ``wasmtime_context_t`` (an int); on the public path it is the Store or
Caller itself. Code above this module only passes contexts through.
"""

from __future__ import annotations

import ctypes
import operator
import os
from collections.abc import Callable
from ctypes import c_int32, c_int64, c_size_t, c_void_p
from importlib.metadata import version
from typing import Any

import wasmtime
from wasmtime import _ffi as ffi

__all__ = [
    "NO_FINALIZER",
    "PINNED",
    "Context",
    "GuestCall",
    "HostHandler",
    "MemoryView",
    "deadline_setter",
    "define_host_func",
    "enabled",
    "export",
    "failure",
    "func_type",
    "memory_view",
    "store_context",
]

PINNED = "50.0.1"
_REQUIRED = (
    "wasmtime_func_call_unchecked",
    "wasmtime_memory_data",
    "wasmtime_memory_data_size",
    "wasmtime_linker_define_func_unchecked",
    "wasmtime_caller_context",
)

#: A Store or Caller on the public path; a ``wasmtime_context_t`` address on the fast path.
Context = Any
#: ``call(context, *args) -> result``: the shape shared by both paths.
GuestCall = Callable[..., Any]
#: ``handler(context, *args) -> result``; on the fast path i32 arguments arrive as u32.
HostHandler = Callable[..., int | None]
#: ``view(context) -> (base address, size)``.
MemoryView = Callable[[Context], tuple[int, int]]


def _supported() -> bool:
    try:
        pinned = version("wasmtime") == PINNED
    except Exception:  # metadata missing: not the release we know
        return False
    return pinned and all(hasattr(ffi.dll, name) for name in _REQUIRED)


SUPPORTED = _supported()


def enabled() -> bool:
    """The fast path is on: the pinned wasmtime-py, and not disabled by the environment."""
    return SUPPORTED and os.environ.get("SPACEDRIVE_FASTCALL", "1") != "0"


def _proto(name: str, restype: Any, *argtypes: Any) -> Any:
    """A fresh function pointer into wasmtime's library with int-friendly types
    (wasmtime-py's own bindings are left alone). It releases the GIL while it
    runs, as it must: guest code may spin until the epoch ticker thread stops it."""
    return ctypes.CFUNCTYPE(restype, *argtypes)((name, ffi.dll))


if SUPPORTED:
    _call_unchecked = _proto(
        "wasmtime_func_call_unchecked", c_void_p, c_void_p, c_void_p, c_void_p, c_size_t, c_void_p
    )
    _caller_context = _proto("wasmtime_caller_context", c_void_p, c_void_p)
    _memory_data = _proto("wasmtime_memory_data", c_void_p, c_void_p, c_void_p)
    _memory_data_size = _proto("wasmtime_memory_data_size", c_size_t, c_void_p, c_void_p)
    _set_epoch_deadline = _proto("wasmtime_context_set_epoch_deadline", None, c_void_p, ctypes.c_uint64)

_VAL_SIZE = ctypes.sizeof(ffi.wasmtime_val_raw_t)  # 16: every slot has room for a v128
_WORDS = _VAL_SIZE // 4  # u32 words per slot
_SLOT = {"i32": c_int32, "i64": c_int64}


def store_context(store: wasmtime.Store, *, fast: bool) -> Context:
    """The context a Store's calls take: its context address when ``fast``, else the Store."""
    if not fast:
        return store
    ctx = ctypes.cast(store._context(), c_void_p).value
    if not ctx:
        raise ValueError("store is closed")
    return ctx


def deadline_setter(store: wasmtime.Store) -> Callable[[int], None]:
    """``set(ticks)``: the store's epoch deadline ``ticks`` from now, in one foreign call."""
    ctx, set_deadline = store_context(store, fast=True), _set_epoch_deadline

    def set_ticks(ticks: int, _keep: wasmtime.Store = store) -> None:
        set_deadline(ctx, ticks)

    return set_ticks


def failure(error: int | None, trap: int | None) -> wasmtime.WasmtimeError | wasmtime.Trap:
    """The exception for a failed call's ``wasmtime_error_t*`` or ``wasm_trap_t*``
    (addresses; the exception takes ownership and frees it)."""
    if error:
        return wasmtime.WasmtimeError._from_ptr(ctypes.cast(error, ctypes.POINTER(ffi.wasmtime_error_t)))
    assert trap, "a failed call has an error or a trap"
    return wasmtime.Trap._from_ptr(ctypes.cast(trap, ctypes.POINTER(ffi.wasm_trap_t)))


def _raw_export(func: wasmtime.Func, params: tuple[str, ...], results: tuple[str, ...]) -> GuestCall:
    """A call of one export with its argument and result slots bound once
    (closures over locals: the cheapest calls CPython makes)."""
    size = max(len(params), len(results), 1)
    buf = (ffi.wasmtime_val_raw_t * size)()
    buf_addr = ctypes.addressof(buf)
    slots = tuple(_SLOT[k].from_address(buf_addr + i * _VAL_SIZE) for i, k in enumerate(params))
    result = _SLOT[results[0]].from_address(buf_addr) if results else None
    func_addr = ctypes.addressof(func._func)
    trap = c_void_p()
    trap_addr = ctypes.addressof(trap)
    call = _call_unchecked

    # `_keep`: what the addresses point into.
    def invoke(ctx: int, _keep: object = (func, buf, trap)) -> int | None:
        trap.value = None
        error = call(ctx, func_addr, buf_addr, size, trap_addr)
        if error or trap.value:
            raise failure(error, trap.value)
        return None if result is None else result.value

    # ctypes wraps out-of-range values, as wasm's i32/i64 would.
    if not slots:
        fast: GuestCall = invoke
    elif len(slots) == 1:
        (a,) = slots

        def fast(ctx: int, x: int) -> int | None:
            a.value = x
            return invoke(ctx)

    elif len(slots) == 2:
        a, b = slots

        def fast(ctx: int, x: int, y: int) -> int | None:
            a.value, b.value = x, y
            return invoke(ctx)

    else:

        def fast(ctx: int, *args: int) -> int | None:
            for slot, value in zip(slots, args, strict=True):
                slot.value = value
            return invoke(ctx)

    return fast


def export(
    func: wasmtime.Func, params: tuple[str, ...], results: tuple[str, ...], *, fast: bool
) -> GuestCall:
    """A callable for a verified export: raw when ``fast``, else the public API."""
    return _raw_export(func, params, results) if fast else func


# Arguments and results are read and written as u32 words of the raw slots: a
# typed pointer indexes faster than anything else ctypes offers.
_CALLBACK = ctypes.CFUNCTYPE(c_size_t, c_void_p, c_void_p, ctypes.POINTER(ctypes.c_uint32), c_size_t)
# A NULL finalizer: nothing to release when the function is dropped.
NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)()


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
    *,
    context: int | None = None,
) -> object:
    """Defines an import (i32/i64 values, at most one result) over the C API.
    ``handler(context, *args)`` must never raise (it is the host's own, and
    catches everything); an exception here is contained anyway and answers 0.
    ``context``: the one store this linker serves (`store_context`), passed
    to the handler as is; this wasmtime hands a caller exactly that context
    (checked by the test suite), so asking for it on every call is skipped.
    Returns what must be kept alive as long as the linker's stores."""
    ty = func_type(params, results)
    if "i64" in params:
        raise ValueError("i64 parameters are not needed by ABI v1, so not supported here")
    words = [i * _WORDS for i in range(len(params))]
    # itemgetter returns a bare value for one index, a tuple for more.
    get = operator.itemgetter(*words) if len(words) > 1 else None
    first = words[0] if words else 0
    result = results[0] if results else None
    caller_context = _caller_context

    def callback(env: int | None, caller: int, vals: Any, count: int) -> int:
        try:
            ctx = context if context is not None else caller_context(caller)
            if get is not None:
                out = handler(ctx, *get(vals))
            elif words:
                out = handler(ctx, vals[first])
            else:
                out = handler(ctx)
            out = out or 0
        except BaseException:  # nothing may unwind into wasmtime
            out = 0
        if result is not None:
            vals[0] = out & 0xFFFF_FFFF
            if result == "i64":
                vals[1] = (out >> 32) & 0xFFFF_FFFF
        return 0  # no trap

    raw = _CALLBACK(callback)
    module_b, name_b = module.encode(), name.encode()
    error = ffi.wasmtime_linker_define_func_unchecked(
        linker.ptr(),
        module_b,
        len(module_b),
        name_b,
        len(name_b),
        ty.ptr(),
        ctypes.cast(raw, ffi.wasmtime_func_unchecked_callback_t),
        None,
        NO_FINALIZER,
    )
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)
    return (raw, ty)


def memory_view(memory: wasmtime.Memory, *, fast: bool, fixed: bool = False) -> MemoryView:
    """``view(context) -> (base address, size)`` of a memory, to be re-read after
    every entry into the guest (memory grows, and unless ``fixed``, moves)."""
    if not fast:

        def public(store: Context) -> tuple[int, int]:
            base = ctypes.cast(memory.data_ptr(store), c_void_p).value or 0
            return base, int(memory.data_len(store))

        return public
    mem = ctypes.addressof(memory._memory)
    data, size = _memory_data, _memory_data_size
    base = 0

    def raw(ctx: int, _keep: wasmtime.Memory = memory) -> tuple[int, int]:
        # `_keep` holds the wasmtime_memory_t that `mem` points into.
        nonlocal base
        if not (fixed and base):
            base = data(ctx, mem) or 0
        return base, size(ctx, mem)

    return raw

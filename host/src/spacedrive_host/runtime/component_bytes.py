"""``list<u8>`` across the component boundary without a Python step per byte.

wasmtime-py converts a ``list<u8>`` one element at a time (a Python call and a
ctypes struct per byte: a 1 MiB tail took 4 s). The C API's value array is a
plain array of fixed-size ``wasmtime_component_val_t`` (a kind byte, then the
payload), so a byte string maps onto it with two strided copies done by
memoryview slicing in C: ``kind`` into every element, the data into every
payload's first byte, and back.

`install` patches wasmtime-py's `ListType` for byte lists only, after checking
the layout it relies on with a round trip against wasmtime-py's own
conversion; if the check fails the slow path stays and `installed` is False.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

from wasmtime import _ffi as ffi
from wasmtime.component._types import ListType

__all__ = ["install", "installed"]

_VAL = ffi.wasmtime_component_val_t
_STRIDE = ctypes.sizeof(_VAL)
_PAYLOAD = _VAL.of.offset
_U8 = ffi.WASMTIME_COMPONENT_U8.value
_LIST = ffi.WASMTIME_COMPONENT_LIST

_slow_to_c: Callable[..., None] = ListType.convert_to_c
_slow_from_c: Callable[..., Any] = ListType.convert_from_c
installed = False


def _elements(data: Any, count: int) -> memoryview:
    """The raw bytes of ``count`` value structs at ``data`` (a val pointer)."""
    address = ctypes.cast(data, ctypes.c_void_p).value or 0
    return memoryview((ctypes.c_uint8 * (count * _STRIDE)).from_address(address)).cast("B")


def _fill(raw: Any, data: bytes) -> None:
    """A fresh value list of ``len(data)`` u8 values, filled from ``data``."""
    count = len(data)
    ffi.wasmtime_component_vallist_new_uninit(raw, count)
    if count:
        view = _elements(raw.data, count)
        view[0::_STRIDE] = bytes([_U8]) * count
        view[_PAYLOAD::_STRIDE] = data


def _fast_to_c(self: ListType, store: Any, val: Any, ptr: Any) -> None:
    if not isinstance(val, (bytes, bytearray, memoryview)) or not self._is_bytes():
        _slow_to_c(self, store, val, ptr)
        return
    raw = ffi.wasmtime_component_vallist_t()
    _fill(raw, bytes(val))
    ptr.contents.kind = _LIST
    ptr.contents.of.list = raw


def _read(c: Any) -> bytes:
    count = c.of.list.size
    return bytes(_elements(c.of.list.data, count)[_PAYLOAD::_STRIDE]) if count else b""


def _fast_from_c(self: ListType, c: Any) -> Any:
    if c.kind != _LIST.value or not self._is_bytes():
        return _slow_from_c(self, c)
    try:
        return _read(c)
    finally:
        ffi.wasmtime_component_vallist_delete(ctypes.byref(c.of.list))


def _layout_holds() -> bool:
    """The fast fill reads back as wasmtime-py's own per-element conversion does."""
    sample = bytes(range(256)) + b"\x00\xff"
    raw = ffi.wasmtime_component_vallist_t()
    _fill(raw, sample)
    try:
        kinds_ok = all(raw.data[i].kind == _U8 for i in range(len(sample)))
        values_ok = bytes(raw.data[i].of.u8 for i in range(len(sample))) == sample
        return kinds_ok and values_ok
    finally:
        ffi.wasmtime_component_vallist_delete(ctypes.byref(raw))


def install() -> bool:
    """Patches byte lists onto the fast path (once); whether it is in use."""
    global installed  # noqa: PLW0603 - a process-wide patch of wasmtime-py, applied once
    if not installed and _STRIDE >= _PAYLOAD + 1 and _layout_holds():
        ListType.convert_to_c = _fast_to_c  # type: ignore[method-assign]
        ListType.convert_from_c = _fast_from_c  # type: ignore[method-assign]
        installed = True
    return installed

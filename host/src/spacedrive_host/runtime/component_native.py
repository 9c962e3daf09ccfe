"""A component's call path in C (`host/native/component.c`), when `spacedrive-host-native`
is installed: the ``handle`` export called and the ``call``/``http`` imports served with
their values built and read in C, the tail written and read as the world's ``octets`` there.

wasmtime-py converts every component value in Python: it rebuilds the function's type on
every call, and a string crosses as several Python-level copies (a 1 MiB tail as hex is
2 MiB of them each way). Here Python sees bytes once each way; what the guest answered is
checked in C and anything irregular comes back as a code (the caller words the error).

Unchecked by nature, like `fastcall`: the value layout is wasmtime 50's, so this is used
only with the pinned wasmtime-py (`fastcall.PINNED`) after the layout and the kind numbers
have been compared with wasmtime-py's own ctypes declarations (`available`). Off with
``SPACEDRIVE_FASTCALL=0`` or ``=ctypes`` (wasmtime-py's public API serves then).
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from typing import Any, Protocol

import wasmtime
from wasmtime import _ffi as wffi
from wasmtime import component as wc

from . import fastcall
from .component_world import Answer

try:
    from spacedrive_host_native import ffi as _ffi
    from spacedrive_host_native import lib as _lib
except ImportError:  # not installed: wasmtime-py's public API serves components
    _ffi = _lib = None

__all__ = [
    "Answer",
    "ImportServer",
    "NativeComponent",
    "available",
    "decode_octets",
    "enabled",
    "encode_octets",
]

_FUNCTIONS = (
    "sd_component_init",
    "sd_component_layout",
    "sd_component_callback",
    "sd_component_handle",
    "sd_component_release",
    "sd_component_free",
    "sd_octets_encoded_size",
    "sd_octets_encode",
    "sd_octets_decode",
)


def _offset(struct: type, field: str) -> int:
    return int(getattr(struct, field).offset)


def _layout_holds() -> bool:
    """component.c's value structs and kind numbers are wasmtime-py's."""
    assert _lib is not None
    val, entry = wffi.wasmtime_component_val_t, wffi.wasmtime_component_valrecord_entry_t
    expected = (
        ctypes.sizeof(val),
        _offset(val, "of"),
        ctypes.sizeof(entry),
        _offset(entry, "val"),
        _offset(wffi.wasmtime_component_valresult_t, "val"),
        ctypes.sizeof(wffi.wasm_byte_vec_t),
    )
    kinds = (
        wffi.WASMTIME_COMPONENT_STRING.value,
        wffi.WASMTIME_COMPONENT_RECORD.value,
        wffi.WASMTIME_COMPONENT_OPTION.value,
        wffi.WASMTIME_COMPONENT_RESULT.value,
    )
    return tuple(_lib.sd_component_layout(i) for i in range(len(expected))) == expected and kinds == (
        12,
        14,
        18,
        19,
    )


def _available() -> bool:
    if _lib is None or not all(hasattr(_lib, name) for name in _FUNCTIONS):
        return False  # not installed, or built from older sources
    names = (
        "wasmtime_component_func_call",
        "wasmtime_component_val_delete",
        "wasmtime_component_val_new",
        "wasm_byte_vec_new_uninitialized",
        "wasmtime_component_valrecord_new_uninit",
        "wasmtime_error_new",
    )
    return fastcall.SUPPORTED and all(hasattr(wffi.dll, n) for n in names) and _layout_holds()


_AVAILABLE = _available()
_API: Any = None
if _AVAILABLE:
    assert _ffi is not None
    assert _lib is not None
    _lib.sd_component_init()
    _API = _ffi.new("sd_wasmtime *")
    for _field, _name in (
        ("func_call", "wasmtime_component_func_call"),
        ("val_delete", "wasmtime_component_val_delete"),
        ("val_new", "wasmtime_component_val_new"),
        ("name_new", "wasm_byte_vec_new_uninitialized"),
        ("record_new", "wasmtime_component_valrecord_new_uninit"),
        ("error_new", "wasmtime_error_new"),
    ):
        _address = ctypes.cast(getattr(wffi.dll, _name), ctypes.c_void_p).value
        setattr(_API, _field, _ffi.cast("void *", _address))


def available() -> bool:
    """The C path is installed, built from these sources, and matches this wasmtime-py."""
    return _AVAILABLE


def enabled() -> bool:
    """`available`, and not turned off (``SPACEDRIVE_FASTCALL=0`` or ``=ctypes``)."""
    return _AVAILABLE and os.environ.get("SPACEDRIVE_FASTCALL") not in ("0", "ctypes")


def encode_octets(data: bytes) -> bytes:
    """component.c's octets writer (tests hold it to `component_world.to_octets`)."""
    assert _ffi is not None
    assert _lib is not None
    out = _ffi.new("char[]", _lib.sd_octets_encoded_size(data, len(data)) or 1)
    _lib.sd_octets_encode(data, len(data), out)
    return bytes(_ffi.buffer(out, _lib.sd_octets_encoded_size(data, len(data))))


def decode_octets(octets: bytes) -> bytes | None:
    """component.c's octets reader, or None when ``octets`` is not that."""
    assert _ffi is not None
    assert _lib is not None
    out = _ffi.new("char[]", len(octets) or 1)  # the plain form is as long as its bytes
    n = _lib.sd_octets_decode(octets, len(octets), out)
    return None if n < 0 else bytes(_ffi.buffer(out, n))


class ImportServer(Protocol):
    """What the ``call``/``http`` imports hand their requests to (the instance)."""

    def serve_import(
        self, method: bytes | None, library: bytes | None, json: bytes, tail: bytes | None
    ) -> tuple[bool, bytes, bytes]:
        """(True, json, tail) or (False, code, message); ``tail`` None: not octets.
        Never raises. Every bytes value it answers with is UTF-8 (the JSON checked)."""
        ...


class NativeComponent:
    """One component instance's C call path: its imports, and calls of its ``handle``."""

    def __init__(self, server: Callable[[], ImportServer | None]) -> None:
        assert _ffi is not None
        assert _lib is not None
        #: The instance serving the imports, or None when it is gone (held weakly by the caller).
        self.server = server
        self._handle = _ffi.new_handle(self)
        c = self._c = _ffi.new("sd_component *")
        c.api, c.handle = _API, self._handle
        self._answer = _ffi.new("sd_component_answer *")
        self._func: Any = None
        self._ctx: Any = None
        self._bound: wc.Func | None = None
        #: The last import answer's buffers: C copies them after Python returns.
        self.pending: tuple[Any, ...] = ()
        self._call, self._release, self._unpack, self._null = (
            _lib.sd_component_handle,
            _lib.sd_component_release,
            _ffi.unpack,
            _ffi.NULL,
        )

    def define(self, root: wc.LinkerInstance) -> None:
        """Defines the world's ``call`` and ``http`` imports in ``root`` over component.c."""
        assert _ffi is not None
        assert _lib is not None
        env = ctypes.c_void_p(int(_ffi.cast("uintptr_t", self._c)))
        for name, is_call in (("call", 1), ("http", 0)):
            callback = int(_ffi.cast("uintptr_t", _lib.sd_component_callback(is_call)))
            name_b = name.encode()
            error = wffi.wasmtime_component_linker_instance_add_func(
                root.ptr(),
                ctypes.create_string_buffer(name_b),
                len(name_b),
                ctypes.cast(callback, wffi.wasmtime_component_func_callback_t),
                env,
                fastcall.NO_FINALIZER,
            )
            if error:
                raise wasmtime.WasmtimeError._from_ptr(error)

    def bind(self, func: wc.Func, store: wasmtime.Store) -> None:
        """After instantiation: the ``handle`` export and the Store `handle` calls."""
        assert _ffi is not None
        self._bound = func  # keeps the struct the address points into
        self._func = _ffi.cast("void *", ctypes.addressof(func._func))
        self._ctx = _ffi.cast("void *", fastcall.store_context(store, fast=True))

    def handle(
        self, method: bytes, library: bytes | None, json: bytes, tail: bytes
    ) -> tuple[int, bytes, bytes]:
        """Calls the bound ``handle``: (`Answer` code, first, second); raises the call's
        failure. ``json`` must be UTF-8 (wasmtime aborts the process on a string that is not)."""
        assert self._bound is not None, "bind first"
        answer = self._answer
        code = self._call(
            self._c,
            self._func,
            self._ctx,
            method,
            len(method),
            self._null if library is None else library,
            0 if library is None else len(library),
            json,
            len(json),
            tail,
            len(tail),
            answer,
        )
        try:
            if code == Answer.FAILED:
                raise fastcall.failure(int(_ffi.cast("uintptr_t", answer.error)), None)
            unpack = self._unpack
            first = unpack(answer.a, answer.a_len) if answer.a_len else b""
            second = unpack(answer.b, answer.b_len) if answer.b_len else b""
            return code, first, second
        finally:
            self._release(self._c)

    def close(self) -> None:
        """Frees the C side's buffers (after the Store is gone or done calling)."""
        assert _lib is not None
        _lib.sd_component_free(self._c)


def _install_callback() -> None:
    assert _ffi is not None
    ffi, null = _ffi, _ffi.NULL
    unpack, from_buffer = ffi.unpack, ffi.from_buffer
    failed = (False, b"internal", b"the host failed serving this call")

    @ffi.def_extern()  # type: ignore[untyped-decorator]
    def sd_py_component_serve(
        handle: Any,
        is_call: int,
        method: Any,
        method_len: int,
        library: Any,
        library_len: int,
        json: Any,
        json_len: int,
        tail: Any,
        tail_len: int,
        tail_ok: int,
        out: Any,
    ) -> None:
        calls: NativeComponent = ffi.from_handle(handle)
        try:
            server = calls.server()
            if server is None:
                answer = failed  # the instance is gone; its Store is going
            else:
                answer = server.serve_import(
                    unpack(method, method_len) if is_call else None,
                    unpack(library, library_len) if library != null else None,
                    unpack(json, json_len) if json_len else b"",
                    (unpack(tail, tail_len) if tail_len else b"") if tail_ok else None,
                )
        except BaseException:  # serve_import never raises; this is a last guard
            answer = failed
        ok, first, second = answer
        a, b = from_buffer(first), from_buffer(second)
        calls.pending = (a, b)
        out.ok, out.a, out.a_len, out.b, out.b_len = int(ok), a, len(first), b, len(second)


if _AVAILABLE:
    _install_callback()

"""The byte-list fast path fills and reads wasmtime's value arrays exactly as
wasmtime-py's per-element conversion does (the end-to-end check is the 1 MiB
tail round trip in test_parity)."""

from __future__ import annotations

import ctypes

from hypothesis import given
from hypothesis import strategies as st
from wasmtime import _ffi as ffi

from spacedrive_host.runtime import component_bytes


def test_the_fast_path_is_installed_with_the_component_runtime() -> None:
    import spacedrive_host.runtime.component  # noqa: F401 - installs it on import

    assert component_bytes.installed
    assert component_bytes._layout_holds()


@given(st.binary(max_size=4096))
def test_fill_and_read_agree_with_the_element_structs(data: bytes) -> None:
    raw = ffi.wasmtime_component_vallist_t()
    component_bytes._fill(raw, data)
    try:
        assert raw.size == len(data)
        assert all(raw.data[i].kind == ffi.WASMTIME_COMPONENT_U8.value for i in range(len(data)))
        assert bytes(raw.data[i].of.u8 for i in range(len(data))) == data
        val = ffi.wasmtime_component_val_t()
        val.kind = ffi.WASMTIME_COMPONENT_LIST
        val.of.list = raw
        assert component_bytes._read(val) == data
    finally:
        ffi.wasmtime_component_vallist_delete(ctypes.byref(raw))

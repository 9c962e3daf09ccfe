"""Bytes across the component boundary: the byte-list fast path fills and reads
wasmtime's value arrays exactly as wasmtime-py's per-element conversion does, and
tails read as the world's octets (ASCII as is, or hex), strictly (the end-to-end check is the 1 MiB
tail round trip in test_parity)."""

from __future__ import annotations

import ctypes

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wasmtime import _ffi as ffi

from spacedrive_host.runtime import component_bytes
from spacedrive_host.runtime.component_world import from_octets, to_octets


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


@given(st.binary(max_size=4096))
def test_octets_round_trip_in_either_form(data: bytes) -> None:
    octets = to_octets(data)
    assert octets.isascii()
    assert from_octets(octets) == data
    assert from_octets(" " + data.hex()) == data  # the hex form is always allowed
    assert from_octets(" " + data.hex().upper()) == data


def test_ascii_bytes_travel_as_they_are_and_others_as_hex() -> None:
    assert to_octets(b"") == ""
    assert to_octets(b"plain text\n") == "plain text\n"
    assert to_octets(b" leading space") == " " + b" leading space".hex()
    assert to_octets(b"\x80\xff") == " 80ff"


@pytest.mark.parametrize("octets", [" 0", " 0g", " 00 ", " 00 11", "  0011", "\u00ff\u00ff", "caf\u00e9"])
def test_anything_else_is_not_octets(octets: str) -> None:
    assert from_octets(octets) is None

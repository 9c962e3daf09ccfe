"""Bytes across the component boundary: the byte-list fast path fills and reads
wasmtime's value arrays exactly as wasmtime-py's per-element conversion does, and
tails read as the world's octets (ASCII as is, or hex), strictly, and the C call path's octets
codec agrees with the Python one (the end-to-end checks are the tail round trips in test_parity,
run on both paths)."""

from __future__ import annotations

import ctypes
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wasmtime import _ffi as ffi

from spacedrive_host.runtime import component_bytes, component_native
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


# -- the C call path's codec (host/native/component.c) --------------------------------

needs_native = pytest.mark.skipif(
    not component_native.available(), reason="spacedrive-host-native (with component.c) is not installed"
)

#: Strings the world does not allow as octets, and edge forms it does.
OCTET_FORMS = [
    "",
    "a",
    " ",
    " 0",
    " 00",
    " 0g",
    " 00 ",
    " 00 11",
    "  0011",
    " AbCd",
    " abcd",
    "\x7f",
    "caf\u00e9",
    "\u00ff\u00ff",
]


def test_the_c_path_is_on_whenever_the_native_module_is_installed() -> None:
    pytest.importorskip("spacedrive_host_native")
    assert component_native.available()  # built from these sources, and the layout matches
    off = os.environ.get("SPACEDRIVE_FASTCALL") in ("0", "ctypes")
    assert component_native.enabled() is not off


@needs_native
@given(st.binary(max_size=4096))
def test_the_c_octets_writer_is_the_python_one(data: bytes) -> None:
    assert component_native.encode_octets(data) == to_octets(data).encode()
    assert component_native.decode_octets(component_native.encode_octets(data)) == data


@needs_native
@pytest.mark.parametrize("octets", OCTET_FORMS)
def test_the_c_octets_reader_accepts_what_the_python_one_does(octets: str) -> None:
    assert component_native.decode_octets(octets.encode()) == from_octets(octets)


@needs_native
@given(st.binary(min_size=1, max_size=300), st.data())
def test_the_c_octets_reader_refuses_any_one_bad_digit(data: bytes, draw: st.DataObject) -> None:
    # 16 bytes at a time where it can (SSE2), one at a time for the rest: both parts checked.
    octets = bytearray(b" " + data.hex().encode())
    assert component_native.decode_octets(bytes(octets).upper()) == data
    octets[draw.draw(st.integers(1, len(octets) - 1))] = draw.draw(st.sampled_from(b"gG /:@`\x80\xff\x00z"))
    assert component_native.decode_octets(bytes(octets)) is None


@needs_native
@given(st.text(alphabet=" 0123456789abcdefABCDEFgx\u00e9", max_size=200))
def test_the_c_octets_reader_agrees_on_any_string(octets: str) -> None:
    assert component_native.decode_octets(octets.encode()) == from_octets(octets)

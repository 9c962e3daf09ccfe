"""Differential tests: on the same generated inputs, the host's Python codec, the
native twin (`spacedrive_abi_native`: the Rust crate built natively with maturin)
and the same crate compiled to wasm (inside the abi-probe plugin) agree."""

from __future__ import annotations

import struct
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from spacedrive_abi_native import ffi, lib

from spacedrive_host import Host
from spacedrive_host.runtime import abi

KINDS = {
    lib.SD_TRUNCATED: "truncated",
    lib.SD_JSON_OVERRUN: "json_overrun",
    lib.SD_BAD_STATUS: "bad_status",
    lib.SD_LENGTH_MISMATCH: "length_mismatch",
    lib.SD_TOO_LARGE: "too_large",
}
Outcome = tuple[Any, ...]


# -- three implementations of each operation -----------------------------------


def py_message(data: bytes) -> Outcome:
    try:
        m = abi.decode_message(data)
    except abi.FrameError as e:
        return ("error", e.kind)
    return ("ok", len(m.json), len(m.tail))


def native_message(data: bytes) -> Outcome:
    off, ln = ffi.new("uintptr_t*"), ffi.new("uintptr_t*")
    rc = lib.sd_decode_message(ffi.from_buffer(data), len(data), off, ln)
    if rc:
        return ("error", KINDS[rc])
    return ("ok", ln[0], len(data) - off[0] - ln[0])


def wasm(host: Host, method: str, payload: Any, tail: bytes) -> tuple[dict[str, Any], bytes]:
    out = host.call_plugin("abi-probe", method, payload, tail=tail)
    return out.data()["output"], out.tail


def wasm_message(host: Host, data: bytes) -> Outcome:
    r, _ = wasm(host, "decode_message", None, data)
    return ("ok", r["json_len"], r["tail_len"]) if r["ok"] else ("error", r["error"])


def py_block(data: bytes) -> Outcome:
    try:
        status, m = abi.decode_block(data)
    except abi.FrameError as e:
        return ("error", e.kind)
    return ("ok", status, len(m.json), len(m.tail))


def native_block(data: bytes) -> Outcome:
    status, off, ln = ffi.new("uint8_t*"), ffi.new("uintptr_t*"), ffi.new("uintptr_t*")
    rc = lib.sd_decode_block(ffi.from_buffer(data), len(data), status, off, ln)
    if rc:
        return ("error", KINDS[rc])
    return ("ok", status[0], ln[0], len(data) - off[0] - ln[0])


def wasm_block(host: Host, data: bytes) -> Outcome:
    r, _ = wasm(host, "decode_block", None, data)
    return ("ok", r["status"], r["json_len"], r["tail_len"]) if r["ok"] else ("error", r["error"])


# -- inputs ----------------------------------------------------------------------

small = st.binary(max_size=96)


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    """Valid messages, and valid ones with a lying json_len or cut short."""
    json, tail = draw(small), draw(small)
    data = bytearray(abi.encode_message(json, tail))
    if draw(st.booleans()):
        data[:4] = struct.pack("<I", draw(st.integers(0, 2**32 - 1) | st.integers(0, len(data) + 2)))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@st.composite
def blocks(draw: st.DrawFn) -> bytes:
    """Valid blocks, and ones with a bad status, a lying len or json_len, or cut short."""
    data = bytearray(abi.encode_block(draw(st.sampled_from([0, 1])), draw(small), draw(small)))
    mutation = draw(st.sampled_from(["none", "status", "len", "json_len", "cut"]))
    if mutation == "status":
        data[4] = draw(st.integers(0, 255))
    elif mutation == "len":
        data[:4] = struct.pack("<I", draw(st.integers(0, 2**32 - 1)))
    elif mutation == "json_len":
        data[5:9] = struct.pack("<I", draw(st.integers(0, len(data))))
    elif mutation == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


# -- the properties ----------------------------------------------------------------


@given(data=messages() | small)
def test_differential_decode_message(module_host: Host, data: bytes) -> None:
    expected = py_message(data)
    assert native_message(data) == expected
    assert wasm_message(module_host, data) == expected


@given(data=blocks() | small)
def test_differential_decode_block(module_host: Host, data: bytes) -> None:
    expected = py_block(data)
    assert native_block(data) == expected
    assert wasm_block(module_host, data) == expected


@given(status=st.integers(0, 3), json=small, tail=small)
@example(status=2, json=b"", tail=b"")  # found once: the Rust encoder accepted an unknown status
def test_differential_encode_block(module_host: Host, status: int, json: bytes, tail: bytes) -> None:
    try:
        expected: Outcome = ("ok", abi.encode_block(status, json, tail))
    except abi.FrameError as e:
        expected = ("error", e.kind)

    size = ffi.new("uintptr_t*")
    assert lib.sd_block_len(len(json), len(tail), size) == lib.SD_OK
    out = ffi.new("uint8_t[]", size[0])
    rc = lib.sd_write_block(
        out, size[0], status, ffi.from_buffer(json), len(json), ffi.from_buffer(tail), len(tail)
    )
    native: Outcome = ("error", KINDS[rc]) if rc else ("ok", bytes(ffi.buffer(out, size[0])))
    assert native == expected

    r, block = wasm(module_host, "encode_block", {"status": status, "json_len": len(json)}, json + tail)
    assert (("ok", block) if r["ok"] else ("error", r["error"])) == expected


u32 = st.integers(0, 2**32 - 1)


@given(ptr=u32, length=u32, mem=st.integers(0, 2**33))
def test_differential_checked_range(ptr: int, length: int, mem: int) -> None:
    assert bool(lib.sd_range_ok(ptr, length, mem)) == (abi.checked_range(ptr, length, mem) is not None)


@given(ptr=u32, total=u32)
def test_differential_pack_location(ptr: int, total: int) -> None:
    assert lib.sd_pack_location(ptr, total) == abi.pack_location(ptr, total)


# -- the ledger: native twin against a plain Python model ---------------------------


class LedgerModel:
    def __init__(self) -> None:
        self.live: dict[int, int] = {}

    def insert(self, ptr: int, size: int) -> str:
        end = ptr + max(size, 1)
        if end > 2**32:
            return "wraps"
        if any(ptr < p + max(s, 1) and p < end for p, s in self.live.items()):
            return "overlap"
        self.live[ptr] = size
        return "ok"

    def remove(self, ptr: int, size: int) -> str:
        if ptr not in self.live:
            return "unknown"
        if self.live[ptr] != size:
            return "size_mismatch"
        del self.live[ptr]
        return "ok"


LEDGER_CODES = {
    lib.SD_OK: "ok",
    lib.SD_OVERLAP: "overlap",
    lib.SD_UNKNOWN: "unknown",
    lib.SD_SIZE_MISMATCH: "size_mismatch",
    lib.SD_WRAPS: "wraps",
}
near = st.integers(0, 64).map(lambda n: n * 8) | st.integers(2**32 - 64, 2**32 - 1)
ops = st.lists(st.tuples(st.sampled_from(["insert", "remove"]), near, st.integers(0, 40)), max_size=60)


@given(ops)
def test_differential_ledger(sequence: list[tuple[str, int, int]]) -> None:
    model = LedgerModel()
    native = ffi.gc(lib.sd_ledger_new(), lib.sd_ledger_free)
    blocks_out, bytes_out = ffi.new("uint64_t*"), ffi.new("uint64_t*")
    for op, ptr, size in sequence:
        fn = lib.sd_ledger_insert if op == "insert" else lib.sd_ledger_remove
        assert LEDGER_CODES[fn(native, ptr, size)] == getattr(model, op)(ptr, size), (op, ptr, size)
        lib.sd_ledger_stats(native, blocks_out, bytes_out)
        assert (blocks_out[0], bytes_out[0]) == (len(model.live), sum(model.live.values()))

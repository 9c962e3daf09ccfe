"""The guest-memory range checks (`runtime.memory`) at their exact edges, on a real
wasmtime memory and on a plain buffer: the last byte in range is served, one past is
refused, the limit is inclusive, pointers and lengths wrap to u32 as the ABI says.
test_guest_memory.py drives the same checks from inside guests; these pin the edges
(`nox -s mutation` found them loose)."""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Iterator

import pytest
import wasmtime

from spacedrive_host import InvalidInput, LimitExceeded
from spacedrive_host.runtime import fastcall
from spacedrive_host.runtime.abi import FrameError
from spacedrive_host.runtime.memory import GuestMemory, OutOfBounds

SIZE = 64
BIG = 1 << 20


@pytest.fixture
def view() -> Iterator[GuestMemory.View]:
    buf = (ctypes.c_char * SIZE).from_buffer(bytearray(bytes(range(SIZE))))
    yield GuestMemory.View(ctypes.addressof(buf), SIZE)
    del buf  # held until the test is done with the view


def test_reads_up_to_the_last_byte_and_not_one_past(view: GuestMemory.View) -> None:
    assert view.read(0, SIZE, what="all", limit=BIG) == bytes(range(SIZE))
    assert view.read(SIZE - 1, 1, what="last", limit=BIG) == bytes([SIZE - 1])
    assert view.read(SIZE, 0, what="empty at the end", limit=BIG) == b""
    with pytest.raises(OutOfBounds, match=r"request at \[0x40, \+1\) lies outside guest memory \(64 bytes\)"):
        view.read(SIZE, 1, what="request", limit=BIG)
    with pytest.raises(OutOfBounds):
        view.read(1, SIZE, what="request", limit=BIG)
    assert issubclass(OutOfBounds, InvalidInput)


def test_the_limit_is_inclusive(view: GuestMemory.View) -> None:
    assert view.read(0, 8, what="x", limit=8) == bytes(range(8))
    with pytest.raises(LimitExceeded, match=r"x is 9 bytes; the limit is 8$"):
        view.read(0, 9, what="x", limit=8)


def test_pointers_and_lengths_wrap_to_u32(view: GuestMemory.View) -> None:
    assert view.read((1 << 32) + 3, 2, what="x", limit=BIG) == bytes([3, 4])
    assert view.read(5, (1 << 32) + 2, what="x", limit=BIG) == bytes([5, 6])
    with pytest.raises(OutOfBounds, match=r"\[0xffffffff, \+1\)"):
        view.read(-1, 1, what="x", limit=BIG)  # -1 is 0xffffffff, not the last byte
    with pytest.raises(LimitExceeded):
        view.read(0, -1, what="x", limit=BIG)  # -1 is 4 GiB - 1
    view.write((1 << 32) + 10, b"\xaa", what="x")
    assert view.read(10, 1, what="x", limit=BIG) == b"\xaa"


def test_writes_are_checked_for_their_total(view: GuestMemory.View) -> None:
    view.write_parts(SIZE - 3, (b"a", b"bc"), what="block")
    assert view.read(SIZE - 3, 3, what="x", limit=BIG) == b"abc"
    view.write(SIZE, b"", what="nothing")
    with pytest.raises(OutOfBounds, match=r"block at \[0x3e, \+3\) lies outside guest memory \(64 bytes\)$"):
        view.write_parts(SIZE - 2, (b"a", b"bc"), what="block")
    with pytest.raises(OutOfBounds):
        view.write(-1, b"z", what="x")
    assert view.read(SIZE - 3, 3, what="x", limit=BIG) == b"abc"  # a refused write writes nothing


def test_messages_split_at_their_json_length(view: GuestMemory.View) -> None:
    view.write(8, struct.pack("<I", 2) + b"{}tail", what="msg")
    assert view.read_message(8, 10, what="msg", limit=BIG) == (b"{}", b"tail")
    assert view.read_message(8, 6, what="msg", limit=BIG) == (b"{}", b"")
    assert view.read_message((1 << 32) + 8, (1 << 32) + 10, what="msg", limit=BIG) == (b"{}", b"tail")
    with pytest.raises(FrameError):
        view.read_message(8, 5, what="msg", limit=BIG)  # json_len 2 past a 5-byte message
    with pytest.raises(LimitExceeded):
        view.read_message(8, 10, what="msg", limit=9)
    with pytest.raises(OutOfBounds):
        view.read_message(SIZE - 4, 10, what="msg", limit=BIG)


def test_an_empty_view_refuses_everything_but_nothing() -> None:
    v = GuestMemory.View(0, 0)
    assert v.read(0, 0, what="x", limit=BIG) == b""
    with pytest.raises(OutOfBounds):
        v.read(0, 1, what="x", limit=BIG)


@pytest.mark.parametrize("fast", [False, True])
def test_a_real_memory_is_seen_at_its_current_size(fast: bool) -> None:
    # wasmtime-py is pinned to the release the fast path was written for (test_fastcall.py).
    assert fastcall.SUPPORTED or not fast
    store = wasmtime.Store(wasmtime.Engine())
    memory = wasmtime.Memory(store, wasmtime.MemoryType(wasmtime.Limits(1, 4)))
    guest = GuestMemory(memory, fast=fast)
    ctx = fastcall.store_context(store, fast=fast)
    assert guest.size(ctx) == 65536
    guest.write(ctx, 65535, b"\x01", what="x")
    assert guest.read(ctx, 65535, 1, what="x", limit=BIG) == b"\x01"
    first = guest.view(ctx)
    assert guest.view(ctx) is first  # unchanged base and size: the same snapshot
    with pytest.raises(OutOfBounds):
        guest.read(ctx, 65536, 1, what="x", limit=BIG)
    memory.grow(store, 1)
    assert guest.size(ctx) == 2 * 65536
    assert guest.view(ctx) is not first
    guest.write(ctx, 65536, b"\x02", what="x")  # the grown page is in range now
    assert guest.read(ctx, 65535, 2, what="x", limit=BIG) == b"\x01\x02"


def test_the_default_call_path_and_messages_of_a_real_memory() -> None:
    store = wasmtime.Store(wasmtime.Engine())
    memory = wasmtime.Memory(store, wasmtime.MemoryType(wasmtime.Limits(1, 1)))
    guest = GuestMemory(memory)  # takes the contexts of the path the host runs on
    ctx = fastcall.store_context(store, fast=fastcall.enabled())
    assert guest.size(ctx) == 65536
    with pytest.raises(OutOfBounds, match=r"invalid_input: request at \[0x10000, \+1\)"):
        guest.read(ctx, 65536, 1, what="request", limit=BIG)
    with pytest.raises(OutOfBounds, match=r"invalid_input: response at \[0xffff, \+2\)"):
        guest.write(ctx, 65535, b"ab", what="response")

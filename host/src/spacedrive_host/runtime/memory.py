"""Checked access to a guest's linear memory.

wasmtime-py's `Memory.read`/`write` use slice semantics (negative offsets
accepted, short reads silent), so every access goes through here: the range is
masked to u32, checked against the memory's *current* size (memory may grow or
move during any call into the guest), and copied once.
"""

from __future__ import annotations

import ctypes

import wasmtime
from wasmtime._store import Storelike  # the public API takes it but does not export it

from ..errors import InvalidInput, LimitExceeded
from . import fastcall
from .abi import checked_range

__all__ = ["GuestMemory", "OutOfBounds"]


class OutOfBounds(InvalidInput):
    """A guest (ptr, len) lies outside its memory."""


class GuestMemory:
    """A guest's exported memory, read and written only through checked ranges."""

    __slots__ = ("_view",)

    def __init__(self, memory: wasmtime.Memory, *, fast: bool | None = None) -> None:
        self._view = fastcall.memory_view(memory, fast=fastcall.enabled() if fast is None else fast)

    def size(self, store: Storelike) -> int:
        return self._view(store)[1]

    def read(self, store: Storelike, ptr: int, length: int, *, what: str, limit: int) -> bytes:
        """Copies ``length`` bytes at ``ptr``.

        Raises `LimitExceeded` past ``limit`` and `OutOfBounds` outside memory.
        """
        length &= 0xFFFF_FFFF
        if length > limit:
            raise LimitExceeded(f"{what} is {length} bytes; the limit is {limit}")
        base, size = self._view(store)
        span = checked_range(ptr, length, size)
        if span is None:
            raise OutOfBounds(
                f"{what} at [{ptr & 0xFFFF_FFFF:#x}, +{length}) lies outside guest memory ({size} bytes)"
            )
        if not span:
            return b""
        return ctypes.string_at(base + span.start, len(span))

    def write(self, store: Storelike, ptr: int, data: bytes, *, what: str) -> None:
        """Copies ``data`` to ``ptr``; `OutOfBounds` unless it fits entirely."""
        base, size = self._view(store)
        span = checked_range(ptr, len(data), size)
        if span is None or len(span) != len(data):
            raise OutOfBounds(
                f"{what} at [{ptr & 0xFFFF_FFFF:#x}, +{len(data)}) lies outside guest memory ({size} bytes)"
            )
        if data:
            ctypes.memmove(base + span.start, data, len(data))

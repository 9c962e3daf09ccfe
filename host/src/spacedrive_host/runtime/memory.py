"""Checked access to a guest's linear memory.

wasmtime-py's `Memory.read`/`write` use slice semantics (negative offsets
accepted, short reads silent), so every access goes through here: the range is
masked to u32, checked against the memory's *current* size (memory may grow or
move during any call into the guest), and copied once.
"""

from __future__ import annotations

import ctypes

import wasmtime

from ..errors import InvalidInput, LimitExceeded
from . import fastcall
from .abi import checked_range
from .fastcall import ContextLike as Storelike

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

    def view(self, store: Storelike) -> GuestMemory.View:
        """A snapshot for several reads in a row, valid until the guest next runs
        (which may grow, and so move, its memory)."""
        return GuestMemory.View(*self._view(store))

    class View:
        """Checked reads against one (base, size) snapshot."""

        __slots__ = ("base", "size")

        def __init__(self, base: int, size: int) -> None:
            self.base, self.size = base, size

        def read(self, ptr: int, length: int, *, what: str, limit: int) -> bytes:
            length &= 0xFFFF_FFFF
            if length > limit:
                raise LimitExceeded(f"{what} is {length} bytes; the limit is {limit}")
            span = checked_range(ptr, length, self.size)
            if span is None:
                where = f"[{ptr & 0xFFFF_FFFF:#x}, +{length})"
                raise OutOfBounds(f"{what} at {where} lies outside guest memory ({self.size} bytes)")
            return ctypes.string_at(self.base + span.start, len(span)) if span else b""

        def write(self, ptr: int, data: bytes, *, what: str) -> None:
            span = checked_range(ptr, len(data), self.size)
            if span is None or len(span) != len(data):
                where = f"[{ptr & 0xFFFF_FFFF:#x}, +{len(data)})"
                raise OutOfBounds(f"{what} at {where} lies outside guest memory ({self.size} bytes)")
            if data:
                ctypes.memmove(self.base + span.start, data, len(data))

    def read(self, store: Storelike, ptr: int, length: int, *, what: str, limit: int) -> bytes:
        """Copies ``length`` bytes at ``ptr``.

        Raises `LimitExceeded` past ``limit`` and `OutOfBounds` outside memory.
        """
        return self.view(store).read(ptr, length, what=what, limit=limit)

    def write(self, store: Storelike, ptr: int, data: bytes, *, what: str) -> None:
        """Copies ``data`` to ``ptr``; `OutOfBounds` unless it fits entirely."""
        self.view(store).write(ptr, data, what=what)

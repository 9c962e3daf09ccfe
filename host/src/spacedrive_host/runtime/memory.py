"""Checked access to a guest's linear memory.

wasmtime-py's `Memory.read`/`write` use slice semantics (negative offsets
accepted, short reads silent), so every access goes through here: the range is
masked to u32, checked against the memory's *current* size (memory may grow or
move during any call into the guest), and copied once.
"""

from __future__ import annotations

from ctypes import c_char

import wasmtime

from ..errors import InvalidInput, LimitExceeded
from . import fastcall
from .abi import BLOCK_HEADER, MESSAGE_HEADER, STATUS_ERROR, U32, U32_MAX, message_json_len
from .fastcall import Context

__all__ = ["GuestMemory", "OutOfBounds"]


class OutOfBounds(InvalidInput):
    """A guest (ptr, len) lies outside its memory."""


class GuestMemory:
    """A guest's exported memory, read and written only through checked ranges."""

    __slots__ = ("_last", "_view")

    def __init__(self, memory: wasmtime.Memory, *, fast: bool | None = None, fixed: bool = False) -> None:
        """``fixed``: the engine guarantees the memory never moves (see `EngineSettings.fixed_memory`)."""
        fast = fastcall.enabled() if fast is None else fast  # which contexts it takes (`fastcall.Context`)
        self._view = fastcall.memory_view(memory, fast=fast, fixed=fixed)
        self._last = GuestMemory.View(0, 0)

    def size(self, ctx: Context) -> int:
        return self._view(ctx)[1]

    def view(self, ctx: Context) -> GuestMemory.View:
        """A snapshot for several accesses in a row, valid until the guest next
        runs (which may grow, and so move, its memory). While base and size stay
        the same, so does the snapshot."""
        base, size = self._view(ctx)
        last = self._last
        if base != last.base or size != last.size:
            last = self._last = GuestMemory.View(base, size)
        return last

    class View:
        """Checked reads and writes against one (base, size) snapshot."""

        __slots__ = ("_mem", "base", "size")

        def __init__(self, base: int, size: int) -> None:
            self.base, self.size = base, size
            # Slicing a memoryview moves bytes without a foreign call.
            self._mem = memoryview((c_char * size).from_address(base)).cast("B") if size else memoryview(b"")

        def _checked(self, ptr: int, length: int, what: str, limit: int) -> int:
            """The u32 start of ``[ptr, +length)`` (``length`` already masked), or raises."""
            if length > limit:
                raise LimitExceeded(f"{what} is {length} bytes; the limit is {limit}")
            start = ptr & U32_MAX
            if start + length > self.size:  # Python ints: cannot wrap
                raise OutOfBounds(
                    f"{what} at [{start:#x}, +{length}) lies outside guest memory ({self.size} bytes)"
                )
            return start

        def read(self, ptr: int, length: int, *, what: str, limit: int) -> bytes:
            length &= U32_MAX
            start = self._checked(ptr, length, what, limit)
            return self._mem[start : start + length].tobytes()

        def read_message(self, ptr: int, length: int, *, what: str, limit: int) -> tuple[bytes, bytes]:
            """(json, tail) of the ABI message at ``ptr``, each copied out once.

            Raises as `read` does, and `abi.FrameError` if the message is malformed."""
            length &= U32_MAX
            start = self._checked(ptr, length, what, limit)
            mem = self._mem
            json_at = start + MESSAGE_HEADER
            tail_at = json_at + message_json_len(mem, start, length)
            return mem[json_at:tail_at].tobytes(), mem[tail_at : start + length].tobytes()

        def regular_block(self, ptr: int, size: int, limit: int) -> tuple[int, bytes, bytes] | None:
            """(status, json, tail) of the response block of ``size`` bytes at ``ptr`` if
            it is regular (inside memory, its header agreeing with ``size``, within
            ``limit``, a known status, its JSON inside it), each part copied out once;
            else None, and the caller's step-by-step reading words the problem.
            One bounds check and two slices: a plugin call's common case."""
            body = ptr + BLOCK_HEADER
            start = body + 1 + MESSAGE_HEADER
            if ptr + size > self.size or start > ptr + size:
                return None
            mem = self._mem
            (declared,) = U32.unpack_from(mem, ptr)
            status = mem[body]
            if declared + BLOCK_HEADER != size or declared > limit or status > STATUS_ERROR:
                return None
            (json_len,) = U32.unpack_from(mem, body + 1)
            end = ptr + size
            if start + json_len > end:
                return None
            return status, mem[start : start + json_len].tobytes(), mem[start + json_len : end].tobytes()

        def write(self, ptr: int, data: bytes, *, what: str) -> None:
            self.write_parts(ptr, (data,), what=what)

        def write_parts(self, ptr: int, parts: tuple[bytes, ...], *, what: str) -> None:
            """Writes ``parts`` back to back at ``ptr``, checked once for their total."""
            start = ptr & U32_MAX
            end = start + sum(map(len, parts))
            if end > self.size:
                raise OutOfBounds(
                    f"{what} at [{start:#x}, +{end - start}) lies outside guest memory ({self.size} bytes)"
                )
            mem = self._mem
            for part in parts:
                stop = start + len(part)
                mem[start:stop] = part
                start = stop

    def read(self, ctx: Context, ptr: int, length: int, *, what: str, limit: int) -> bytes:
        """Copies ``length`` bytes at ``ptr``.

        Raises `LimitExceeded` past ``limit`` and `OutOfBounds` outside memory.
        """
        return self.view(ctx).read(ptr, length, what=what, limit=limit)

    def write(self, ctx: Context, ptr: int, data: bytes, *, what: str) -> None:
        """Copies ``data`` to ``ptr``; `OutOfBounds` unless it fits entirely."""
        self.view(ctx).write(ptr, data, what=what)

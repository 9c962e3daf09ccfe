"""The host's side of one instance's ABI v1 imports: serving requests, logs,
clock and randomness, and the protocol faults a guest can commit.

Rules kept here (docs/contributing/wasmtime.md has the facts behind them):

* No exception ever escapes a handler into wasmtime (wasmtime-py parks such
  exceptions in a process-global slot that another thread can pick up). A bad
  *request* gets an error response; a broken *protocol* is recorded in `fault`
  and reported, with the instance poisoned, when the guest returns.
* Every guest (ptr, len) is masked to u32 and bounds-checked (`GuestMemory`).
* A response block may not overlap the live request buffer, and ``wasm_alloc``
  may not call back into the host.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from uuid import UUID

import wasmtime

from ..errors import AbiViolation, InternalError, InvalidInput, LimitExceeded, PluginError
from . import abi
from .deadline import GuestDeadline
from .fastcall import Context, GuestCall
from .instance import Endpoint
from .limits import HostLimits, LogRecord
from .logs import LEVELS, PluginLog
from .memory import GuestMemory, OutOfBounds
from .traps import guest_failure

__all__ = ["HTTP_METHOD", "MAX_RANDOM_BYTES", "HostCalls"]

#: The operation ``spacedrive_http`` stands for.
HTTP_METHOD = _HTTP_METHOD = b"action:http.request.v1"
#: Most bytes one spacedrive_random call fills.
MAX_RANDOM_BYTES = 1 << 16


class HostCalls:
    """Implements `callpath.HostHandlers` for one instance."""

    _memory: GuestMemory
    _alloc: GuestCall
    _live: Callable[[], range | None]

    def __init__(
        self, plugin: str, endpoint: Endpoint, limits: HostLimits, log: PluginLog, deadline: GuestDeadline
    ) -> None:
        self._plugin = plugin
        self._endpoint = endpoint
        self._limits = limits
        self._log = log
        self._deadline = deadline
        #: The protocol fault of the current entry into the guest, if any.
        self.fault: PluginError | None = None
        self._in_alloc = False
        #: The library of the call being handled (``spacedrive_call_library``), set around it.
        self.call_library_id: bytes | None = None

    def attach(self, memory: GuestMemory, alloc: GuestCall, live: Callable[[], range | None]) -> None:
        """After instantiation: the guest memory, its ``wasm_alloc`` and where the live range is kept.
        A request before this (from a start function) is a fault."""
        self._memory, self._alloc, self._live = memory, alloc, live

    # -- requests -----------------------------------------------------------

    def call(
        self,
        ctx: Context,
        method_ptr: int,
        method_len: int,
        library_ptr: int,
        payload_ptr: int,
        payload_len: int,
    ) -> int:
        """``spacedrive_call``: any operation of the wire."""
        return self._answer(ctx, method_ptr, method_len, library_ptr, payload_ptr, payload_len)

    def http(self, ctx: Context, request_ptr: int, request_len: int) -> int:
        """``spacedrive_http``: the proxy, i.e. ``action:http.request.v1`` under the plugin's grants."""
        return self._answer(ctx, None, 0, 0, request_ptr, request_len)

    def _answer(
        self,
        ctx: Context,
        method_ptr: int | None,
        method_len: int,
        library_ptr: int,
        payload_ptr: int,
        payload_len: int,
    ) -> int:
        """Serves one request from the guest and places the response block in its
        memory; a bad request gets an error response. ``method_ptr`` None: the
        HTTP proxy."""
        try:
            if self._refuses(method_ptr is not None):
                return 0
            started = self._deadline.host_started()
            # No guest code runs while the request is read, so one view serves all reads.
            mem = self._memory.view(ctx)
            try:
                if method_ptr is None:
                    method, library_id = _HTTP_METHOD, None
                else:
                    if method_len & abi.U32_MAX > abi.MAX_METHOD_LEN:
                        raise InvalidInput(
                            f"method name is {method_len & abi.U32_MAX} bytes; "
                            f"the limit is {abi.MAX_METHOD_LEN}"
                        )
                    method = mem.read(method_ptr, method_len, what="method name", limit=abi.MAX_METHOD_LEN)
                    library_id = None
                    if library_ptr & abi.U32_MAX:
                        library_id = UUID(bytes=mem.read(library_ptr, 16, what="library id", limit=16))
                limit = self._limits.max_payload_bytes
                json_in, tail_in = mem.read_message(payload_ptr, payload_len, what="payload", limit=limit)
            except abi.FrameError as exc:
                response = _error_response(InvalidInput(f"malformed payload: {exc}"))
            except PluginError as err:
                response = _error_response(err)
            else:
                response = self._respond(method, library_id, json_in, tail_in)
            self._deadline.host_done(started)  # before wasm_alloc: guest code
            return self._place_block(ctx, *response)
        except BaseException as exc:
            self.internal_fault(method_ptr is not None, exc)
            return 0

    def serve_request(
        self, method: bytes | None, library: bytes | None, json_in: bytes, tail_in: bytes
    ) -> tuple[int, bytes, bytes] | None:
        """A request the trampoline read: the response, or None to answer 0."""
        is_call = method is not None
        try:
            if self._refuses(is_call):
                return None
            started = self._deadline.host_started()
            library_id = UUID(bytes=library) if library is not None else None
            response = self._respond(
                method if method is not None else _HTTP_METHOD, library_id, json_in, tail_in
            )
            self._deadline.host_done(started)  # C calls wasm_alloc next: guest code
            return response
        except BaseException as exc:
            self.internal_fault(is_call, exc)
            return None

    def _respond(
        self, method: bytes, library_id: UUID | None, json_in: bytes, tail_in: bytes
    ) -> tuple[int, bytes, bytes]:
        """(status, json, tail) of the response to a request read from the guest."""
        try:
            # The wire decodes the method name (bytes here) and checks everything else.
            json_out, tail_out = self._endpoint.call(method, library_id, json_in, tail_in)
            size, limit = abi.block_size(len(json_out), len(tail_out)), self._limits.max_payload_bytes
            if size > limit:
                raise LimitExceeded(f"response to {method.decode()} is {size} bytes; the limit is {limit}")
            return abi.STATUS_OK, json_out, tail_out
        except PluginError as err:
            return _error_response(err)

    #: A component's ``call`` and ``http`` imports are answered the same way.
    respond = _respond

    def _place_block(self, ctx: Context, status: int, json_out: bytes, tail_out: bytes) -> int:
        """Writes a response block into memory the guest allocates; 0 if it cannot."""
        size = abi.block_size(len(json_out), len(tail_out))
        self._in_alloc = True
        try:
            ptr: int = self._alloc(ctx, size) & abi.U32_MAX
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            self.alloc_failed(exc)
            return 0
        finally:
            self._in_alloc = False
        if ptr == 0:
            return 0
        live = self._live()
        if live is not None and ptr < live.stop and live.start < ptr + size:
            self.overlap_fault(ptr, size, live)
            return 0
        prefix = abi.block_prefix(status, len(json_out), len(tail_out))
        view = self._memory.view(ctx)  # wasm_alloc may have grown, and so moved, memory
        try:
            view.write_parts(ptr, (prefix, json_out, tail_out), what="response block")
        except OutOfBounds:
            self.outside_fault(ptr, size, view.size)
            return 0
        return ptr

    # -- faults (the first one of an entry into the guest stands) -----------

    def _refuses(self, is_call: bool) -> bool:
        """A request arriving now gets no answer: the instance has faulted, or
        it came from inside ``wasm_alloc`` (a fault of its own)."""
        if self._in_alloc:
            self.reentrant_fault(is_call)
        return self.fault is not None

    def _set_fault(self, fault: PluginError) -> None:
        if self.fault is None:
            self.fault = fault

    def reentrant_fault(self, is_call: bool) -> None:
        self._set_fault(
            AbiViolation(
                f"wasm_alloc called back into the host (re-entrant {_import_name(is_call)})",
                plugin=self._plugin,
            )
        )

    def alloc_failed(self, exc: wasmtime.Trap | wasmtime.WasmtimeError) -> None:
        if self.fault is None:
            self.fault = guest_failure(
                "wasm_alloc",
                exc,
                plugin=self._plugin,
                timeout=self._deadline.limit(),
                panic=self._log.panic(),
            )

    def overlap_fault(self, ptr: int, size: int, live: range) -> None:
        self._set_fault(
            AbiViolation(
                f"wasm_alloc({size}) returned [{ptr:#x}, +{size}), overlapping the live "
                f"request buffer [{live.start:#x}, +{len(live)})",
                plugin=self._plugin,
            )
        )

    def outside_fault(self, ptr: int, size: int, memory_size: int) -> None:
        self._set_fault(
            AbiViolation(
                f"wasm_alloc({size}) returned {ptr:#x}, outside guest memory ({memory_size} bytes)",
                plugin=self._plugin,
            )
        )

    def internal_fault(self, is_call: bool, exc: BaseException) -> None:
        self._set_fault(
            InternalError(f"{_import_name(is_call)} failed in the host: {exc!r}", plugin=self._plugin)
        )

    # -- log, clock, randomness ---------------------------------------------

    def log(self, ctx: Context, level: int, ptr: int, length: int) -> None:
        try:
            length &= abi.U32_MAX
            if abi.checked_range(ptr, length, self._memory.size(ctx)) is None:
                self._log.record(
                    LogRecord("warn", f"(log message at {ptr & abi.U32_MAX:#x}+{length} is outside memory)")
                )
                return
            cap = self._limits.max_log_bytes
            data = self._memory.read(ctx, ptr, min(length, cap), what="log message", limit=cap)
            text = data.decode("utf-8", "replace")
            if length > cap:
                text += f"... ({length - cap} bytes cut)"
            name = LEVELS[level] if 0 <= level < len(LEVELS) else "warn"
            self._log.record(LogRecord(name, text))
        except BaseException:  # see the module docstring; a lost log line is acceptable
            return

    @staticmethod
    def clock(ctx: Context, which: int) -> int:
        """Nanoseconds: 0 = wall clock (Unix epoch), 1 = monotonic; anything else 0."""
        if which == 0:
            return time.time_ns()
        if which == 1:
            return time.monotonic_ns()
        return 0

    def random(self, ctx: Context, ptr: int, length: int) -> int:
        """Fills ``[ptr, ptr + length)`` with OS randomness: 0 done, 1 refused (range or size)."""
        try:
            length &= abi.U32_MAX
            if length > MAX_RANDOM_BYTES:
                return 1
            self._memory.write(ctx, ptr, os.urandom(length), what="random buffer")
            return 0
        except BaseException:  # see the module docstring
            return 1

    def call_library(self, ctx: Context, out_ptr: int) -> int:
        """Writes the 16 bytes of the library the current call is made for at ``out_ptr``:
        1 written, 0 the call has no library, 2 refused (outside memory)."""
        try:
            library = self.call_library_id
            if library is None:
                return 0
            self._memory.write(ctx, out_ptr & abi.U32_MAX, library, what="library id buffer")
            return 1
        except BaseException:  # see the module docstring
            return 2


def _import_name(is_call: bool) -> str:
    return "spacedrive_call" if is_call else "spacedrive_http"


def _error_response(err: PluginError) -> tuple[int, bytes, bytes]:
    return abi.STATUS_ERROR, json.dumps(err.to_wire()).encode(), b""

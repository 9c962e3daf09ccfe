"""A live instance of a core-module plugin (ABI v1): its Store, entering the
guest under the time limit, and calls into ``plugin_handle``.

A Store is used by one thread at a time: every entry into the guest holds
``self._lock``. How calls cross the boundary is the host's `CallPath`; what the
guest's imports do is `HostCalls`."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

import wasmtime
from pydantic_core import from_json

from ..errors import (
    AbiViolation,
    LimitExceeded,
    LoadError,
    PluginError,
    TrapError,
    Unavailable,
    error_for_code,
)
from ..manifest import Manifest
from . import abi
from .callpath import CallPath
from .deadline import EpochClock, GuestDeadline
from .hostcalls import HostCalls
from .instance import HostServices
from .limits import HostLimits, LogRecord
from .logs import PluginLog
from .memory import OutOfBounds
from .shape import abi_version_error
from .traps import guest_failure

__all__ = ["CoreInstance"]

T = TypeVar("T")


class CoreInstance:
    """A core module's instance (`PluginInstance`). Construct it to instantiate and
    initialise; `call` it; `close` it."""

    def __init__(
        self,
        engine: wasmtime.Engine,
        module: wasmtime.Module,
        manifest: Manifest,
        services: HostServices,
        *,
        path: CallPath,
        clock: EpochClock,
        limits: HostLimits | None = None,
        logs: deque[LogRecord] | None = None,
        fixed_memory: bool = False,
    ) -> None:
        self.manifest = manifest
        self.poisoned = False
        self._limits = limits = limits or HostLimits()
        self._lock = threading.Lock()
        self._closed = False
        self.log = PluginLog(
            logs if logs is not None else deque(maxlen=limits.log_history),
            limits,
            lambda record: services.plugin_log(manifest, record),
        )
        store = wasmtime.Store(engine)
        self._deadline = GuestDeadline(
            path.deadline_setter(store), clock, manifest.permissions.call_timeout_ms, limits.max_call_wall_s
        )
        self._host = HostCalls(manifest.id, services.endpoint(manifest), limits, self.log, self._deadline)
        # Limits apply per linear memory, so also cap how many there can be.
        store.set_limits(
            memory_size=manifest.permissions.max_memory_mb << 20,
            memories=1,
            instances=1,
            tables=4,
            table_elements=1 << 20,
        )
        self._store = store
        self.call_path = path
        self._binding = path.bind(store, self._host, plugin=manifest.id, max_payload=limits.max_payload_bytes)
        self._ctx = self._binding.ctx
        # Read on every call: bound once.
        self._handle = self._binding.handle
        self._call_errors = self.log.call_errors
        self._max_payload = limits.max_payload_bytes
        linker = wasmtime.Linker(engine)
        self._binding.define_imports(linker)
        instance = self._enter("instantiation", lambda: linker.instantiate(store, module), loading=True)
        exports = self._binding.attach(instance.exports(store), fixed_memory=fixed_memory)
        self._exports = exports
        self._memory = exports.memory
        self._host.attach(exports.memory, exports.alloc, self._binding.live)

        ctx = self._ctx
        version = self._enter("spacedrive_abi_version", lambda: exports.version(ctx), loading=True)
        if (refused := abi_version_error(manifest, version)) is not None:
            raise refused
        rc = self._enter("plugin_init", lambda: exports.init(ctx), loading=True)
        if rc != 0:
            errors = self.log.call_errors
            why = errors[-1] if errors else "it logged no reason"
            raise LoadError(f"plugin_init returned {rc}: {why}", plugin=manifest.id)

    @property
    def logs(self) -> deque[LogRecord]:
        return self.log.history

    @property
    def logs_dropped(self) -> int:
        return self.log.dropped

    # -- entering the guest -------------------------------------------------

    def _enter(self, what: str, run: Callable[..., T], *args: object, loading: bool = False) -> T:
        """Runs ``run(*args)``, guest code, under the time limit; turns every failure into a typed error."""
        host = self._host
        host.fault = None
        self._call_errors.clear()
        # The live request range is clear here: every exchange clears it, and one
        # that failed half-way poisoned the instance.
        self._deadline.arm()
        try:
            result = run(*args)
        except PluginError as exc:
            # Raised by our own code between guest calls (e.g. a bad pointer in a response).
            self.poisoned = True
            raise host.fault or exc from None
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            self.poisoned = True
            raise host.fault or guest_failure(
                what,
                exc,
                plugin=self.manifest.id,
                timeout=self._deadline.limit(),
                panic=self.log.panic(),
                loading=loading,
            ) from None
        except Exception as exc:
            # wasmtime-py can deliver another thread's host-function exception here.
            self.poisoned = True
            raise host.fault or TrapError(
                f"{what} trapped ({type(exc).__name__})", plugin=self.manifest.id
            ) from None
        if host.fault is not None:
            self.poisoned = True
            raise host.fault
        return result

    # -- calls into the plugin ----------------------------------------------

    def call(
        self, method: str, json_in: bytes, tail: bytes = b"", *, library: UUID | None = None
    ) -> tuple[bytes, bytes]:
        """Calls ``plugin_handle``; returns (json, tail) or raises the typed error.

        ``library``: the library the call is made for, which the guest reads with
        ``spacedrive_call_library`` while it handles the call."""
        with self._lock:
            if self._closed:
                raise Unavailable("plugin instance is closed", plugin=self.manifest.id)
            if self.poisoned:
                raise Unavailable("plugin instance faulted and awaits replacement", plugin=self.manifest.id)
            if library is None:
                return self._call_locked(method, json_in, tail)
            self._host.call_library_id = library.bytes
            try:
                return self._call_locked(method, json_in, tail)
            finally:
                self._host.call_library_id = None

    def _call_locked(self, method: str, json_in: bytes, tail: bytes) -> tuple[bytes, bytes]:
        msg_len = abi.MESSAGE_HEADER + len(json_in) + len(tail)
        if msg_len > self._max_payload:
            raise LimitExceeded(
                f"payload is {msg_len} bytes; the limit is {self._max_payload}", plugin=self.manifest.id
            )
        status, json_out, tail_out = self._enter(
            "plugin_handle", self._exchange, method.encode(), json_in, tail
        )
        if status == abi.STATUS_ERROR:
            raise self._guest_error(json_out)
        return json_out, tail_out

    def _exchange(self, method: bytes, json_in: bytes, tail: bytes) -> tuple[int, bytes, bytes]:
        """One entry into the guest's time limit for the whole exchange; any
        PluginError raised in here poisons the instance (see `_enter`)."""
        located = self._handle(method, json_in, tail)
        if isinstance(located, tuple):  # read and freed by the call path
            return located
        ptr, size = abi.unpack_location(located)
        if ptr == 0:
            raise LimitExceeded("plugin_handle could not allocate its response", plugin=self.manifest.id)
        response = self._read_response(ptr, size)
        self._exports.free(self._ctx, ptr, size)
        return response

    def _read_response(self, ptr: int, size: int) -> tuple[int, bytes, bytes]:
        """(status, json, tail) of the block ``plugin_handle`` returned, each part
        copied out of guest memory once, after every length has been checked."""
        view = self._memory.view(self._ctx)
        limit = self._limits.max_payload_bytes
        regular = view.regular_block(ptr, size, limit)
        if regular is not None:
            return regular
        pid = self.manifest.id
        try:
            head = view.read(ptr, abi.BLOCK_HEADER, what="response header", limit=abi.BLOCK_HEADER)
            declared = int.from_bytes(head, "little")
            if abi.BLOCK_HEADER + declared != size:
                raise AbiViolation(
                    f"response block declares {declared} bytes "
                    f"but plugin_handle reported {size - abi.BLOCK_HEADER}",
                    plugin=pid,
                )
            if declared > limit:
                raise LimitExceeded(f"response is {declared} bytes; the limit is {limit}", plugin=pid)
            body = ptr + abi.BLOCK_HEADER
            if abi.checked_range(body, declared, view.size) is None:
                raise OutOfBounds(
                    f"response at [{body:#x}, +{declared}) lies outside guest memory ({view.size} bytes)"
                )
            prefix = view.read(body, min(declared, 1 + abi.MESSAGE_HEADER), what="response", limit=limit)
            try:
                status, json_len = abi.body_layout(prefix, declared)
            except abi.FrameError as exc:
                raise AbiViolation(
                    f"malformed response block from plugin_handle: {exc}", plugin=pid
                ) from None
            start = body + 1 + abi.MESSAGE_HEADER
            json_out = view.read(start, json_len, what="response", limit=limit)
            tail_out = view.read(
                start + json_len, declared - 1 - abi.MESSAGE_HEADER - json_len, what="response", limit=limit
            )
            return status, json_out, tail_out
        except OutOfBounds as exc:
            raise AbiViolation(
                f"plugin_handle returned a block outside memory: {exc.message}", plugin=pid
            ) from None

    def _guest_error(self, raw: bytes) -> PluginError:
        """The typed error a guest answered with; a malformed one (not JSON, nested
        past the parser's depth limit, not ``{code, message}``) is a protocol fault."""
        pid = self.manifest.id
        try:
            obj = from_json(raw)
            code, message = obj["code"], obj["message"]
            if not isinstance(code, str) or not isinstance(message, str):
                raise TypeError
        except (ValueError, KeyError, TypeError, IndexError):
            self.poisoned = True
            return AbiViolation('error response is not {"code": str, "message": str}', plugin=pid)
        return error_for_code(code, message, plugin=pid, origin="plugin")

    # -- direct memory access, for tests and tools ---------------------------

    def _usable(self) -> None:
        if self._closed or self.poisoned:
            raise Unavailable("plugin instance is closed or faulted", plugin=self.manifest.id)

    def guest_alloc(self, size: int) -> int:
        """Calls the guest's ``wasm_alloc``; 0 when it cannot allocate."""
        with self._lock:
            self._usable()
            alloc = self._exports.alloc
            return int(self._enter("wasm_alloc", lambda: alloc(self._ctx, size))) & abi.U32_MAX

    def guest_free(self, ptr: int, size: int) -> None:
        """Calls the guest's ``wasm_free``."""
        with self._lock:
            self._usable()
            free = self._exports.free
            self._enter("wasm_free", lambda: free(self._ctx, ptr, size))

    def read_memory(self, ptr: int, length: int) -> bytes:
        with self._lock:
            self._usable()
            return self._memory.read(self._ctx, ptr, length, what="read", limit=self.memory_size_locked())

    def write_memory(self, ptr: int, data: bytes) -> None:
        with self._lock:
            self._usable()
            self._memory.write(self._ctx, ptr, data, what="write")

    def memory_size(self) -> int:
        with self._lock:
            self._usable()
            return self.memory_size_locked()

    def memory_size_locked(self) -> int:
        return self._memory.size(self._ctx)

    def close(self) -> None:
        """Runs ``plugin_cleanup`` (if exported and the instance is healthy) and releases it. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            cleanup = self._exports.cleanup
            if cleanup is not None and not self.poisoned:
                try:
                    self._enter("plugin_cleanup", lambda: cleanup(self._ctx))
                except PluginError as exc:
                    self.log.record(LogRecord("warn", f"plugin_cleanup failed: {exc.message}"))

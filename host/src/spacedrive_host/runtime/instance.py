"""One live instance of a plugin module: its Store, the ABI v1 host functions,
and calls into the guest.

Rules this module keeps (see docs/reference/abi-v1.md and WASMTIME-PY facts):

* A Store is used by one thread at a time: every entry into the guest holds
  ``self._lock``.
* No exception ever escapes a host function into wasmtime (wasmtime-py parks
  such exceptions in a process-global slot that another thread can pick up).
  A bad *request* gets an error response; a broken *protocol* is recorded in
  ``self._fault`` and reported, with the instance poisoned, when the guest
  returns.
* Every guest (ptr, len) is masked to u32 and bounds-checked (`GuestMemory`).
* The epoch deadline is re-armed before every entry into the guest.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar
from uuid import UUID

import wasmtime
from wasmtime._exportable import AsExtern

from ..errors import (
    AbiViolation,
    InternalError,
    InvalidInput,
    LimitExceeded,
    LoadError,
    PluginError,
    Timeout,
    TrapError,
    Unavailable,
    error_for_code,
)
from ..manifest import Manifest
from . import abi, fastcall, native
from .memory import GuestMemory, OutOfBounds

__all__ = ["HostLimits", "HostServices", "LogRecord", "PluginInstance", "check_module_shape"]

T = TypeVar("T")

_I32 = "i32"
_I64 = "i64"
# (params, results) of each import the host provides and each export it needs.
HOST_IMPORTS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("spacedrive", "spacedrive_call"): ((_I32,) * 5, (_I32,)),
    ("spacedrive", "spacedrive_log"): ((_I32,) * 3, ()),
    ("spacedrive", "spacedrive_clock"): ((_I32,), (_I64,)),
    ("spacedrive", "spacedrive_random"): ((_I32, _I32), (_I32,)),
    ("spacedrive", "spacedrive_http"): ((_I32, _I32), (_I32,)),
}
_HTTP_METHOD = b"action:http.request.v1"
#: Most bytes one spacedrive_random call fills.
MAX_RANDOM_BYTES = 1 << 16
REQUIRED_EXPORTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "wasm_alloc": ((_I32,), (_I32,)),
    "wasm_free": ((_I32, _I32), ()),
    "spacedrive_abi_version": ((), (_I32,)),
    "plugin_init": ((), (_I32,)),
    "plugin_handle": ((_I32,) * 4, (_I64,)),
}
OPTIONAL_EXPORTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "plugin_cleanup": ((), ()),
}
LOG_LEVELS = ("trace", "debug", "info", "warn", "error")
_TRAP_DESCRIPTIONS = {
    wasmtime.TrapCode.STACK_OVERFLOW: "stack overflow",
    wasmtime.TrapCode.MEMORY_OUT_OF_BOUNDS: "out-of-bounds memory access",
    wasmtime.TrapCode.UNREACHABLE: "unreachable executed (an abort, e.g. a failed allocation)",
    wasmtime.TrapCode.INTEGER_DIVISION_BY_ZERO: "integer division by zero",
    wasmtime.TrapCode.INTEGER_OVERFLOW: "integer overflow",
    wasmtime.TrapCode.INDIRECT_CALL_TO_NULL: "indirect call to a null table entry",
    wasmtime.TrapCode.BAD_SIGNATURE: "indirect call with the wrong signature",
    wasmtime.TrapCode.TABLE_OUT_OF_BOUNDS: "out-of-bounds table access",
    wasmtime.TrapCode.BAD_CONVERSION_TO_INTEGER: "invalid float-to-integer conversion",
}


@dataclass(frozen=True)
class HostLimits:
    """Host-wide limits on what crosses the ABI."""

    max_payload_bytes: int = 64 << 20
    max_log_bytes: int = 4096
    log_history: int = 50
    #: Log lines a plugin may emit per second, with bursts up to `log_burst`;
    #: beyond that lines are dropped and counted.
    log_lines_per_second: float = 100.0
    log_burst: int = 1000
    #: First delay before re-creating a plugin whose restart failed; doubles
    #: with each consecutive failure, up to `restart_backoff_max_s`.
    restart_backoff_s: float = 0.5
    restart_backoff_max_s: float = 60.0


@dataclass(frozen=True)
class LogRecord:
    level: str
    message: str


class Endpoint(Protocol):
    """The wire as one plugin calls it (`spacedrive_host.wire.dispatch.PluginEndpoint`)."""

    def call(self, method: bytes, library_id: UUID | None, json: bytes, tail: bytes) -> tuple[bytes, bytes]:
        """(output JSON, output tail), or raises a typed `PluginError`."""
        ...


class HostServices(Protocol):
    """What an instance needs from the host: the wire and a place for logs."""

    def endpoint(self, manifest: Manifest) -> Endpoint: ...

    def plugin_log(self, manifest: Manifest, record: LogRecord) -> None: ...


def _signature(ty: wasmtime.FuncType) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(str(p) for p in ty.params), tuple(str(r) for r in ty.results)


def _fmt_sig(sig: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    return f"({', '.join(sig[0])}) -> ({', '.join(sig[1])})"


def check_module_shape(module: wasmtime.Module, source: str) -> None:
    """Refuses a module whose imports or exports do not match ABI v1, listing every problem."""
    problems: list[str] = []
    for imp in module.imports:
        key = (imp.module, imp.name or "")
        want = HOST_IMPORTS.get(key)
        if want is None:
            provided = ", ".join(f"{m}.{n}" for m, n in HOST_IMPORTS)
            problems.append(f"imports {key[0]}.{key[1]}, which this host does not provide ({provided})")
        elif not isinstance(imp.type, wasmtime.FuncType) or _signature(imp.type) != want:
            problems.append(f"imports {key[0]}.{key[1]} with the wrong type; ABI v1 has {_fmt_sig(want)}")
    exports = {e.name: e.type for e in module.exports}
    memory = exports.get("memory")
    if not isinstance(memory, wasmtime.MemoryType):
        problems.append("does not export its linear memory as `memory`")
    for name, want in {**REQUIRED_EXPORTS, **OPTIONAL_EXPORTS}.items():
        ty = exports.get(name)
        if ty is None:
            if name in REQUIRED_EXPORTS:
                problems.append(f"does not export `{name}` {_fmt_sig(want)}")
        elif not isinstance(ty, wasmtime.FuncType) or _signature(ty) != want:
            problems.append(f"exports `{name}` with the wrong type; ABI v1 has {_fmt_sig(want)}")
    if problems:
        raise LoadError(f"{source} is not an ABI v1 plugin: " + "; ".join(problems))


class PluginInstance:
    """A plugin's instance. Construct it to instantiate and initialise; `call` it; `close` it.

    Any fault (trap, time limit, protocol violation) sets `poisoned`; the owner
    discards a poisoned instance and creates a new one before the next call.
    """

    def __init__(
        self,
        engine: wasmtime.Engine,
        module: wasmtime.Module,
        manifest: Manifest,
        services: HostServices,
        *,
        deadline_ticks: Callable[[int], int],
        limits: HostLimits | None = None,
        logs: deque[LogRecord] | None = None,
        fast: bool | None = None,
        fixed_memory: bool = False,
    ) -> None:
        self.manifest = manifest
        self.poisoned = False
        # Passed in by the owner so the history outlives a faulted instance.
        self.logs: deque[LogRecord] = (
            logs if logs is not None else deque(maxlen=(limits or HostLimits()).log_history)
        )
        self._services = services
        self._endpoint = services.endpoint(manifest)
        self._limits = limits or HostLimits()
        self._deadline_ticks = deadline_ticks
        self._lock = threading.Lock()
        self._closed = False
        self._fault: PluginError | None = None
        self._in_alloc = False
        # Error-level lines of the current call (bounded: a flood must not grow it).
        self._call_errors: deque[str] = deque(maxlen=16)
        # Guest memory the host owns during a call (the request buffer); a
        # block wasm_alloc hands out must not overlap it. Set with `_set_live`.
        self._live: range | None = None
        self.logs_dropped = 0
        self._log_tokens = float(self._limits.log_burst)
        self._log_stamp = time.monotonic()
        self._log_dropped_unreported = 0

        perms = manifest.permissions
        store = wasmtime.Store(engine)
        # Limits apply per linear memory, so also cap how many there can be.
        store.set_limits(
            memory_size=perms.max_memory_mb << 20,
            memories=1,
            instances=1,
            tables=4,
            table_elements=1 << 20,
        )
        self._store = store
        fast = fastcall.enabled() if fast is None else fast
        self.fast = fast
        # What every call into this store takes (see `fastcall.Context`).
        self._ctx = fastcall.store_context(store, fast=fast)
        linker = wasmtime.Linker(engine)
        self._link(linker, fast)
        instance = self._enter("instantiation", lambda: linker.instantiate(store, module), loading=True)
        exports = instance.exports(store)
        self._memory = self._attach_memory(exports, fast, fixed_memory)

        def export(name: str) -> fastcall.GuestCall:
            sig = REQUIRED_EXPORTS.get(name) or OPTIONAL_EXPORTS[name]
            return fastcall.export(self._func(exports, name), *sig, fast=fast)

        self._alloc = export("wasm_alloc")
        self._free = export("wasm_free")
        self._handle = export("plugin_handle")
        self._cleanup = export("plugin_cleanup") if "plugin_cleanup" in exports else None
        version_fn = export("spacedrive_abi_version")
        version = self._enter("spacedrive_abi_version", lambda: version_fn(self._ctx), loading=True)
        if version != abi.ABI_VERSION:
            raise LoadError(
                f"plugin was built for ABI version {version}; this host speaks version {abi.ABI_VERSION}",
                plugin=manifest.id,
            )
        if manifest.abi_version != version:
            raise LoadError(
                f"manifest says abi_version {manifest.abi_version} but the module exports {version}",
                plugin=manifest.id,
            )
        init_fn = export("plugin_init")
        rc = self._enter("plugin_init", lambda: init_fn(self._ctx), loading=True)
        if rc != 0:
            why = self._call_errors[-1] if self._call_errors else "it logged no reason"
            raise LoadError(f"plugin_init returned {rc}: {why}", plugin=manifest.id)

    def _link(self, linker: wasmtime.Linker, fast: bool) -> None:
        """Defines the ABI v1 imports: over the C API when ``fast``, the two
        request imports over the C trampoline when it is installed."""
        handlers: dict[str, fastcall.HostHandler] = {
            "spacedrive_call": self._host_call,
            "spacedrive_log": self._host_log,
            "spacedrive_clock": self._host_clock,
            "spacedrive_random": self._host_random,
            "spacedrive_http": self._host_http,
        }
        self._keepalive: list[object] = []
        self._native: native.NativeHostCalls | None = None
        if fast and native.enabled():
            self._native = native.NativeHostCalls(self, self._ctx, self._limits.max_payload_bytes)
        for (module, name), (params, results) in HOST_IMPORTS.items():
            if self._native is not None and name in ("spacedrive_call", "spacedrive_http"):
                self._keepalive.append(self._native.define(linker, name, params))
            elif fast:
                self._keepalive.append(
                    fastcall.define_host_func(
                        linker, module, name, params, results, handlers[name], context=self._ctx
                    )
                )
            else:
                ty = fastcall.func_type(params, results)
                linker.define_func(module, name, ty, handlers[name], access_caller=True)

    def _attach_memory(self, exports: Mapping[str, AsExtern], fast: bool, fixed: bool) -> GuestMemory:
        memory = exports["memory"]
        assert isinstance(memory, wasmtime.Memory)
        if self._native is not None:
            self._native.attach(
                memory, *(self._func(exports, n) for n in ("wasm_alloc", "plugin_handle", "wasm_free"))
            )
        # Signatures were checked by check_module_shape, so the C API fast path is sound.
        return GuestMemory(memory, fast=fast, fixed=fixed)

    @staticmethod
    def _func(exports: Mapping[str, AsExtern], name: str) -> wasmtime.Func:
        fn = exports[name]
        assert isinstance(fn, wasmtime.Func)
        return fn

    # -- entering the guest -------------------------------------------------

    def _enter(self, what: str, run: Callable[[], T], *, loading: bool = False) -> T:
        """Runs guest code under the time limit; turns every failure into a typed error."""
        self._fault = None
        self._call_errors.clear()
        self._set_live(None)
        timeout_ms = self.manifest.permissions.call_timeout_ms
        self._store.set_epoch_deadline(self._deadline_ticks(timeout_ms))
        try:
            result = run()
        except PluginError as exc:
            # Raised by our own code between guest calls (e.g. a bad pointer in a response).
            self.poisoned = True
            raise self._fault or exc from None
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            self.poisoned = True
            raise self._fault or self._failure_error(what, exc, loading) from None
        except Exception as exc:
            # wasmtime-py can deliver another thread's host-function exception here.
            self.poisoned = True
            raise self._fault or TrapError(
                f"{what} trapped ({type(exc).__name__})", plugin=self.manifest.id
            ) from None
        if self._fault is not None:
            self.poisoned = True
            raise self._fault
        return result

    def _failure_error(
        self, what: str, exc: wasmtime.Trap | wasmtime.WasmtimeError, loading: bool = False
    ) -> PluginError:
        """The typed error for guest code that trapped or failed."""
        if isinstance(exc, wasmtime.Trap):
            return self._trap_error(what, exc, loading)
        cls: type[PluginError] = LoadError if loading else TrapError
        if "exceeds memory limits" in str(exc):
            cls = LimitExceeded
        return cls(f"{what} failed: {_first_line(exc)}", plugin=self.manifest.id)

    def _trap_error(self, what: str, trap: wasmtime.Trap, loading: bool) -> PluginError:
        pid = self.manifest.id
        code = trap.trap_code
        timeout_ms = self.manifest.permissions.call_timeout_ms
        if code == wasmtime.TrapCode.INTERRUPT:
            return Timeout(f"{what} ran past its {timeout_ms} ms time limit", plugin=pid)
        panic = next((m for m in reversed(self._call_errors) if "panicked" in m), None)
        detail = panic or (_TRAP_DESCRIPTIONS.get(code) if code is not None else None)
        cls = LoadError if loading else TrapError
        return cls(f"{what} trapped: {detail or _first_line(trap.message)}", plugin=pid)

    # -- host functions (never raise) ---------------------------------------

    def _host_call(
        self,
        ctx: fastcall.Context,
        method_ptr: int,
        method_len: int,
        library_ptr: int,
        payload_ptr: int,
        payload_len: int,
    ) -> int:
        """``spacedrive_call``: any operation of the wire."""
        return self._answer(ctx, method_ptr, method_len, library_ptr, payload_ptr, payload_len)

    def _host_http(self, ctx: fastcall.Context, request_ptr: int, request_len: int) -> int:
        """``spacedrive_http``: the proxy, i.e. ``action:http.request.v1`` under the plugin's grants."""
        return self._answer(ctx, None, 0, 0, request_ptr, request_len)

    def _answer(
        self,
        ctx: fastcall.Context,
        method_ptr: int | None,
        method_len: int,
        library_ptr: int,
        payload_ptr: int,
        payload_len: int,
    ) -> int:
        """Serves one request from the guest and places the response block in its
        memory; a bad request gets an error response. ``method_ptr`` None: the
        HTTP proxy. Never raises (see the module docstring)."""
        try:
            if self._refuses(method_ptr is not None):
                return 0
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
            return self._place_block(ctx, *response)
        except BaseException as exc:
            self._internal_fault(method_ptr is not None, exc)
            return 0

    def _refuses(self, is_call: bool) -> bool:
        """A request arriving now gets no answer: the instance has faulted, or
        it came from inside ``wasm_alloc`` (a fault of its own)."""
        if self._in_alloc:
            self._reentrant_fault(is_call)
        return self._fault is not None

    def _reentrant_fault(self, is_call: bool) -> None:
        if self._fault is None:
            self._fault = AbiViolation(
                f"wasm_alloc called back into the host (re-entrant {_import_name(is_call)})",
                plugin=self.manifest.id,
            )

    def _internal_fault(self, is_call: bool, exc: BaseException) -> None:
        if self._fault is None:
            self._fault = InternalError(
                f"{_import_name(is_call)} failed in the host: {exc!r}", plugin=self.manifest.id
            )

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

    def _place_block(self, ctx: fastcall.Context, status: int, json_out: bytes, tail_out: bytes) -> int:
        """Writes a response block into memory the guest allocates; 0 if it cannot."""
        size = abi.block_size(len(json_out), len(tail_out))
        self._in_alloc = True
        try:
            ptr: int = self._alloc(ctx, size) & abi.U32_MAX
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            self._fault = self._fault or self._failure_error("wasm_alloc", exc)
            return 0
        finally:
            self._in_alloc = False
        if ptr == 0:
            return 0
        live = self._live if self._native is None else self._native.live()
        if live is not None and ptr < live.stop and live.start < ptr + size:
            self._fault = self._overlap_fault(ptr, size, live)
            return 0
        prefix = abi.block_prefix(status, len(json_out), len(tail_out))
        view = self._memory.view(ctx)  # wasm_alloc may have grown, and so moved, memory
        try:
            view.write_parts(ptr, (prefix, json_out, tail_out), what="response block")
        except OutOfBounds:
            self._fault = self._outside_fault(ptr, size, view.size)
            return 0
        return ptr

    def _overlap_fault(self, ptr: int, size: int, live: range) -> AbiViolation:
        return AbiViolation(
            f"wasm_alloc({size}) returned [{ptr:#x}, +{size}), overlapping the live "
            f"request buffer [{live.start:#x}, +{len(live)})",
            plugin=self.manifest.id,
        )

    def _outside_fault(self, ptr: int, size: int, memory_size: int) -> AbiViolation:
        return AbiViolation(
            f"wasm_alloc({size}) returned {ptr:#x}, outside guest memory ({memory_size} bytes)",
            plugin=self.manifest.id,
        )

    def _set_live(self, live: range | None) -> None:
        """Kept by the trampoline when there is one (its exchange sets it in C)."""
        if self._native is not None:
            self._native.set_live(live)
        else:
            self._live = live

    # -- the C trampoline's callbacks (`native.HostCalls`; never raise) -------

    def serve_request(
        self, method: bytes | None, library: bytes | None, json_in: bytes, tail_in: bytes
    ) -> tuple[int, bytes, bytes] | None:
        """A request the trampoline read: the response, or None to answer 0."""
        is_call = method is not None
        try:
            if self._refuses(is_call):
                return None
            library_id = UUID(bytes=library) if library is not None else None
            return self._respond(method if method is not None else _HTTP_METHOD, library_id, json_in, tail_in)
        except BaseException as exc:
            self._internal_fault(is_call, exc)
            return None

    def slow_request(self, is_call: bool, *args: int) -> int:
        """A request the trampoline left to Python (irregular: Python checks and words the error)."""
        if is_call:
            return self._host_call(self._ctx, *args)
        return self._host_http(self._ctx, args[3], args[4])

    def native_fault(self, kind: int, a: int, b: int, c: int) -> None:
        """A fault the trampoline found (see `native.Faults`)."""
        try:
            if kind == native.Faults.REENTRANT:
                self._reentrant_fault(bool(a))
            elif kind == native.Faults.ALLOC_FAILED:
                failed = fastcall.failure(a or None, b or None)
                self._fault = self._fault or self._failure_error("wasm_alloc", failed)
            elif kind == native.Faults.OVERLAP:
                live = range(c & abi.U32_MAX, c >> 32)
                self._fault = self._fault or self._overlap_fault(a, b, live)
            elif kind == native.Faults.OUTSIDE:
                self._fault = self._fault or self._outside_fault(a, b, c)
            else:
                self._internal_fault(bool(a), RuntimeError("the C trampoline could not answer"))
        except BaseException as exc:
            self._internal_fault(True, exc)

    def _host_log(self, ctx: fastcall.Context, level: int, ptr: int, length: int) -> None:
        try:
            length &= abi.U32_MAX
            if abi.checked_range(ptr, length, self._memory.size(ctx)) is None:
                self._record(
                    LogRecord(
                        "warn",
                        f"(log message at {ptr & abi.U32_MAX:#x}+{length} is outside memory)",
                    )
                )
                return
            cap = self._limits.max_log_bytes
            data = self._memory.read(ctx, ptr, min(length, cap), what="log message", limit=cap)
            text = data.decode("utf-8", "replace")
            if length > cap:
                text += f"... ({length - cap} bytes cut)"
            name = LOG_LEVELS[level] if 0 <= level < len(LOG_LEVELS) else "warn"
            self._record(LogRecord(name, text))
        except BaseException:  # see the module docstring; a lost log line is acceptable
            return

    def _log_allowed(self) -> bool:
        """Token bucket on log lines, so a flooding plugin cannot flood the host's log."""
        now = time.monotonic()
        limits = self._limits
        self._log_tokens = min(
            float(limits.log_burst), self._log_tokens + (now - self._log_stamp) * limits.log_lines_per_second
        )
        self._log_stamp = now
        if self._log_tokens < 1.0:
            self.logs_dropped += 1
            self._log_dropped_unreported += 1
            return False
        self._log_tokens -= 1.0
        if self._log_dropped_unreported:
            dropped, self._log_dropped_unreported = self._log_dropped_unreported, 0
            self._emit(LogRecord("warn", f"({dropped} log lines dropped: over the log rate limit)"))
        return True

    @staticmethod
    def _host_clock(ctx: fastcall.Context, which: int) -> int:
        """Nanoseconds: 0 = wall clock (Unix epoch), 1 = monotonic; anything else 0."""
        if which == 0:
            return time.time_ns()
        if which == 1:
            return time.monotonic_ns()
        return 0

    def _host_random(self, ctx: fastcall.Context, ptr: int, length: int) -> int:
        """Fills ``[ptr, ptr + length)`` with OS randomness: 0 done, 1 refused (range or size)."""
        try:
            length &= abi.U32_MAX
            if length > MAX_RANDOM_BYTES:
                return 1
            self._memory.write(ctx, ptr, os.urandom(length), what="random buffer")
            return 0
        except BaseException:  # see the module docstring
            return 1

    def _record(self, record: LogRecord) -> None:
        if record.level == "error":
            # Kept even when rate-limited: it may explain a failing init or a panic.
            self._call_errors.append(record.message)
        if self._log_allowed():
            self._emit(record)

    def _emit(self, record: LogRecord) -> None:
        self.logs.append(record)
        self._services.plugin_log(self.manifest, record)

    # -- calls into the plugin ----------------------------------------------

    def call(self, method: str, json_in: bytes, tail: bytes = b"") -> tuple[bytes, bytes]:
        """Calls ``plugin_handle``; returns (json, tail) or raises the typed error."""
        with self._lock:
            if self._closed:
                raise Unavailable("plugin instance is closed", plugin=self.manifest.id)
            if self.poisoned:
                raise Unavailable("plugin instance faulted and awaits replacement", plugin=self.manifest.id)
            return self._call_locked(method, json_in, tail)

    def _call_locked(self, method: str, json_in: bytes, tail: bytes) -> tuple[bytes, bytes]:
        ctx, pid = self._ctx, self.manifest.id
        method_b = method.encode()
        msg_len = abi.MESSAGE_HEADER + len(json_in) + len(tail)
        if msg_len > self._limits.max_payload_bytes:
            raise LimitExceeded(
                f"payload is {msg_len} bytes; the limit is {self._limits.max_payload_bytes}",
                plugin=pid,
            )
        exchange = self._exchange if self._native is None else self._native_exchange

        def run() -> tuple[int, bytes, bytes]:
            # One entry into the guest's time limit for the whole exchange; any
            # PluginError raised in here poisons the instance (see _enter).
            ptr, size = abi.unpack_location(exchange(method_b, json_in, tail))
            if ptr == 0:
                raise LimitExceeded("plugin_handle could not allocate its response", plugin=pid)
            response = self._read_response(ptr, size)
            self._free(ctx, ptr, size)
            return response

        status, json_out, tail_out = self._enter("plugin_handle", run)
        if status == abi.STATUS_ERROR:
            raise self._guest_error(json_out)
        return json_out, tail_out

    def _exchange(self, method: bytes, json_in: bytes, tail: bytes) -> int:
        """The request written into a buffer the guest allocates, ``plugin_handle``
        called, the buffer freed: the packed location of the response."""
        ctx = self._ctx
        total = len(method) + abi.MESSAGE_HEADER + len(json_in) + len(tail)
        req = int(self._alloc(ctx, total)) & abi.U32_MAX
        if req == 0:
            raise self._no_request(total)
        self._set_live(range(req, req + total))
        view = self._memory.view(ctx)  # after wasm_alloc, which may have grown memory
        try:
            view.write_parts(req, (method, len(json_in).to_bytes(4, "little"), json_in, tail), what="request")
        except OutOfBounds:
            raise self._request_outside(total, req) from None
        packed = int(self._handle(ctx, req, len(method), req + len(method), total - len(method)))
        self._set_live(None)
        self._free(ctx, req, total)
        return packed

    def _native_exchange(self, method: bytes, json_in: bytes, tail: bytes) -> int:
        """`_exchange` in C, in one stretch without the GIL."""
        assert self._native is not None
        code, request, location, failed = self._native.exchange(method, json_in, tail)
        if code == native.Exchange.DONE:
            return location
        total = len(method) + abi.MESSAGE_HEADER + len(json_in) + len(tail)
        if code == native.Exchange.NO_REQUEST:
            raise self._no_request(total)
        if code == native.Exchange.REQUEST_OUTSIDE:
            raise self._request_outside(total, request)
        raise failed or InternalError("the call trampoline gave no result", plugin=self.manifest.id)

    def _no_request(self, total: int) -> LimitExceeded:
        return LimitExceeded(
            f"plugin could not allocate {total} bytes for the request", plugin=self.manifest.id
        )

    def _request_outside(self, total: int, req: int) -> AbiViolation:
        return AbiViolation(
            f"wasm_alloc({total}) returned {req:#x}, outside guest memory", plugin=self.manifest.id
        )

    def _read_response(self, ptr: int, size: int) -> tuple[int, bytes, bytes]:
        """(status, json, tail) of the block ``plugin_handle`` returned, each part
        copied out of guest memory once, after every length has been checked."""
        pid = self.manifest.id
        view = self._memory.view(self._ctx)
        limit = self._limits.max_payload_bytes
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
        pid = self.manifest.id
        try:
            obj = json.loads(raw)
            code, message = obj["code"], obj["message"]
            if not isinstance(code, str) or not isinstance(message, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
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
            return int(self._enter("wasm_alloc", lambda: self._alloc(self._ctx, size))) & abi.U32_MAX

    def guest_free(self, ptr: int, size: int) -> None:
        """Calls the guest's ``wasm_free``."""
        with self._lock:
            self._usable()
            self._enter("wasm_free", lambda: self._free(self._ctx, ptr, size))

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
            cleanup = self._cleanup
            if cleanup is not None and not self.poisoned:
                try:
                    self._enter("plugin_cleanup", lambda: cleanup(self._ctx))
                except PluginError as exc:
                    self._record(LogRecord("warn", f"plugin_cleanup failed: {exc.message}"))


def _import_name(is_call: bool) -> str:
    return "spacedrive_call" if is_call else "spacedrive_http"


def _error_response(err: PluginError) -> tuple[int, bytes, bytes]:
    return abi.STATUS_ERROR, json.dumps(err.to_wire()).encode(), b""


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

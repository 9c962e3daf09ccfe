"""A live instance of a component plugin (the ``spacedrive:plugin@1.0.0`` world,
Python guests built with componentize-py): its Store, WASI with nothing granted,
the world's imports, and calls into its ``handle`` export.

The same contract as `core.CoreInstance`: the same wire (`HostCalls.respond`),
permissions, memory and per-call time limits, logs and typed errors. What
differs is what wasmtime-py demands of components (docs/contributing/wasmtime.md):

* After any trap the Store refuses every further call: any fault poisons the
  instance and the manager builds a new one.
* WASI is always configured with an empty `WasiConfig` (no filesystem,
  environment, network or stdin): linking it without one aborts the process.
  stdout and stderr go to two private files read into the plugin log after
  every entry, never through the custom callbacks (they crash at exit).
* Host functions never raise into wasmtime: a Python exception there (even
  ``KeyboardInterrupt``) becomes an unrelated error, so each one catches
  everything and records a fault instead.

``handle`` and the ``call``/``http`` imports run over `component_native` (C) when
it is enabled, else over wasmtime-py's public API; both give the same answers and
errors (the Python half of test_parity runs on each).
"""

from __future__ import annotations

import os
import tempfile
import threading
import weakref
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import wasmtime
from wasmtime import component as wc

from ..errors import (
    AbiViolation,
    InternalError,
    InvalidInput,
    LimitExceeded,
    LoadError,
    PluginError,
    TrapError,
    Unavailable,
    error_for_code,
)
from ..manifest import Manifest
from . import abi, component_bytes, component_native
from .component_capture import Capture
from .component_world import (
    ANSWER_FAULTS,
    COMPONENT_LIMITS,
    WORLD,
    WORLD_EXPORTS,
    Answer,
    ComponentLimits,
    check_world,
    clock_import,
    entry_failure,
    failure_answer,
    failure_text,
    from_octets,
    parse_wire_error,
    public_answer,
    random_import,
    to_octets,
    wire_error,
    wit_answer,
    wit_err,
    wit_failure,
)
from .deadline import EpochClock, GuestDeadline
from .hostcalls import HTTP_METHOD, HostCalls
from .instance import HostServices
from .limits import HostLimits, LogRecord
from .logs import LEVELS, PluginLog

__all__ = ["COMPONENT_LIMITS", "WORLD", "ComponentInstance", "ComponentLimits", "check_world"]

T = TypeVar("T")

# Byte lists (random) cross without a Python step per byte (unless the public API alone is
# asked for); tails cross as ASCII strings (as they are, or hex), one buffer each way,
# written and read in C on the component_native path.
if os.environ.get("SPACEDRIVE_FASTCALL") != "0":
    component_bytes.install()


class ComponentInstance:
    """A component's instance (`PluginInstance`). Construct it to instantiate and
    initialise; `call` it; `close` it."""

    def __init__(
        self,
        engine: wasmtime.Engine,
        component: wc.Component,
        manifest: Manifest,
        services: HostServices,
        *,
        clock: EpochClock,
        limits: HostLimits | None = None,
        logs: deque[LogRecord] | None = None,
        store_limits: ComponentLimits = COMPONENT_LIMITS,
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
        self._tmp = tempfile.TemporaryDirectory(prefix=f"spacedrive-{manifest.id}-")
        self._captures = (
            Capture(Path(self._tmp.name), "stdout", "info"),
            Capture(Path(self._tmp.name), "stderr", "warn"),
        )
        store = wasmtime.Store(engine)
        wasi = wasmtime.WasiConfig()  # nothing inherited, nothing preopened
        wasi.stdout_file = self._captures[0].path
        wasi.stderr_file = self._captures[1].path
        store.set_wasi(wasi)
        store.set_limits(
            memory_size=manifest.permissions.max_memory_mb << 20,
            memories=store_limits.memories,
            instances=store_limits.instances,
            tables=store_limits.tables,
            table_elements=store_limits.table_elements,
        )
        self._store = store
        self._deadline = GuestDeadline(
            store.set_epoch_deadline, clock, manifest.permissions.call_timeout_ms, limits.max_call_wall_s
        )
        self._host = HostCalls(manifest.id, services.endpoint(manifest), limits, self.log, self._deadline)
        #: The protocol fault of the current entry, recorded by a host function.
        self._fault: PluginError | None = None
        self._in_host = False
        me = weakref.ref(self)  # the C path must not keep a discarded instance alive
        self._native = component_native.NativeComponent(me) if component_native.enabled() else None
        linker = wc.Linker(engine)
        linker.add_wasip2()
        self._define_imports(linker)
        try:
            instance = self._enter(
                "instantiation", lambda: linker.instantiate(store, component), loading=True
            )
            funcs = {name: instance.get_func(store, name) for name in WORLD_EXPORTS}
        finally:
            linker.close()
        missing = [name for name, fn in funcs.items() if fn is None]
        if missing:
            self._release()
            raise LoadError(
                f"the component is not of the {WORLD} world: it does not export {', '.join(missing)}",
                plugin=manifest.id,
            )
        init, handle = funcs["init"], funcs["handle"]
        assert init is not None
        assert handle is not None
        self._handle, self._cleanup = handle, funcs["cleanup"]
        if self._native is not None:
            self._native.bind(handle, store)
        failure = self._enter("init", lambda: init(store), loading=True)
        if failure is not None:
            self._release()
            raise LoadError(f"init failed: {failure_text(failure)}", plugin=manifest.id)

    @property
    def logs(self) -> deque[LogRecord]:
        return self.log.history

    @property
    def logs_dropped(self) -> int:
        return self.log.dropped

    # -- the world's imports ------------------------------------------------

    def _define_imports(self, linker: wc.Linker) -> None:
        root = linker.root()
        failed = "the host failed serving this call"
        try:
            if self._native is not None:
                self._native.define(root)
            else:
                root.add_func("call", self._guarded("call", self._call_import, wit_err("internal", failed)))
                root.add_func("http", self._guarded("http", self._http_import, wit_err("internal", failed)))
            root.add_func("log", self._guarded("log", self._log_import, None))
            root.add_func("clock", self._guarded("clock", clock_import, 0))
            root.add_func("random", self._guarded("random", random_import, wit_failure("internal", failed)))
        finally:
            root.close()

    def _guarded(self, name: str, fn: Callable[..., Any], fallback: Any) -> Callable[..., Any]:
        """Nothing raises into wasmtime: a failure becomes this entry's fault, and
        the guest gets ``fallback`` (an error answer, or a zero).

        wasmtime-py keeps a host function in a module-global table until its last
        Store is gone: holding this instance strongly, the function would keep the
        instance, its Store and its WASI files alive after it is discarded (a
        faulted instance is replaced). So it holds the instance weakly."""
        me = weakref.ref(self)
        method = weakref.WeakMethod(fn) if hasattr(fn, "__self__") else None
        static = fn if method is None else None  # the closure must not hold a bound method

        def run(_store: Any, *args: Any) -> Any:
            instance = me()
            call = static if method is None else method()
            if instance is None or call is None:
                return fallback  # the instance is gone; its Store is going
            try:
                return call(*args)
            except BaseException as exc:
                if instance._fault is None:
                    instance._fault = InternalError(
                        f"{name} failed in the host: {exc!r}", plugin=instance.manifest.id
                    )
                return fallback

        return run

    def _call_import(self, method: str, library: str | None, json_in: str, tail: str) -> wc.Variant:
        return wit_answer(self._request(method.encode(), library, json_in.encode(), from_octets(tail)))

    def _http_import(self, json_in: str, tail: str) -> wc.Variant:
        return wit_answer(self._request(None, None, json_in.encode(), from_octets(tail)))

    def serve_import(
        self, method: bytes | None, library: bytes | None, json: bytes, tail: bytes | None
    ) -> tuple[bool, bytes, bytes]:
        """The ``call`` (``method`` given) or ``http`` import on the C path
        (`component_native.ImportServer`): as `_guarded` makes the public path's."""
        try:
            lib = library.decode() if library is not None else None
            ok, first, second = self._request(method, lib, json, tail)
            if ok:
                first.decode()  # wasmtime takes only UTF-8: a wire answer that is not is a fault
            return ok, first, second
        except BaseException as exc:
            if self._fault is None:
                name = "call" if method is not None else "http"
                self._fault = InternalError(f"{name} failed in the host: {exc!r}", plugin=self.manifest.id)
            return False, b"internal", b"the host failed serving this call"

    def _request(
        self, method: bytes | None, library: str | None, body: bytes, tail: bytes | None
    ) -> tuple[bool, bytes, bytes]:
        """A ``call`` (``method`` given) or ``http`` request: (True, json, tail) or
        (False, code, message). ``tail`` None: it was not octets."""
        if self._in_host:
            raise RuntimeError("re-entrant host call")
        library_id = None
        if method is not None:
            try:
                library_id = UUID(library) if library is not None else None
            except ValueError:
                return failure_answer("invalid_input", f"library {library!r} is not a UUID")
            if len(method) > abi.MAX_METHOD_LEN:
                return failure_answer(
                    "invalid_input", f"method name is {len(method)} bytes; the limit is {abi.MAX_METHOD_LEN}"
                )
        if tail is None:
            return failure_answer(
                "invalid_input", "the tail is not octets (ASCII, or a space and hex digits)"
            )
        started = self._deadline.host_started()
        self._in_host = True
        try:
            size, limit = abi.block_size(len(body), len(tail)), self._limits.max_payload_bytes
            if size > limit:
                status, json_out, tail_out = (
                    abi.STATUS_ERROR,
                    *wire_error(LimitExceeded(f"request is {size} bytes; the limit is {limit}")),
                )
            else:
                status, json_out, tail_out = self._host.respond(
                    method if method is not None else HTTP_METHOD, library_id, body, tail
                )
        finally:
            self._in_host = False
            self._deadline.host_done(started)
        if status == abi.STATUS_ERROR:
            code, message = parse_wire_error(json_out)
            return False, code.encode(), message.encode()
        return True, json_out, tail_out

    def _log_import(self, level: int, message: str) -> None:
        cap = self._limits.max_log_bytes
        if len(message) > cap:
            message = f"{message[:cap]}... ({len(message) - cap} characters cut)"
        self.log.record(LogRecord(LEVELS[level] if 0 <= level < len(LEVELS) else "warn", message))

    # -- entering the guest -------------------------------------------------

    def _enter(self, what: str, run: Callable[[], T], *, loading: bool = False) -> T:
        """Runs guest code under the time limit; turns every failure into a typed error."""
        self._fault = None
        self.log.call_errors.clear()
        self._deadline.arm()  # before instantiation too, or it traps at once
        try:
            result = run()
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            self.poisoned = True
            raise self._fault or entry_failure(
                what, exc, plugin=self.manifest.id, timeout=self._deadline.limit(), loading=loading
            ) from None
        except Exception as exc:
            self.poisoned = True
            cls = LoadError if loading else TrapError
            raise self._fault or cls(
                f"{what} failed ({type(exc).__name__}: {exc})", plugin=self.manifest.id
            ) from None
        finally:
            for capture in self._captures:
                capture.drain(self.log)
        if self._fault is not None:
            self.poisoned = True
            raise self._fault
        return result

    # -- calls into the plugin ----------------------------------------------

    def call(
        self, method: str, json_in: bytes, tail: bytes = b"", *, library: UUID | None = None
    ) -> tuple[bytes, bytes]:
        """Calls the ``handle`` export; returns (json, tail) or raises the typed error.
        ``library``: the library the call is made for, the guest's ``Call.library``."""
        with self._lock:
            if self._closed:
                raise Unavailable("plugin instance is closed", plugin=self.manifest.id)
            if self.poisoned:
                raise Unavailable("plugin instance faulted and awaits replacement", plugin=self.manifest.id)
            pid = self.manifest.id
            size = abi.MESSAGE_HEADER + len(json_in) + len(tail)
            if size > self._limits.max_payload_bytes:
                raise LimitExceeded(
                    f"payload is {size} bytes; the limit is {self._limits.max_payload_bytes}", plugin=pid
                )
            try:
                text = json_in.decode()
            except UnicodeDecodeError as exc:
                raise InvalidInput(
                    f"the input is not UTF-8 JSON: {exc.reason} at byte {exc.start}", plugin=pid
                ) from None
            lib = str(library) if library is not None else None
            code, first, second = self._answer(method, lib, json_in, text, tail)
            if code == Answer.ERR:
                raise error_for_code(first.decode(), second.decode(), plugin=pid, origin="plugin")
            if code == Answer.NO_MEMORY:
                raise InternalError("the host could not allocate the tail's buffer", plugin=pid)
            if code != Answer.OK:
                self.poisoned = True
                raise AbiViolation(ANSWER_FAULTS[code], plugin=pid)
            if abi.block_size(len(first), len(second)) > self._limits.max_payload_bytes:
                raise LimitExceeded(
                    f"response is {len(first) + len(second)} bytes; "
                    f"the limit is {self._limits.max_payload_bytes}",
                    plugin=pid,
                )
            return first, second

    def _answer(
        self, method: str, lib: str | None, json_in: bytes, text: str, tail: bytes
    ) -> tuple[int, bytes, bytes]:
        """Calls ``handle`` over component.c, or wasmtime-py's public API when it is off:
        (`Answer` code, first, second). ``json_in`` is checked UTF-8 (``text``)."""
        native = self._native
        if native is not None:
            library = lib.encode() if lib is not None else None
            return self._enter("handle", lambda: native.handle(method.encode(), library, json_in, tail))
        handle, store, octets = self._handle, self._store, to_octets(tail)
        return public_answer(self._enter("handle", lambda: handle(store, method, lib, text, octets)))

    def close(self) -> None:
        """Runs ``cleanup`` (when the instance is healthy) and releases it. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            cleanup, store = self._cleanup, self._store
            if cleanup is not None and not self.poisoned:
                try:
                    self._enter("cleanup", lambda: cleanup(store))
                except PluginError as exc:
                    self.log.record(LogRecord("warn", f"cleanup failed: {exc.message}"))
            self._release()

    def _release(self) -> None:
        # The Store (guest memory, instances, the WASI files) goes now, not whenever
        # the last reference to this object does: a faulted instance is replaced at once.
        self._store.close()
        if self._native is not None:
            self._native.close()
        self._tmp.cleanup()

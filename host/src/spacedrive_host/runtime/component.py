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
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
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
    Timeout,
    TrapError,
    Unavailable,
    error_for_code,
)
from ..manifest import Manifest
from . import abi, component_bytes
from .deadline import EpochClock, GuestDeadline
from .hostcalls import HTTP_METHOD, MAX_RANDOM_BYTES, HostCalls
from .instance import HostServices
from .limits import HostLimits, LogRecord
from .logs import LEVELS, PluginLog
from .traps import guest_failure

__all__ = ["COMPONENT_LIMITS", "WORLD", "ComponentInstance", "ComponentLimits", "check_world"]

T = TypeVar("T")

#: The world every component plugin must be of.
WORLD = "spacedrive:plugin@1.0.0"
_EXPORTS = ("init", "handle", "cleanup")
_IMPORTS = frozenset({"call", "http", "log", "clock", "random"})
#: WASI interfaces the host links (with nothing granted); wasi:http is not among them.
_WASI = ("wasi:cli/", "wasi:clocks/", "wasi:filesystem/", "wasi:io/", "wasi:random/", "wasi:sockets/")
#: Most bytes of captured stdout/stderr read into the log after one entry.
_MAX_CAPTURE = 64 << 10


# Byte lists (random) cross without a Python step per byte (unless the public API alone is
# asked for); tails cross as Latin-1 strings, one buffer each way (see the world).
if os.environ.get("SPACEDRIVE_FASTCALL") != "0":
    component_bytes.install()


class ComponentLimits:
    """Store limits for one component instance: componentize-py components use
    2 tables and up to ~40 core instances (a core module plugin gets 1 and 4)."""

    instances = 64
    tables = 8
    memories = 4
    table_elements = 1 << 20


COMPONENT_LIMITS = ComponentLimits()


def check_world(engine: wasmtime.Engine, component: wc.Component, source: str) -> None:
    """Refuses, naming the reason, a component that is not of the plugin world:
    an export missing, or an import the host does not provide."""
    kind = component.type
    exports = kind.exports(engine)
    missing = [name for name in _EXPORTS if name not in exports]
    if missing:
        raise LoadError(
            f"{source} is not a component of the {WORLD} world: it does not export {', '.join(missing)}"
        )
    foreign = sorted(n for n in kind.imports(engine) if n not in _IMPORTS and not n.startswith(_WASI))
    if foreign:
        raise LoadError(
            f"{source} imports {', '.join(foreign)}, which the host does not provide "
            f"(a plugin component imports only the {WORLD} world and WASI)"
        )


def _record(**fields: Any) -> wc.Record:
    """A WIT record value (wasmtime-py reads its fields as attributes)."""
    record = wc.Record()
    record.__dict__.update(fields)
    return record


# wasmtime-py tags a result only when its two cases have the same Python type:
# result<message, failure> is a Variant, result<list<u8>, failure> is bare bytes or a Record.
def _ok(value: Any) -> wc.Variant:
    return wc.Variant("ok", value)


def _failure(code: str, message: str) -> wc.Record:
    return _record(code=code, message=message)


def _err(code: str, message: str) -> wc.Variant:
    return wc.Variant("err", _failure(code, message))


class _Capture:
    """A WASI output stream captured in a private file, read incrementally into the log."""

    def __init__(self, directory: Path, name: str, level: str) -> None:
        fd, path = tempfile.mkstemp(dir=directory, prefix=f"{name}-")
        os.close(fd)
        self.path = path
        self.level = level
        self._offset = 0

    def drain(self, log: PluginLog) -> None:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read(_MAX_CAPTURE)
                self._offset = fh.tell()
                skipped = os.fstat(fh.fileno()).st_size - self._offset
        except OSError:
            return
        if skipped > 0:  # a flood: what was not read is dropped, and said so
            self._offset += skipped
        for line in data.decode("utf-8", "replace").splitlines():
            if line.strip():
                log.record(LogRecord(self.level, line))
        if skipped > 0:
            log.record(LogRecord("warn", f"({skipped} bytes of {self.level} output dropped)"))


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
            _Capture(Path(self._tmp.name), "stdout", "info"),
            _Capture(Path(self._tmp.name), "stderr", "warn"),
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
        linker = wc.Linker(engine)
        linker.add_wasip2()
        self._define_imports(linker)
        try:
            instance = self._enter(
                "instantiation", lambda: linker.instantiate(store, component), loading=True
            )
            funcs = {name: instance.get_func(store, name) for name in _EXPORTS}
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
        failure = self._enter("init", lambda: init(store), loading=True)
        if failure is not None:
            self._release()
            raise LoadError(f"init failed: {_failure_text(failure)}", plugin=manifest.id)

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
            root.add_func("call", self._guarded("call", self._call_import, _err("internal", failed)))
            root.add_func("http", self._guarded("http", self._http_import, _err("internal", failed)))
            root.add_func("log", self._guarded("log", self._log_import, None))
            root.add_func("clock", self._guarded("clock", self._clock_import, 0))
            root.add_func(
                "random", self._guarded("random", self._random_import, _failure("internal", failed))
            )
        finally:
            root.close()

    def _guarded(self, name: str, fn: Callable[..., Any], fallback: Any) -> Callable[..., Any]:
        """Nothing raises into wasmtime: a failure becomes this entry's fault, and
        the guest gets ``fallback`` (an error answer, or a zero)."""

        def run(_store: Any, *args: Any) -> Any:
            try:
                return fn(*args)
            except BaseException as exc:
                if self._fault is None:
                    self._fault = InternalError(
                        f"{name} failed in the host: {exc!r}", plugin=self.manifest.id
                    )
                return fallback

        return run

    def _call_import(self, method: str, library: str | None, json_in: str, tail: str) -> wc.Variant:
        if self._in_host:
            raise RuntimeError("re-entrant host call")
        try:
            library_id = UUID(library) if library is not None else None
        except ValueError:
            return _err("invalid_input", f"library {library!r} is not a UUID")
        if len(method) > abi.MAX_METHOD_LEN:
            return _err(
                "invalid_input", f"method name is {len(method)} bytes; the limit is {abi.MAX_METHOD_LEN}"
            )
        return self._serve(method.encode(), library_id, json_in, tail)

    def _http_import(self, json_in: str, tail: str) -> wc.Variant:
        return self._serve(HTTP_METHOD, None, json_in, tail)

    def _serve(self, method: bytes, library_id: UUID | None, json_in: str, octets: str) -> wc.Variant:
        try:
            tail = octets.encode("latin-1")
        except UnicodeEncodeError as exc:
            return _err("invalid_input", f"the tail is not octets: character {exc.start} is above U+00FF")
        started = self._deadline.host_started()
        self._in_host = True
        try:
            body = json_in.encode()
            size, limit = abi.block_size(len(body), len(tail)), self._limits.max_payload_bytes
            if size > limit:
                status, json_out, tail_out = (
                    abi.STATUS_ERROR,
                    *_wire_error(LimitExceeded(f"request is {size} bytes; the limit is {limit}")),
                )
            else:
                status, json_out, tail_out = self._host.respond(method, library_id, body, tail)
        finally:
            self._in_host = False
            self._deadline.host_done(started)
        if status == abi.STATUS_ERROR:
            err = _parse_wire_error(json_out)
            return _err(*err)
        return _ok(_record(json=json_out.decode(), tail=tail_out.decode("latin-1")))

    def _log_import(self, level: int, message: str) -> None:
        cap = self._limits.max_log_bytes
        if len(message) > cap:
            message = f"{message[:cap]}... ({len(message) - cap} characters cut)"
        self.log.record(LogRecord(LEVELS[level] if 0 <= level < len(LEVELS) else "warn", message))

    @staticmethod
    def _clock_import(which: int) -> int:
        """As ABI v1's ``spacedrive_clock``: 0 wall clock, 1 monotonic, else 0."""
        return time.time_ns() if which == 0 else time.monotonic_ns() if which == 1 else 0

    @staticmethod
    def _random_import(length: int) -> bytes | wc.Record:
        if length > MAX_RANDOM_BYTES:
            return _failure(
                "limit_exceeded", f"{length} random bytes asked for; the limit is {MAX_RANDOM_BYTES}"
            )
        return os.urandom(length)

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
            raise self._fault or _entry_failure(
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

        ``library``: the plugin world has no way to hand it to the guest yet, so a call
        made for a library is refused rather than run without it."""
        if library is not None:
            raise Unavailable(
                f"a component plugin cannot be told the library ({library}) a call is made for "
                "yet; call it without --library",
                plugin=self.manifest.id,
            )
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
            handle, store = self._handle, self._store
            octets = tail.decode("latin-1")  # the world's tails: one character per byte
            result = self._enter("handle", lambda: handle(store, method, text, octets))
            if not isinstance(result, wc.Variant):
                self.poisoned = True
                raise AbiViolation(f"handle returned {type(result).__name__}, not a result", plugin=pid)
            if result.tag == "err":
                code, message = _failure_fields(result.payload)
                return_error = error_for_code(code, message, plugin=pid, origin="plugin")
                raise return_error
            reply: Any = result.payload
            try:
                json_out, tail_out = reply.json.encode(), reply.tail.encode("latin-1")
            except UnicodeEncodeError as exc:
                self.poisoned = True
                raise AbiViolation(
                    f"handle answered a tail that is not octets: character {exc.start} is above U+00FF",
                    plugin=pid,
                ) from None
            if abi.block_size(len(json_out), len(tail_out)) > self._limits.max_payload_bytes:
                raise LimitExceeded(
                    f"response is {len(json_out) + len(tail_out)} bytes; "
                    f"the limit is {self._limits.max_payload_bytes}",
                    plugin=pid,
                )
            return json_out, tail_out

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
        self._tmp.cleanup()


def _failure_fields(value: Any) -> tuple[str, str]:
    code, message = getattr(value, "code", None), getattr(value, "message", None)
    if not isinstance(code, str) or not isinstance(message, str):
        return "internal", "the plugin answered with a malformed failure"
    return code, message


def _failure_text(value: Any) -> str:
    code, message = _failure_fields(value)
    return f"{code}: {message}"


def _wire_error(err: PluginError) -> tuple[bytes, bytes]:
    return json.dumps(err.to_wire()).encode(), b""


def _parse_wire_error(raw: bytes) -> tuple[str, str]:
    try:
        obj = json.loads(raw)
        return str(obj["code"]), str(obj["message"])
    except (ValueError, KeyError, TypeError):
        return "internal", raw.decode("utf-8", "replace")


def _entry_failure(
    what: str, exc: wasmtime.Trap | wasmtime.WasmtimeError, *, plugin: str, timeout: str, loading: bool
) -> PluginError:
    """The typed error for a failed entry into a component. Its errors carry no trap
    code, only text: the time limit reads "interrupt", the cause is the last line."""
    if isinstance(exc, wasmtime.Trap):
        return guest_failure(what, exc, plugin=plugin, timeout=timeout, loading=loading)
    text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cause = lines[-1] if lines else type(exc).__name__
    if "wasm trap: interrupt" in text:
        return Timeout(f"{what} ran past {timeout}", plugin=plugin)
    if "exceeds memory limits" in text:
        return LimitExceeded(f"{what} failed: {cause}", plugin=plugin)
    return (LoadError if loading else TrapError)(f"{what} trapped: {cause}", plugin=plugin)

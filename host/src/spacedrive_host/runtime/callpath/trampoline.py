"""The call path over the C trampoline (`native`, `host/native`): the two
request imports and the exchange into ``plugin_handle`` run in C; the rest of
the ctypes path stays. Python keeps every decision: C hands a regular request
to `HostHandlers.serve_request`, gives anything irregular to the Python handler
untouched, and reports the faults it finds."""

from __future__ import annotations

from collections.abc import Mapping

import wasmtime
from wasmtime._exportable import AsExtern

from ...errors import InternalError
from .. import abi, fastcall, native
from ..shape import HOST_IMPORTS
from .base import Exports, HostHandlers, func, no_request, request_outside
from .unchecked import CtypesBinding

__all__ = ["TrampolinePath"]

_REQUESTS = frozenset({"spacedrive_call", "spacedrive_http"})


class TrampolineBinding(CtypesBinding):
    """Also the trampoline's Python side (`native.HostCalls`)."""

    _skip = _REQUESTS

    def __init__(self, store: wasmtime.Store, handlers: HostHandlers, plugin: str, max_payload: int) -> None:
        super().__init__(store, handlers, plugin)
        # Bound once: C calls it on every regular request.
        self.serve_request = handlers.serve_request
        self._native = native.NativeHostCalls(self, self.ctx, max_payload)

    def define_imports(self, linker: wasmtime.Linker) -> None:
        super().define_imports(linker)
        for (_, name), (params, _results) in HOST_IMPORTS.items():
            if name in _REQUESTS:
                self._keepalive.append(self._native.define(linker, name, params))

    def attach(self, exports: Mapping[str, AsExtern], *, fixed_memory: bool) -> Exports:
        wrapped = super().attach(exports, fixed_memory=fixed_memory)
        memory = exports["memory"]
        assert isinstance(memory, wasmtime.Memory)
        self._native.attach(memory, *(func(exports, n) for n in ("wasm_alloc", "plugin_handle", "wasm_free")))
        return wrapped

    def set_live(self, live: range | None) -> None:
        self._native.set_live(live)

    def live(self) -> range | None:
        return self._native.live()

    def exchange(self, method: bytes, json_in: bytes, tail: bytes) -> int:
        """In C, in one stretch without the GIL."""
        return self._located(method, json_in, tail, *self._native.exchange(method, json_in, tail))

    def handle(self, method: bytes, json_in: bytes, tail: bytes) -> tuple[int, bytes, bytes] | int:
        """`exchange` with a regular response read and freed in C as well."""
        parts = self._native.handle(method, json_in, tail)
        if parts is not None:
            return parts
        return self._located(method, json_in, tail, *self._native.outcome())

    def _located(
        self,
        method: bytes,
        json_in: bytes,
        tail: bytes,
        code: int,
        request: int,
        location: int,
        failed: wasmtime.WasmtimeError | wasmtime.Trap | None,
    ) -> int:
        """The response's packed location, or the exchange's failure raised."""
        if code == native.Exchange.DONE:
            return location
        total = len(method) + abi.MESSAGE_HEADER + len(json_in) + len(tail)
        if code == native.Exchange.NO_REQUEST:
            raise no_request(total, self._plugin)
        if code == native.Exchange.REQUEST_OUTSIDE:
            raise request_outside(total, request, self._plugin)
        raise failed or InternalError("the call trampoline gave no result", plugin=self._plugin)

    # -- native.HostCalls: what C calls back (never raise) -------------------

    def slow_request(self, is_call: bool, *args: int) -> int:
        """A request C left to Python (irregular: Python checks and words the error)."""
        if is_call:
            return self._handlers.call(self.ctx, *args)
        return self._handlers.http(self.ctx, args[3], args[4])

    def native_fault(self, kind: int, a: int, b: int, c: int) -> None:
        """A fault C found (see `native.Faults`)."""
        h = self._handlers
        try:
            if kind == native.Faults.REENTRANT:
                h.reentrant_fault(bool(a))
            elif kind == native.Faults.ALLOC_FAILED:
                h.alloc_failed(fastcall.failure(a or None, b or None))
            elif kind == native.Faults.OVERLAP:
                h.overlap_fault(a, b, range(c & abi.U32_MAX, c >> 32))
            elif kind == native.Faults.OUTSIDE:
                h.outside_fault(a, b, c)
            else:
                h.internal_fault(bool(a), RuntimeError("the C trampoline could not answer"))
        except BaseException as exc:
            h.internal_fault(True, exc)


class TrampolinePath:
    name = "trampoline"
    deadline_setter = staticmethod(native.deadline_setter)

    def bind(
        self, store: wasmtime.Store, handlers: HostHandlers, *, plugin: str, max_payload: int
    ) -> TrampolineBinding:
        return TrampolineBinding(store, handlers, plugin, max_payload)

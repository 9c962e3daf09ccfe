"""The call path over wasmtime-py's public API: any wasmtime-py release, and
``SPACEDRIVE_FASTCALL=0``. Contexts are the Store (calls in) and the Caller
(host functions)."""

from __future__ import annotations

import wasmtime

from ..fastcall import GuestCall, func_type
from ..shape import HOST_IMPORTS
from .base import HostHandlers, PythonBinding, handler_table

__all__ = ["PublicPath"]


class PublicBinding(PythonBinding):
    _fast = False

    def __init__(self, store: wasmtime.Store, handlers: HostHandlers, plugin: str) -> None:
        super().__init__(handlers, plugin)
        self.ctx = store

    def _export(self, fn: wasmtime.Func, params: tuple[str, ...], results: tuple[str, ...]) -> GuestCall:
        return fn

    def define_imports(self, linker: wasmtime.Linker) -> None:
        table = handler_table(self._handlers)
        for (module, name), (params, results) in HOST_IMPORTS.items():
            linker.define_func(module, name, func_type(params, results), table[name], access_caller=True)


class PublicPath:
    name = "public"

    def bind(
        self, store: wasmtime.Store, handlers: HostHandlers, *, plugin: str, max_payload: int
    ) -> PublicBinding:
        return PublicBinding(store, handlers, plugin)

"""The call path over wasmtime's C API through ctypes (`fastcall`): unchecked
calls with prebuilt argument slots, for the pinned wasmtime-py release only."""

from __future__ import annotations

from collections.abc import Callable

import wasmtime

from .. import fastcall
from ..shape import HOST_IMPORTS
from .base import HostHandlers, PythonBinding, handler_table

__all__ = ["CtypesBinding", "CtypesPath"]


class CtypesBinding(PythonBinding):
    _fast = True
    #: Imports another layer (the trampoline) defines instead.
    _skip: frozenset[str] = frozenset()

    def __init__(self, store: wasmtime.Store, handlers: HostHandlers, plugin: str) -> None:
        super().__init__(handlers, plugin)
        self.ctx = fastcall.store_context(store, fast=True)
        self._keepalive: list[object] = []

    def _export(
        self, fn: wasmtime.Func, params: tuple[str, ...], results: tuple[str, ...]
    ) -> fastcall.GuestCall:
        return fastcall.export(fn, params, results, fast=True)

    def define_imports(self, linker: wasmtime.Linker) -> None:
        table = handler_table(self._handlers)
        for (module, name), (params, results) in HOST_IMPORTS.items():
            if name in self._skip:
                continue
            self._keepalive.append(
                fastcall.define_host_func(
                    linker, module, name, params, results, table[name], context=self.ctx
                )
            )


class CtypesPath:
    name = "ctypes"

    def bind(
        self, store: wasmtime.Store, handlers: HostHandlers, *, plugin: str, max_payload: int
    ) -> CtypesBinding:
        return CtypesBinding(store, handlers, plugin)

    @staticmethod
    def deadline_setter(store: wasmtime.Store) -> Callable[[int], None]:
        return fastcall.deadline_setter(store)

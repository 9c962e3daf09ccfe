"""The call path over wasmtime-py's public API: any wasmtime-py release, and
``SPACEDRIVE_FASTCALL=0``. Contexts are the Store (calls in) and the Caller
(host functions).

wasmtime-py keeps every function given to `Linker.define_func` in a
module-global table until wasmtime drops the function, which it does only
when the last Store using it is gone. A handler that held its instance
strongly would keep that Store alive through the table: every discarded
instance would leak. So the table gets a handler holding its instance weakly."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import wasmtime

from ..fastcall import GuestCall, HostHandler, func_type
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
            handler = _weakly(table[name], answer=0 if results else None)
            linker.define_func(module, name, func_type(params, results), handler, access_caller=True)


def _weakly(method: HostHandler, answer: int | None) -> HostHandler:
    """``method`` through a weak reference to its object; ``answer`` once that is gone."""
    if not hasattr(method, "__self__"):
        return method  # a plain function (a static method) holds nothing
    ref = weakref.WeakMethod(method)

    def handler(caller: wasmtime.Caller, *args: Any) -> int | None:
        bound = ref()
        return answer if bound is None else bound(caller, *args)

    return handler


class PublicPath:
    name = "public"

    def bind(
        self, store: wasmtime.Store, handlers: HostHandlers, *, plugin: str, max_payload: int
    ) -> PublicBinding:
        return PublicBinding(store, handlers, plugin)

    @staticmethod
    def deadline_setter(store: wasmtime.Store) -> Callable[[int], None]:
        return store.set_epoch_deadline

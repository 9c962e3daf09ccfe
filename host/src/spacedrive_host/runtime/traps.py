"""Guest failures (a trap, a wasmtime error) as the host's typed errors."""

from __future__ import annotations

import wasmtime

from ..errors import LimitExceeded, LoadError, PluginError, Timeout, TrapError

__all__ = ["first_line", "guest_failure"]

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


def first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def guest_failure(
    what: str,
    exc: wasmtime.Trap | wasmtime.WasmtimeError,
    *,
    plugin: str,
    timeout: str,
    panic: str | None = None,
    loading: bool = False,
) -> PluginError:
    """The typed error for guest code (``what``) that trapped or failed.

    ``timeout``: how the time limit reads in a `Timeout` ("its 5000 ms time
    limit"); ``panic``: the panic message the guest logged, if any."""
    if isinstance(exc, wasmtime.Trap):
        code = exc.trap_code
        if code == wasmtime.TrapCode.INTERRUPT:
            return Timeout(f"{what} ran past {timeout}", plugin=plugin)
        detail = panic or (_TRAP_DESCRIPTIONS.get(code) if code is not None else None)
        trap_cls = LoadError if loading else TrapError
        return trap_cls(f"{what} trapped: {detail or first_line(exc.message)}", plugin=plugin)
    cls: type[PluginError] = LoadError if loading else TrapError
    if "exceeds memory limits" in str(exc):
        cls = LimitExceeded
    return cls(f"{what} failed: {first_line(exc)}", plugin=plugin)

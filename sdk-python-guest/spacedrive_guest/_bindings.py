"""The component bindings componentize-py generates for the `spacedrive:plugin`
world, reached only through this module so their names stay out of the API.

Outside a component (unit tests, type checking) they do not exist; every use
raises `Unavailable` then."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from .errors import HostError, Unavailable, error_for

__all__ = ["Failure", "Message", "bindings", "failure_of", "raise_failure", "unwrap"]


def bindings() -> ModuleType:
    """The generated world module (its name is componentize-py's)."""
    try:
        return importlib.import_module("wit_world")
    except ImportError:
        raise Unavailable("not running inside a plugin component (no host bindings)") from None


def _types() -> ModuleType:
    return importlib.import_module("componentize_py_types")


def Message(json: str, tail: str) -> Any:
    """The world's ``message`` record."""
    return bindings().Message(json, tail)


def Failure(code: str, message: str) -> Any:
    """The world's ``failure`` record."""
    return bindings().Failure(code, message)


def failure_of(exc: HostError) -> BaseException:
    """The exception that makes an export return ``err(failure)``."""
    err: type[BaseException] = _types().Err
    return err(Failure(exc.code, exc.message))


def raise_failure(exc: BaseException) -> HostError:
    """The typed error for an import's ``err(failure)`` (as raised by the bindings)."""
    value = getattr(exc, "value", None)
    code, message = getattr(value, "code", None), getattr(value, "message", None)
    if isinstance(code, str) and isinstance(message, str):
        return error_for(code, message)
    return error_for("internal", f"the host answered with a malformed error: {exc!r}")


def unwrap(run: Any, *args: Any) -> Any:
    """Calls a world import; its ``err(failure)`` comes out as the typed `HostError`."""
    err: type[BaseException] = _types().Err
    try:
        return run(*args)
    except err as exc:
        raise raise_failure(exc) from None

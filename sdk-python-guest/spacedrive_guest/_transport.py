"""How the generated client reaches the host: one call, JSON and a binary tail
each way, errors as typed `HostError` subclasses."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .errors import HostError, Unavailable

__all__ = ["HostError", "Transport", "call", "call_raw", "call_with_tail", "set_transport"]

#: ``(method, library id or None, JSON bytes, tail) -> (JSON bytes, tail)``;
#: raises `HostError` when the host answers with an error.
Transport = Callable[[str, str | None, bytes, bytes], tuple[bytes, bytes]]

_transport: Transport | None = None


def set_transport(transport: Transport | None) -> None:
    """Installs the function that carries calls to the host (None removes it).
    Inside a plugin component the SDK installs it; tests may install their own."""
    global _transport  # noqa: PLW0603 - one transport per guest, set once at start-up
    _transport = transport


def call_with_tail(method: str, library: str | None, input: Any, tail: bytes) -> tuple[Any, bytes]:
    """Calls host operation ``method``: (its JSON answer decoded, its tail)."""
    if _transport is None:
        raise Unavailable("no host transport installed (see spacedrive_guest.set_transport)")
    out, out_tail = _transport(method, library, json.dumps(input).encode(), tail)
    return json.loads(out), out_tail


def call(method: str, library: str | None, input: Any) -> Any:
    """Calls host operation ``method`` without tails: its JSON answer decoded."""
    return call_with_tail(method, library, input, b"")[0]


def call_raw(
    method: str, input: Any = None, *, library: str | None = None, tail: bytes = b""
) -> tuple[Any, bytes]:
    """Calls any host operation by its full name (``query:core.echo.v1``): its JSON
    answer decoded and its tail. `spacedrive_guest.ops` has the typed functions;
    this is for the rest. Raises the typed `HostError` the host answers with."""
    return call_with_tail(method, library, input, tail)

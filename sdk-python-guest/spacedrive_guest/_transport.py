"""How the generated client reaches the host: one call, JSON and a binary tail
each way, errors as `HostError` with a code from the fixed set."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["HostError", "Transport", "call", "call_with_tail", "set_transport"]

#: ``(method, library id or None, JSON bytes, tail) -> (JSON bytes, tail)``;
#: raises `HostError` when the host answers with an error.
Transport = Callable[[str, str | None, bytes, bytes], tuple[bytes, bytes]]

_transport: Transport | None = None


class HostError(Exception):
    """An error the host answered with.

    Attributes:
        code: one of the fixed codes (`codes.ERROR_CODES`: `permission_denied`, `not_found` ...),
            or a code newer than this SDK.
        message: what went wrong.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def set_transport(transport: Transport | None) -> None:
    """Installs the function that carries calls to the host (None removes it)."""
    global _transport  # noqa: PLW0603 - one transport per guest, set once at start-up
    _transport = transport


def call_with_tail(method: str, library: str | None, input: Any, tail: bytes) -> tuple[Any, bytes]:
    if _transport is None:
        raise HostError("unavailable", "no host transport installed (see spacedrive_guest.set_transport)")
    out, out_tail = _transport(method, library, json.dumps(input).encode(), tail)
    return json.loads(out), out_tail


def call(method: str, library: str | None, input: Any) -> Any:
    return call_with_tail(method, library, input, b"")[0]

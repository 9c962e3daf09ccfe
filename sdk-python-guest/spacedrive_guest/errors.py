"""Typed errors with the host's codes: the host raises them into a guest
(``except PermissionDenied``), and a handler raises them to answer with a code."""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "HostError",
    "Internal",
    "InvalidInput",
    "LimitExceeded",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Timeout",
    "Unavailable",
    "error_for",
]


class HostError(Exception):
    """An error with one of the host's codes.

    Attributes:
        code: one of the fixed codes (`codes.ERROR_CODES`: `permission_denied`, `not_found` ...),
            or a code newer than this SDK.
        message: what went wrong.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class _Coded(HostError):
    """A `HostError` whose class fixes its code."""

    CODE: ClassVar[str]

    def __init__(self, message: str) -> None:
        super().__init__(self.CODE, message)


class PermissionDenied(_Coded):
    """The manifest does not grant what was asked for."""

    CODE = "permission_denied"


class RateLimited(_Coded):
    """Over one of the plugin's rate limits; retry later."""

    CODE = "rate_limited"


class NotFound(_Coded):
    """No such operation, method, library or item."""

    CODE = "not_found"


class InvalidInput(_Coded):
    """The input does not match what the operation or method takes."""

    CODE = "invalid_input"


class LimitExceeded(_Coded):
    """A size or memory limit was hit."""

    CODE = "limit_exceeded"


class Timeout(_Coded):
    """A time limit was hit."""

    CODE = "timeout"


class Unavailable(_Coded):
    """The service is not available now (e.g. a plugin is restarting)."""

    CODE = "unavailable"


class Internal(_Coded):
    """A bug or an unexpected failure on the other side."""

    CODE = "internal"


_BY_CODE: dict[str, type[_Coded]] = {
    cls.CODE: cls
    for cls in (
        PermissionDenied,
        RateLimited,
        NotFound,
        InvalidInput,
        LimitExceeded,
        Timeout,
        Unavailable,
        Internal,
    )
}


def error_for(code: str, message: str) -> HostError:
    """The typed error for ``code`` (a plain `HostError` for a code newer than this SDK)."""
    cls = _BY_CODE.get(code)
    return cls(message) if cls is not None else HostError(code, message)

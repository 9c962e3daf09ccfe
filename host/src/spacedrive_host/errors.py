"""Typed errors. Every failure a caller can see is a `PluginError` with a code.

The wire codes (the first eight) are what ABI v1 carries in an error response
and what every SDK maps to its own typed error. The remaining codes describe
host-side failures (a manifest, a module, a fault) and are raised only in the
host; when such a failure reaches a guest, it travels with its own code and
SDKs show it as an unknown code.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False  # not `typing`'s: a CLI call through the daemon must not import it
if TYPE_CHECKING:
    from typing import ClassVar

__all__ = [
    "HOST_ONLY_CODES",
    "AbiViolation",
    "DamagedStore",
    "ErrorCode",
    "InternalError",
    "InvalidInput",
    "LimitExceeded",
    "LoadError",
    "ManifestError",
    "NotFound",
    "PermissionDenied",
    "PluginError",
    "RateLimited",
    "Timeout",
    "TrapError",
    "Unavailable",
    "error_class",
    "error_for_code",
]

# Relative to the documentation site root (`nox -s docs`).
DOCS_PAGE = "reference/errors/"


class ErrorCode(StrEnum):
    """Every error code, each documented under its own anchor of the errors page."""

    PERMISSION_DENIED = "permission_denied"
    RATE_LIMITED = "rate_limited"
    NOT_FOUND = "not_found"
    INVALID_INPUT = "invalid_input"
    LIMIT_EXCEEDED = "limit_exceeded"
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"
    # Host-side codes.
    INVALID_MANIFEST = "invalid_manifest"
    LOAD_FAILED = "load_failed"
    ABI_VIOLATION = "abi_violation"
    TRAPPED = "trapped"


#: Codes the host raises itself and never sends through ABI v1 (the SDKs see them
#: only as "other" codes, e.g. passed on by a plugin that called another).
HOST_ONLY_CODES = frozenset(
    {ErrorCode.INVALID_MANIFEST, ErrorCode.LOAD_FAILED, ErrorCode.ABI_VIOLATION, ErrorCode.TRAPPED}
)


class PluginError(Exception):
    """Base of every error the host raises. ``code`` says what kind of failure it is.

    Attributes:
        code: the error code.
        message: what went wrong, naming the field, limit or method involved.
        plugin: the id of the plugin involved, if any.
        origin: ``"host"`` when the host decided, ``"plugin"`` when a plugin returned it.
    """

    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL

    def __init__(self, message: str, *, plugin: str | None = None, origin: str = "host") -> None:
        super().__init__(message)
        self.message = message
        self.plugin = plugin
        self.origin = origin

    def __str__(self) -> str:
        where = f" (plugin {self.plugin!r})" if self.plugin else ""
        return f"{self.code}: {self.message}{where}"

    @property
    def docs_url(self) -> str:
        """The documentation section for this error's code."""
        return f"{DOCS_PAGE}#{self.code.value}"

    def to_wire(self) -> dict[str, str]:
        """The JSON object ABI v1 carries in an error response."""
        return {"code": self.code.value, "message": self.message}


class PermissionDenied(PluginError):
    """The caller's manifest does not grant this method or library."""

    code = ErrorCode.PERMISSION_DENIED


class RateLimited(PluginError):
    """The caller exceeded its request rate; retry later."""

    code = ErrorCode.RATE_LIMITED


class NotFound(PluginError):
    """No such operation, plugin, method or object."""

    code = ErrorCode.NOT_FOUND


class InvalidInput(PluginError):
    """The request is malformed: bad method string, JSON, payload or pointer."""

    code = ErrorCode.INVALID_INPUT


class LimitExceeded(PluginError):
    """A size or resource limit was hit (payload size, memory ...)."""

    code = ErrorCode.LIMIT_EXCEEDED


class Timeout(PluginError):
    """A call ran past its time limit."""

    code = ErrorCode.TIMEOUT


class Unavailable(PluginError):
    """The target cannot serve now (closed, failed, re-entrant)."""

    code = ErrorCode.UNAVAILABLE


class DamagedStore(Unavailable):
    """A file of the data directory (``jobs.db``, ``vault.db``, ``vault.key`` ...) is damaged.

    The message names the file and what to do: ``spacedrive doctor`` checks every
    store, ``spacedrive doctor --repair`` sets a damaged file aside and starts afresh.
    """


class InternalError(PluginError):
    """A bug or unexpected failure inside the host or an operation."""

    code = ErrorCode.INTERNAL


class LoadError(PluginError):
    """A plugin could not be loaded: bad module, missing export, wrong ABI, failed init."""

    code = ErrorCode.LOAD_FAILED


class ManifestError(LoadError):
    """A manifest is missing, not JSON, or fails validation; the message names the field."""

    code = ErrorCode.INVALID_MANIFEST


class AbiViolation(PluginError):
    """A plugin broke the ABI protocol; its instance was discarded."""

    code = ErrorCode.ABI_VIOLATION


class TrapError(PluginError):
    """A plugin trapped (panic, out-of-bounds access, stack overflow ...); its instance was discarded."""

    code = ErrorCode.TRAPPED


_BY_CODE: dict[str, type[PluginError]] = {
    cls.code.value: cls
    for cls in (
        PermissionDenied,
        RateLimited,
        NotFound,
        InvalidInput,
        LimitExceeded,
        Timeout,
        Unavailable,
        InternalError,
        LoadError,
        ManifestError,
        AbiViolation,
        TrapError,
    )
}


def error_class(code: ErrorCode) -> type[PluginError]:
    """The `PluginError` subclass raised for ``code``."""
    return _BY_CODE[code.value]


def error_for_code(
    code: str, message: str, *, plugin: str | None = None, origin: str = "host"
) -> PluginError:
    """Builds the typed error for a wire code; an unknown code becomes `InternalError`."""
    cls = _BY_CODE.get(code)
    if cls is None:
        return InternalError(f"{code}: {message}", plugin=plugin, origin=origin)
    return cls(message, plugin=plugin, origin=origin)

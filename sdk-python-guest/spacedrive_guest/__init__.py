"""spacedrive_guest: write Spacedrive plugins in Python.

A plugin module creates one `Plugin` and registers its methods and jobs;
`spacedrive_guest.ops` has one typed function per host operation, generated
from the host's registry; `spacedrive_guest.host` has the log, clocks and
randomness. Build a plugin with ``python -m spacedrive_guest.build DIR``.
"""

from ._transport import Transport, call_raw, set_transport
from .codes import ERROR_CODES, ErrorCode
from .errors import (
    HostError,
    Internal,
    InvalidInput,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    RateLimited,
    Timeout,
    Unavailable,
    error_for,
)
from .plugin import Call, JobStep, Plugin, Reply, StepResult

__all__ = [
    "ERROR_CODES",
    "Call",
    "ErrorCode",
    "HostError",
    "Internal",
    "InvalidInput",
    "JobStep",
    "LimitExceeded",
    "NotFound",
    "PermissionDenied",
    "Plugin",
    "RateLimited",
    "Reply",
    "StepResult",
    "Timeout",
    "Transport",
    "Unavailable",
    "call_raw",
    "error_for",
    "set_transport",
]

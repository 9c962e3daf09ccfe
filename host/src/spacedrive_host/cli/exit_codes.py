"""The `spacedrive` command's exit status for each error code (documented in the CLI guide).

0 is success, 1 a failure without a code (e.g. `doctor` finding damage), 2 a usage
error (click's own); a typed error exits with its code's status below.
"""

from __future__ import annotations

from ..errors import ErrorCode

__all__ = ["EXIT_CODES", "exit_code"]

EXIT_CODES: dict[ErrorCode, int] = {
    ErrorCode.INVALID_INPUT: 3,
    ErrorCode.PERMISSION_DENIED: 4,
    ErrorCode.NOT_FOUND: 5,
    ErrorCode.RATE_LIMITED: 6,
    ErrorCode.LIMIT_EXCEEDED: 7,
    ErrorCode.TIMEOUT: 8,
    ErrorCode.UNAVAILABLE: 9,
    ErrorCode.INTERNAL: 10,
    ErrorCode.INVALID_MANIFEST: 11,
    ErrorCode.LOAD_FAILED: 12,
    ErrorCode.ABI_VIOLATION: 13,
    ErrorCode.TRAPPED: 14,
}


def exit_code(code: ErrorCode) -> int:
    return EXIT_CODES.get(code, 1)

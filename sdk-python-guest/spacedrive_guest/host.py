"""What the host gives every plugin besides operations: a log, clocks and randomness."""

from __future__ import annotations

from ._bindings import bindings, unwrap

__all__ = ["debug", "error", "info", "log", "monotonic_ns", "now_ns", "random_bytes", "trace", "warn"]

_LEVELS = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "error": 4}

#: Most bytes one `random_bytes` call returns.
MAX_RANDOM_BYTES = 1 << 16


def log(level: str, message: str) -> None:
    """A line in the plugin's log, at ``level`` (trace, debug, info, warn, error).

    The host rate-limits lines and cuts long ones; ``print`` output lands in the
    same log (stdout at info, stderr at warn)."""
    bindings().log(_LEVELS.get(level, 3), message)


def trace(message: str) -> None:
    """A trace-level log line."""
    log("trace", message)


def debug(message: str) -> None:
    """A debug-level log line."""
    log("debug", message)


def info(message: str) -> None:
    """An info-level log line."""
    log("info", message)


def warn(message: str) -> None:
    """A warn-level log line."""
    log("warn", message)


def error(message: str) -> None:
    """An error-level log line (kept even when over the rate limit: it explains a failure)."""
    log("error", message)


def now_ns() -> int:
    """The host's wall clock: nanoseconds since the Unix epoch."""
    return int(bindings().clock(0))


def monotonic_ns() -> int:
    """The host's monotonic clock, in nanoseconds (for measuring durations)."""
    return int(bindings().clock(1))


def random_bytes(count: int) -> bytes:
    """``count`` bytes of OS randomness (at most `MAX_RANDOM_BYTES`)."""
    return bytes(unwrap(bindings().random, count))

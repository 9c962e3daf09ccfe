"""A plugin instance's log: the bounded history, the rate limit on lines, and
the error lines of the current call (they explain a failed init or a panic)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from ..rates import TokenBucket
from .limits import HostLimits, LogRecord

__all__ = ["LEVELS", "PluginLog"]

LEVELS = ("trace", "debug", "info", "warn", "error")


class PluginLog:
    """Lines pass a token bucket into ``history`` and ``sink``; the rest are dropped and counted."""

    def __init__(
        self, history: deque[LogRecord], limits: HostLimits, sink: Callable[[LogRecord], None]
    ) -> None:
        # Passed in by the owner so the history outlives a faulted instance.
        self.history = history
        self.dropped = 0
        self._sink = sink
        self._bucket = TokenBucket(limits.log_lines_per_second, limits.log_burst)
        self._unreported = 0
        # Error-level lines of the current call (bounded: a flood must not grow it).
        self.call_errors: deque[str] = deque(maxlen=16)

    def record(self, record: LogRecord) -> None:
        if record.level == "error":
            # Kept even when rate-limited: it may explain a failing init or a panic.
            self.call_errors.append(record.message)
        if self._allowed():
            self._emit(record)

    def panic(self) -> str | None:
        """The last panic message of the current call."""
        return next((m for m in reversed(self.call_errors) if "panicked" in m), None)

    def _allowed(self) -> bool:
        if not self._bucket.try_acquire():
            self.dropped += 1
            self._unreported += 1
            return False
        if self._unreported:
            dropped, self._unreported = self._unreported, 0
            self._emit(LogRecord("warn", f"({dropped} log lines dropped: over the log rate limit)"))
        return True

    def _emit(self, record: LogRecord) -> None:
        self.history.append(record)
        self._sink(record)

"""The one token bucket behind every rate the host enforces (host calls per
plugin, log lines per instance): never blocks, refills continuously."""

from __future__ import annotations

import threading
import time

__all__ = ["TokenBucket"]


class TokenBucket:
    """``rate`` tokens a second, holding at most ``burst``; starts full."""

    __slots__ = ("_last", "_lock", "_tokens", "burst", "rate")

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    @classmethod
    def per_minute(cls, count: int) -> TokenBucket:
        """``count`` a minute, with bursts up to that many."""
        return cls(count / 60.0, count)

    def set_rate(self, rate: float, burst: float) -> None:
        """A new rate from now on (a reloaded manifest may change it); the tokens held stay."""
        with self._lock:
            self.rate, self.burst = rate, burst

    def try_acquire(self) -> bool:
        """Takes one token if there is one."""
        with self._lock:
            now = time.monotonic()
            tokens = self._tokens + (now - self._last) * self.rate
            if tokens > self.burst:
                tokens = float(self.burst)
            self._last = now
            if tokens < 1.0:
                self._tokens = tokens
                return False
            self._tokens = tokens - 1.0
            return True

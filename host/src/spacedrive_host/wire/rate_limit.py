"""Per-plugin request rate limiting (a token bucket per caller; never blocks)."""

from __future__ import annotations

import threading
import time

__all__ = ["RateLimiter", "TokenBucket"]


class TokenBucket:
    """``per_minute`` requests a minute, with bursts up to that many."""

    __slots__ = ("_last", "_lock", "_tokens", "per_minute")

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._tokens = float(per_minute)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        with self._lock:
            now = time.monotonic()
            cap = self.per_minute
            tokens = self._tokens + (now - self._last) * (cap / 60.0)
            if tokens > cap:
                tokens = float(cap)
            self._last = now
            if tokens < 1.0:
                self._tokens = tokens
                return False
            self._tokens = tokens - 1.0
            return True


class RateLimiter:
    """A token bucket per key (a plugin id), kept across reloads of that plugin."""

    def __init__(self) -> None:
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, key: str, per_minute: int) -> TokenBucket:
        """The key's bucket, at the given rate (a reload may change it)."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(per_minute)
            bucket.per_minute = per_minute
            return bucket

    def try_acquire(self, key: str, per_minute: int) -> bool:
        return self.bucket(key, per_minute).try_acquire()

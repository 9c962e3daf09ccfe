"""Per-plugin request rate limiting (a token bucket per caller; never blocks)."""

from __future__ import annotations

import threading

from ..rates import TokenBucket

__all__ = ["RateLimiter", "TokenBucket"]


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
                bucket = self._buckets[key] = TokenBucket.per_minute(per_minute)
            else:
                bucket.set_rate(per_minute / 60.0, per_minute)
            return bucket

    def try_acquire(self, key: str, per_minute: int) -> bool:
        return self.bucket(key, per_minute).try_acquire()

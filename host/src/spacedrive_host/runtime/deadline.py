"""Time accounting for one entry into the guest: the plugin's per-call time
limit counts the guest's own execution only, and one wall-clock bound covers
the whole call.

wasmtime's epoch deadline counts ticks of the host's epoch ticker, wherever
the thread is. So while the host serves a request the guest made (HTTP, OCR, a
library scan) the guest's remaining budget is frozen: when ticks passed during
the host call, the deadline is re-armed with what the guest had left before
its next instruction (the trampoline's ``wasm_alloc`` included). A host call
that took no tick costs the guest nothing and is not touched (the common,
fast case)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["EpochClock", "GuestDeadline"]


class EpochClock(Protocol):
    """The engine's epoch ticker (`engine.Runtime`)."""

    #: Ticks so far (read without a lock: an int attribute).
    ticks: int

    def deadline_ticks(self, timeout_ms: int) -> int: ...


class GuestDeadline:
    """The epoch deadline of one Store, armed at every entry into the guest."""

    __slots__ = (
        "_armed_at",
        "_budget",
        "_clock",
        "_left",
        "_set",
        "_timeout",
        "_wall_end",
        "wall_exceeded",
        "wall_s",
    )

    def __init__(
        self, set_deadline: Callable[[int], None], clock: EpochClock, timeout_ms: int, wall_s: float
    ) -> None:
        self._set = set_deadline
        self._clock = clock
        self._budget = clock.deadline_ticks(timeout_ms)
        self._timeout = f"its {timeout_ms} ms time limit (permissions.call_timeout_ms)"
        self.wall_s = wall_s
        self.wall_exceeded = False
        self._left = self._armed_at = 0
        self._wall_end = 0.0

    def arm(self) -> None:
        """Before entering the guest: the full guest budget, and the wall clock started."""
        self._left = self._budget
        self._armed_at = self._clock.ticks
        self._wall_end = time.monotonic() + self.wall_s
        self.wall_exceeded = False
        self._set(self._left)

    def host_started(self) -> int:
        """The guest called the host: the tick it did so at (pass it to `host_done`)."""
        return self._clock.ticks

    def host_done(self, started: int) -> None:
        """Before the guest runs again: the budget it had left, from now on; or, past
        the wall-clock bound, a deadline that interrupts it at once."""
        now = self._clock.ticks
        if now == started:
            return
        self._left = max(1, self._left - (started - self._armed_at))
        self._armed_at = now
        if time.monotonic() > self._wall_end:
            self.wall_exceeded = True
            self._set(0)
        else:
            self._set(self._left)

    def limit(self) -> str:
        """The limit an interrupted guest ran past, as a `Timeout` message names it."""
        if self.wall_exceeded:
            return f"the {self.wall_s:g} s wall-clock bound of one call"
        return self._timeout

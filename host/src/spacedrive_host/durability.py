"""Durability off a job step's critical path.

A job step's checkpoint is committed only once everything the step wrote is
durable; until then a crash resumes from the checkpoint before it, and the
step is done again (steps are idempotent). So within a step a write need not
be durable when it returns, only before the checkpoint: the job runner opens a
`StepWrites` around each step (`deferring`), a store that supports it hands
its durable write to a `Writer` thread and records the future there
(`current`), and the runner commits the checkpoint after `StepWrites.wait`,
on another thread, while the next step runs. Outside a step (the Python API,
the CLI, a plugin's own methods) nothing is deferred: a write is durable when
its call returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["StepWrites", "Writer", "current", "deferring"]


class StepWrites:
    """The background writes one job step made."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._futures: list[Future[None]] = []

    def add(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.append(future)

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._futures)

    def wait(self) -> None:
        """Until every write is durable; raises the first one's error if any failed."""
        with self._lock:
            futures = list(self._futures)
        errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error


_CURRENT: ContextVar[StepWrites | None] = ContextVar("spacedrive_step_writes", default=None)


@contextmanager
def deferring(writes: StepWrites) -> Iterator[StepWrites]:
    """Writes made on this thread inside the block may be deferred into ``writes``."""
    token = _CURRENT.set(writes)
    try:
        yield writes
    finally:
        _CURRENT.reset(token)


def current() -> StepWrites | None:
    """The step whose writes may be deferred, if this thread is running one."""
    return _CURRENT.get()


class Writer:
    """One background thread running writes in the order they were handed over
    (two writes of one file land in that order). Started on first use."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._closed = False

    def submit(self, fn: Callable[[], None]) -> Future[None]:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self._name} is closed")
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
            return self._pool.submit(fn)

    def close(self) -> None:
        """Runs what was handed over, then stops. Idempotent."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

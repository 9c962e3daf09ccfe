"""Which thread is inside which plugin, and which plugin each thread waits for:
a plugin's store serves one call at a time, so calls between plugins must never
wait in a circle.

On one thread, calling a plugin the thread is already inside is refused at
once (re-entrancy). Across threads, A calling B on one thread while B calls A
on another would wait forever: before a thread starts waiting for a plugin,
it follows the wait-for chain (the plugin's holder, what that thread waits
for, its holder ...); if the chain comes back to itself, the call is refused
with the cycle named, and the other side proceeds. Any wait is bounded anyway."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import Unavailable

__all__ = ["CallGraph"]

_get_ident = threading.get_ident


class CallGraph:
    """The wait-for graph of one plugin manager."""

    def __init__(self, wait_s: float) -> None:
        self._wait_s = wait_s
        self._lock = threading.Lock()
        self._holder: dict[str, int] = {}  # plugin id -> the thread inside it
        self._waits: dict[int, str] = {}  # thread -> the plugin it waits for
        self._local = threading.local()

    def refuse_reentry(self, plugin_id: str) -> list[str]:
        """Refused when this thread is already inside the plugin (calling it again would
        need its store twice); else this thread's stack, for `acquire` and `release`."""
        try:  # the plugins this thread is inside, outermost first
            stack: list[str] = self._local.stack
        except AttributeError:
            stack = self._local.stack = []
        if plugin_id in stack:
            raise Unavailable(f"re-entrant call into plugin {plugin_id!r}", plugin=plugin_id)
        return stack

    @contextmanager
    def inside(self, plugin_id: str, lock: threading.Lock) -> Iterator[None]:
        """Holds ``lock`` (the plugin's) for the block, unless waiting for it would never end."""
        stack = self.refuse_reentry(plugin_id)
        self.acquire(plugin_id, lock, stack)
        try:
            yield
        finally:
            self.release(plugin_id, lock, stack)

    def acquire(self, plugin_id: str, lock: threading.Lock, stack: list[str]) -> None:
        """Takes the plugin's ``lock`` for this thread (`inside` without the block; the
        manager's hot path). Refused when waiting would close a cycle, or past the bound."""
        me = _get_ident()
        if not lock.acquire(blocking=False):
            self._wait(lock, plugin_id, me, stack)
        # Single dict operations are atomic: the cycle check reads them under `_lock`.
        self._holder[plugin_id] = me
        stack.append(plugin_id)

    def release(self, plugin_id: str, lock: threading.Lock, stack: list[str]) -> None:
        stack.pop()
        self._holder.pop(plugin_id, None)
        lock.release()

    def _wait(self, lock: threading.Lock, plugin_id: str, me: int, stack: list[str]) -> None:
        with self._lock:
            cycle = self._cycle(plugin_id, me, stack)
            if cycle is not None:
                raise Unavailable("call cycle " + " -> ".join(cycle), plugin=plugin_id)
            self._waits[me] = plugin_id
        try:
            acquired = lock.acquire(timeout=self._wait_s)
        finally:
            with self._lock:
                self._waits.pop(me, None)
        if not acquired:
            raise Unavailable(
                f"plugin {plugin_id!r} stayed busy for {self._wait_s:g} s; retry", plugin=plugin_id
            )

    def _cycle(self, plugin_id: str, me: int, stack: list[str]) -> list[str] | None:
        """The plugins of the wait-for chain from here back to this thread, if it closes."""
        names = [*stack[-1:], plugin_id]
        seen = {me}
        holder = self._holder.get(plugin_id)
        while holder is not None and holder not in seen:
            seen.add(holder)
            wanted = self._waits.get(holder)
            if wanted is None:
                return None  # that thread is running: the chain ends, no cycle
            names.append(wanted)
            holder = self._holder.get(wanted)
        return names if holder == me else None

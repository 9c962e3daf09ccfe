"""One wasmtime Engine per host, its settings, and the epoch ticker that
enforces per-call time limits."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from importlib.metadata import version

import wasmtime

__all__ = ["WASMTIME_VERSION", "EngineSettings", "Runtime"]

#: The wasmtime-py release in use (the module itself has no `__version__`).
WASMTIME_VERSION = version("wasmtime")


@dataclass(frozen=True)
class EngineSettings:
    """Engine options. They are part of the compile-cache key."""

    #: How often the ticker advances the epoch; the granularity of time limits.
    epoch_tick_ms: int = 10
    #: Guest stack limit. Threads that call into plugins need a larger stack than this.
    max_wasm_stack: int = 1 << 20
    cranelift_opt_level: str = "speed"
    #: Each linear memory gets its whole 4 GiB address range reserved up front and
    #: never moves, so the host reads a memory's base address once per instance
    #: (its size is still re-read after every entry into the guest).
    fixed_memory: bool = True

    def fingerprint(self) -> str:
        """Everything that changes compiled code, as a cache-key component."""
        return (
            f"wasmtime={WASMTIME_VERSION};epoch=1;fuel=0;"
            f"stack={self.max_wasm_stack};opt={self.cranelift_opt_level};fixed={int(self.fixed_memory)}"
        )


class Runtime:
    """An Engine plus the single ticker thread that drives epoch interruption."""

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.settings = settings or EngineSettings()
        config = wasmtime.Config()
        config.epoch_interruption = True
        config.max_wasm_stack = self.settings.max_wasm_stack
        config.cranelift_opt_level = self.settings.cranelift_opt_level
        if self.settings.fixed_memory:
            config.memory_reservation = 1 << 32  # all a 32-bit memory can address
            config.memory_may_move = False
        # wasmtime's own disk cache stays off (its default): we keep our own,
        # verified one (see module_cache).
        self.engine = wasmtime.Engine(config)
        #: Epoch ticks so far (what `deadline.GuestDeadline` measures guest time in).
        self.ticks = 0
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="spacedrive-epoch", daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        interval = self.settings.epoch_tick_ms / 1000
        while not self._stop.wait(interval):
            self.engine.increment_epoch()
            self.ticks += 1

    def deadline_ticks(self, timeout_ms: int) -> int:
        """Epoch ticks for a time limit; +1 because the current tick is partly spent."""
        return max(1, math.ceil(timeout_ms / self.settings.epoch_tick_ms)) + 1

    def close(self) -> None:
        self._stop.set()
        if self._ticker.is_alive() and self._ticker is not threading.current_thread():
            self._ticker.join(timeout=1)

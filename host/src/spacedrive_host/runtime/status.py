"""What the host reports about a plugin: its status and a snapshot of its state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..manifest import Manifest
from .limits import LogRecord
from .module_cache import CacheOutcome

__all__ = ["PluginInfo", "PluginStatus"]


class PluginStatus(StrEnum):
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class PluginInfo:
    """A snapshot of one plugin's state, as `list()` and `info()` report it."""

    id: str
    directory: Path
    status: PluginStatus
    manifest: Manifest | None
    error: str | None = None
    cache: CacheOutcome | None = None
    load_ms: float | None = None
    calls: int = 0
    faults: int = 0
    recent_logs: tuple[LogRecord, ...] = ()
    logs_dropped: int = 0
    #: Seconds until the next restart attempt, when restarts are failing.
    retry_in_s: float | None = None

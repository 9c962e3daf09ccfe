"""The host's public limits on what crosses the ABI, and a plugin's log line."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HostLimits", "LogRecord"]


@dataclass(frozen=True)
class HostLimits:
    """Host-wide limits on what crosses the ABI."""

    max_payload_bytes: int = 64 << 20
    max_log_bytes: int = 4096
    log_history: int = 50
    #: Log lines a plugin may emit per second, with bursts up to `log_burst`;
    #: beyond that lines are dropped and counted.
    log_lines_per_second: float = 100.0
    log_burst: int = 1000
    #: First delay before re-creating a plugin whose restart failed; doubles
    #: with each consecutive failure, up to `restart_backoff_max_s`.
    restart_backoff_s: float = 0.5
    restart_backoff_max_s: float = 60.0
    #: The wall-clock bound of one call into a plugin: its guest time (limited by
    #: the manifest's ``call_timeout_ms``) plus the time the host spends serving
    #: the requests it makes (each bounded by its operation's own limits).
    max_call_wall_s: float = 300.0


@dataclass(frozen=True)
class LogRecord:
    level: str
    message: str

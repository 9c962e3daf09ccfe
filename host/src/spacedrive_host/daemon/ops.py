"""``daemon.*``: the operations only a daemon offers (plugin management, its status).

They are registry operations like any other, so JSON-RPC, GraphQL, the console and
``spacedrive op call`` reach them with no code of their own. Plugins never may.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Protocol

from pydantic import ConfigDict, Field

from ..errors import ErrorCode, PermissionDenied
from ..ops.plugins import PluginRef, PluginSummary, _summary
from ..runtime.status import PluginInfo
from ..wire.registry import Context, Empty, Model, Registry

__all__ = ["DaemonStatus", "register"]


class LoadPlugin(Model):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(description="A plugin directory (manifest.json + module) on the daemon's machine.")


class ReloadPlugin(Model):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="The loaded plugin's id.")
    path: str | None = Field(
        None, description="Load the new version from here (default: where it came from)."
    )


class DaemonStatus(Model):
    pid: int
    data_dir: str
    uptime_s: float
    http: str | None = Field(description="The loopback HTTP address, when the daemon serves one.")
    plugins: int
    in_flight: int = Field(description="Calls being served right now (this one included).")


class Unloaded(Model):
    id: str


class LoadedSummary(PluginSummary):
    load_ms: float | None = Field(description="How long loading (compile or cache, check, init) took.")
    cache: str | None = Field(description="The compile cache's outcome (hit, miss ...).")


class OperationInfo(Model):
    method: str
    scope: str
    description: str


class OperationList(Model):
    operations: list[OperationInfo]


class ResumedJobs(Model):
    ids: list[str] = Field(description="The jobs now queued again, from their last checkpoints.")


def _trusted(ctx: Context, method: str) -> None:
    if ctx.caller.is_plugin:
        raise PermissionDenied(f"{method} is for the daemon's local user, not for plugins")


def register(registry: Registry, status: DaemonStatusSource) -> None:
    errors = (ErrorCode.NOT_FOUND, ErrorCode.LOAD_FAILED, ErrorCode.INVALID_MANIFEST)

    @registry.query("daemon.status")
    def daemon_status(ctx: Context, _: Empty) -> DaemonStatus:
        """The daemon's pid, data directory, uptime, HTTP address and load."""
        _trusted(ctx, "query:daemon.status.v1")
        return DaemonStatus(
            pid=os.getpid(),
            data_dir=str(ctx.services.data_dir.root),
            uptime_s=round(time.monotonic() - status.started, 3),
            http=status.http_url,
            plugins=len(ctx.services.plugins.list()),
            in_flight=status.in_flight,
        )

    @registry.action("daemon.plugins.load", errors=errors)
    def load(ctx: Context, inp: LoadPlugin) -> LoadedSummary:
        """Loads a plugin directory into the running daemon (not installed: gone on restart)."""
        _trusted(ctx, "action:daemon.plugins.load.v1")
        return _loaded(ctx.services.plugins.load(Path(inp.path)))

    @registry.action("daemon.plugins.reload", errors=errors)
    def reload(ctx: Context, inp: ReloadPlugin) -> LoadedSummary:
        """Swaps in a plugin's new build only if it loads and initialises; else the old one keeps serving."""
        _trusted(ctx, "action:daemon.plugins.reload.v1")
        path = Path(inp.path) if inp.path else None
        return _loaded(ctx.services.plugins.reload(inp.id, path))

    @registry.query("daemon.operations")
    def operations(ctx: Context, _: Empty) -> OperationList:
        """Every operation the daemon serves (`spacedrive op list`)."""
        _trusted(ctx, "query:daemon.operations.v1")
        return OperationList(
            operations=[
                OperationInfo(method=op.method, scope=op.scope.value, description=op.description)
                for op in registry
            ]
        )

    @registry.action("daemon.jobs.resume")
    def resume_jobs(ctx: Context, _: Empty) -> ResumedJobs:
        """Queues every unfinished job again from its last checkpoint (`spacedrive job resume`)."""
        _trusted(ctx, "action:daemon.jobs.resume.v1")
        return ResumedJobs(ids=[j.id for j in ctx.services.jobs.resume_unfinished()])

    @registry.action("daemon.plugins.unload", errors=(ErrorCode.NOT_FOUND,))
    def unload(ctx: Context, inp: PluginRef) -> Unloaded:
        """Unloads a plugin (running its cleanup)."""
        _trusted(ctx, "action:daemon.plugins.unload.v1")
        ctx.services.plugins.unload(inp.id)
        return Unloaded(id=inp.id)


def _loaded(info: PluginInfo) -> LoadedSummary:
    cache = None if info.cache is None else str(info.cache)
    return LoadedSummary(**_summary(info).model_dump(), load_ms=info.load_ms, cache=cache)


class DaemonStatusSource:
    """What `daemon.status` reports that only the serving loop knows."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.http_url: str | None = None
        self.in_flight_source: _Counter | None = None

    @property
    def in_flight(self) -> int:
        return self.in_flight_source.in_flight if self.in_flight_source else 0


class _Counter(Protocol):
    in_flight: int

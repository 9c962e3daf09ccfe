"""The plugin lifecycle: load, call, reload, unload, list.

A plugin is a directory holding ``manifest.json`` and its module. Loading
validates the manifest, compiles (through the verified cache), checks the
module's shape against ABI v1, instantiates and runs ``plugin_init``. Reload
builds the new version completely before swapping it in. A faulted instance is
discarded and recreated on the next call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import wasmtime

from .. import fs
from ..errors import LoadError, NotFound, PluginError, Unavailable
from ..manifest import Manifest, load_manifest
from .callgraph import CallGraph
from .callpath import CallPath, select
from .component import ComponentInstance, check_world
from .core import CoreInstance
from .engine import Runtime
from .instance import HostServices, PluginInstance
from .limits import HostLimits, LogRecord
from .module_cache import CacheOutcome, Compiled, ModuleCache
from .shape import check_module_shape
from .status import PluginInfo, PluginStatus
from .wasm_binary import check_binary

__all__ = ["LoadedPlugin", "PluginInfo", "PluginManager", "PluginStatus", "restart_delay"]

log = logging.getLogger("spacedrive.runtime.plugins")


def restart_delay(failures: int, limits: HostLimits) -> float:
    """Seconds to wait after the ``failures``-th consecutive failed restart."""
    return float(min(limits.restart_backoff_s * 2 ** (failures - 1), limits.restart_backoff_max_s))


@dataclass
class LoadedPlugin:
    manifest: Manifest
    directory: Path
    #: A core module, or a component when the manifest's ``kind`` says so.
    module: Compiled
    instance: PluginInstance | None
    cache: CacheOutcome
    load_ms: float
    logs: deque[LogRecord]
    calls: int = 0
    faults: int = 0
    logs_dropped: int = 0
    restart_failures: int = 0
    retry_at: float = 0.0
    last_error: str | None = None
    #: Set once this version is replaced or unloaded; a call that raced with
    #: that looks the plugin up again instead of reviving the old version.
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The method names the manifest `provides` (looked up on every call).
    provided: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.provided = frozenset(m.name for m in self.manifest.provides)


@dataclass(frozen=True)
class _Failed:
    directory: Path
    error: PluginError


class PluginManager:
    """Owns every loaded plugin of one host. Thread-safe."""

    def __init__(
        self,
        runtime: Runtime,
        cache: ModuleCache,
        services: HostServices,
        limits: HostLimits | None = None,
        path: CallPath | None = None,
    ) -> None:
        self._runtime = runtime
        #: How calls cross into and out of every instance (chosen once, here).
        self.call_path = path or select()
        self._cache = cache
        self._services = services
        self._limits = limits or HostLimits()
        self._plugins: dict[str, LoadedPlugin] = {}
        self._failed: dict[str, _Failed] = {}
        self._lock = threading.RLock()
        # Who is inside which plugin: refuses re-entrant calls and call cycles.
        self._calls = CallGraph(wait_s=self._limits.max_call_wall_s)

    # -- building -----------------------------------------------------------

    def _build(self, directory: Path) -> LoadedPlugin:
        directory = directory.resolve()
        started = time.perf_counter()
        manifest = load_manifest(directory)
        wasm_path = directory / manifest.wasm_file
        try:
            wasm = fs.read_file(directory, manifest.wasm_file, max_bytes=fs.MAX_WASM_BYTES, error=LoadError)
        except OSError as exc:
            raise LoadError(f"cannot read {wasm_path}: {exc.strerror}", plugin=manifest.id) from None
        try:
            check_binary(manifest, wasm, wasm_path)
            module: Compiled
            if manifest.kind == "component":
                module, outcome = self._cache.load_component(wasm, source=str(wasm_path))
                check_world(self._runtime.engine, module, str(wasm_path))
            else:
                module, outcome = self._cache.load(wasm, source=str(wasm_path))
                check_module_shape(module, str(wasm_path))
            logs: deque[LogRecord] = deque(maxlen=self._limits.log_history)
            instance = self._instantiate(manifest, module, logs)
        except PluginError as exc:
            exc.plugin = exc.plugin or manifest.id
            raise
        elapsed = (time.perf_counter() - started) * 1000
        return LoadedPlugin(manifest, directory, module, instance, outcome, elapsed, logs)

    def _instantiate(self, manifest: Manifest, module: Compiled, logs: deque[LogRecord]) -> PluginInstance:
        if not isinstance(module, wasmtime.Module):
            return ComponentInstance(
                self._runtime.engine,
                module,
                manifest,
                self._services,
                clock=self._runtime,
                limits=self._limits,
                logs=logs,
            )
        return CoreInstance(
            self._runtime.engine,
            module,
            manifest,
            self._services,
            path=self.call_path,
            clock=self._runtime,
            limits=self._limits,
            logs=logs,
            fixed_memory=self._runtime.settings.fixed_memory,
        )

    # -- lifecycle ----------------------------------------------------------

    def load(self, directory: Path) -> PluginInfo:
        """Loads the plugin in ``directory``. Raises `LoadError` (or `ManifestError`) with the reason."""
        try:
            loaded = self._build(directory)
        except PluginError as exc:
            key = exc.plugin or directory.name
            with self._lock:
                if key not in self._plugins:
                    self._failed[key] = _Failed(directory.resolve(), exc)
            raise
        pid = loaded.manifest.id
        with self._lock:
            if pid in self._plugins:
                self._discard(loaded)
                raise LoadError(f"a plugin with id {pid!r} is already loaded; use reload", plugin=pid)
            self._plugins[pid] = loaded
            self._failed.pop(pid, None)
            self._failed.pop(directory.name, None)
        log.debug(
            "loaded plugin %s %s (%s, %.1f ms)",
            pid,
            loaded.manifest.version,
            loaded.cache,
            loaded.load_ms,
        )
        return self._info(loaded)

    def load_dir(self, plugins_dir: Path, *, skip: str | None = None) -> list[PluginInfo]:
        """Loads every plugin directory under ``plugins_dir`` (but ``skip``); failures
        are recorded and listed, not raised."""
        if not plugins_dir.is_dir():
            return []
        for sub in sorted(
            p for p in plugins_dir.iterdir() if p.is_dir() and not p.is_symlink() and p.name != skip
        ):
            try:
                self.load(sub)
            except PluginError as exc:
                log.warning("plugin in %s failed to load: %s", sub, exc)
        return self.list()

    def reload(self, plugin_id: str, directory: Path | None = None) -> PluginInfo:
        """Builds the new version first; swaps it in only if its ``plugin_init`` succeeded.

        On failure the old version keeps serving and the error is raised.
        """
        with self._lock:
            old = self._plugins.get(plugin_id)
            if old is None:
                raise NotFound(f"no plugin {plugin_id!r} is loaded", plugin=plugin_id)
            source = directory or old.directory
        new = self._build(source)
        if new.manifest.id != plugin_id:
            self._discard(new)
            raise LoadError(f"{source} holds plugin {new.manifest.id!r}, not {plugin_id!r}", plugin=plugin_id)
        with self._lock:
            self._plugins[plugin_id] = new
        with old.lock:
            self._discard(old)
        log.debug("reloaded plugin %s -> %s", plugin_id, new.manifest.version)
        return self._info(new)

    def unload(self, plugin_id: str) -> None:
        with self._lock:
            loaded = self._plugins.pop(plugin_id, None)
            self._failed.pop(plugin_id, None)
        if loaded is None:
            raise NotFound(f"no plugin {plugin_id!r} is loaded", plugin=plugin_id)
        with loaded.lock:
            self._discard(loaded)
        log.debug("unloaded plugin %s", plugin_id)

    @staticmethod
    def _drop_instance(loaded: LoadedPlugin) -> None:
        if loaded.instance is not None:
            loaded.logs_dropped += loaded.instance.logs_dropped
            loaded.instance.close()
            loaded.instance = None

    @classmethod
    def _discard(cls, loaded: LoadedPlugin) -> None:
        loaded.retired = True
        cls._drop_instance(loaded)

    def close(self) -> None:
        with self._lock:
            plugins = list(self._plugins.values())
            self._plugins.clear()
            self._failed.clear()
        for loaded in plugins:
            with loaded.lock:
                self._discard(loaded)

    # -- calls --------------------------------------------------------------

    def get(self, plugin_id: str) -> LoadedPlugin:
        with self._lock:
            loaded = self._plugins.get(plugin_id)
            failed = self._failed.get(plugin_id)
        if loaded is not None:
            return loaded
        if failed is not None:
            raise Unavailable(f"plugin {plugin_id!r} failed to load: {failed.error}", plugin=plugin_id)
        # The usual cause: never installed in this data directory (jobs and calls name an id).
        raise NotFound(
            f"no plugin {plugin_id!r} is loaded: install it with `spacedrive plugin load DIR`",
            plugin=plugin_id,
        )

    def call(
        self,
        plugin_id: str,
        method: str,
        json_in: bytes,
        tail: bytes = b"",
        *,
        library: UUID | None = None,
    ) -> tuple[bytes, bytes]:
        """Calls a method the plugin provides; raises the typed error on failure.

        ``library``: the library the call is made for (the guest can read it), checked by the caller.

        ``job:<name>`` runs one step of a job the manifest declares (the job runner's path).
        """
        calls = self._calls
        stack = calls.refuse_reentry(plugin_id)
        # Retried only if a reload or unload retired the version we looked up.
        plugins = self._plugins
        for _ in range(3):
            # One dict read is atomic; only a miss needs the lock (and its error).
            loaded = plugins.get(plugin_id) or self.get(plugin_id)
            if method in loaded.provided:
                pass
            elif method.startswith("job:"):
                job = method.removeprefix("job:")
                if not loaded.manifest.has_job(job):
                    raise NotFound(f"plugin {plugin_id!r} declares no job {job!r}", plugin=plugin_id)
            else:
                offered = ", ".join(m.name for m in loaded.manifest.provides) or "none"
                raise NotFound(
                    f"plugin {plugin_id!r} provides no method {method!r} (it provides: {offered})",
                    plugin=plugin_id,
                )
            lock = loaded.lock
            calls.acquire(plugin_id, lock, stack)
            try:
                if not loaded.retired:
                    # Under the plugin's lock (inline: the hot path).
                    instance = loaded.instance if loaded.instance is not None else self._restart(loaded)
                    loaded.calls += 1
                    try:
                        return instance.call(method, json_in, tail, library=library)
                    finally:
                        if instance.poisoned:
                            loaded.faults += 1
                            self._drop_instance(loaded)
            finally:
                calls.release(plugin_id, lock, stack)
        raise Unavailable(f"plugin {plugin_id!r} is being replaced; retry", plugin=plugin_id)

    def _restart(self, loaded: LoadedPlugin) -> PluginInstance:
        """A fresh instance after a fault (plugin_init runs again), with backoff when
        restarts keep failing, so a broken plugin costs nothing between attempts."""
        pid = loaded.manifest.id
        now = time.monotonic()
        if now < loaded.retry_at:
            raise Unavailable(
                f"plugin failed to restart {loaded.restart_failures} time(s); next attempt in "
                f"{loaded.retry_at - now:.1f} s; last error: {loaded.last_error}",
                plugin=pid,
            )
        try:
            instance = self._instantiate(loaded.manifest, loaded.module, loaded.logs)
        except PluginError as exc:
            loaded.restart_failures += 1
            loaded.retry_at = now + restart_delay(loaded.restart_failures, self._limits)
            loaded.last_error = str(exc)
            log.warning("plugin %s failed to restart (%d): %s", pid, loaded.restart_failures, exc)
            raise
        loaded.restart_failures, loaded.retry_at, loaded.last_error = 0, 0.0, None
        loaded.instance = instance
        return instance

    def instance(self, plugin_id: str) -> PluginInstance:
        """The plugin's live instance (restarted if it faulted), for tests and tools
        that inspect guest memory directly."""
        loaded = self.get(plugin_id)
        with loaded.lock:
            return loaded.instance if loaded.instance is not None else self._restart(loaded)

    # -- inspection ---------------------------------------------------------

    def _info(self, loaded: LoadedPlugin) -> PluginInfo:
        inst = loaded.instance
        failing = loaded.restart_failures > 0
        retry_in = max(0.0, loaded.retry_at - time.monotonic()) if failing else None
        return PluginInfo(
            id=loaded.manifest.id,
            directory=loaded.directory,
            status=PluginStatus.FAILED if failing else PluginStatus.READY,
            manifest=loaded.manifest,
            error=(
                f"restart failed {loaded.restart_failures} time(s), next attempt in {retry_in:.1f} s: "
                f"{loaded.last_error}"
                if failing
                else None
            ),
            cache=loaded.cache,
            load_ms=loaded.load_ms,
            calls=loaded.calls,
            faults=loaded.faults,
            recent_logs=tuple(loaded.logs),
            logs_dropped=loaded.logs_dropped + (inst.logs_dropped if inst is not None else 0),
            retry_in_s=retry_in,
        )

    def info(self, plugin_id: str) -> PluginInfo:
        with self._lock:
            loaded = self._plugins.get(plugin_id)
            failed = self._failed.get(plugin_id)
        if loaded is not None:
            return self._info(loaded)
        if failed is not None:
            return PluginInfo(plugin_id, failed.directory, PluginStatus.FAILED, None, str(failed.error))
        raise NotFound(f"no plugin {plugin_id!r} is loaded", plugin=plugin_id)

    def list(self) -> list[PluginInfo]:
        with self._lock:
            ids = sorted({*self._plugins, *self._failed})
        out = []
        for pid in ids:
            try:
                out.append(self.info(pid))
            except NotFound:  # unloaded meanwhile
                continue
        return out

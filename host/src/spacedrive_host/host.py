"""`Host`: one engine, one registry, one plugin manager; the Python API's entry point."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any
from uuid import UUID

from .ai import Classifier, OcrEngine
from .credentials import Vault
from .data_dir import DataDir, default_model_cache
from .errors import Unavailable
from .jobs import JobRunner, JobStore
from .library import Grants, LibraryStore
from .manifest import Manifest
from .net import HttpProxy, NetPolicy
from .ops import register_builtin
from .ops.plugins import PluginCall, encode_input
from .runtime.engine import EngineSettings, Runtime
from .runtime.limits import HostLimits, LogRecord
from .runtime.manager import PluginInfo, PluginManager
from .runtime.module_cache import ModuleCache
from .services import Services
from .storage import PluginStorage
from .wire.caller import Caller
from .wire.dispatch import Payload, PluginEndpoint, Response, Wire
from .wire.registry import Registry

__all__ = ["Host"]

_LOG_LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}


_PYTHON = Caller.trusted("python")
_PLUGINS_CALL = "action:plugins.call.v1"


class Host:
    """A plugin host.

    Example:
        ```python
        from spacedrive_host import Host

        with Host(data_dir=tmp) as host:
            host.plugins.load(Path("build/plugins/hello"))
            out = host.call_plugin("hello", "greet", {"name": "Ada"})
            print(out.data()["output"]["greeting"])
        ```

    Args:
        data_dir: where installed plugins and the compile cache live; defaults
            to `$SPACEDRIVE_DATA_DIR` or the platform's user data folder.
        compile_cache: keep compiled modules on disk (verified before reuse).
        registry: the operations to serve; the built-in ones by default.
        limits: host-wide limits on what crosses the ABI.
        net_policy: what outbound requests may reach (https, public addresses
            by default; tests allow loopback).
        model_cache: where the AI models are unpacked and trained models kept;
            the user's cache folder (`~/.cache/spacedrive/models`) by default.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        compile_cache: bool = True,
        registry: Registry | None = None,
        limits: HostLimits | None = None,
        engine_settings: EngineSettings | None = None,
        net_policy: NetPolicy | None = None,
        model_cache: Path | None = None,
    ) -> None:
        self.data_dir = DataDir(data_dir).create()
        self.limits = limits or HostLimits()
        # The stores first: one that is damaged fails the start (`DamagedStore`) before
        # anything with a thread exists, and whatever was opened is closed again.
        with ExitStack() as opened:
            self.library = LibraryStore(self.data_dir.root)
            opened.callback(self.library.close)
            self.grants = Grants(self.library)
            self.http = HttpProxy(
                net_policy or NetPolicy(), max_response_bytes=self.limits.max_payload_bytes - 1024
            )
            opened.callback(self.http.close)
            self.vault = Vault(self.data_dir.root, self.http)
            opened.callback(self.vault.close)
            self.storage = PluginStorage(self.data_dir.root)
            opened.callback(self.storage.close)
            job_store = JobStore(self.data_dir.root)
            opened.pop_all()
        # The AI engines load their models on first use, not here.
        self.ocr = OcrEngine(self.data_dir.root / "cache" / "ocr")
        # Trained and unpacked models are content-addressed (data hash, library versions), so
        # every data directory of the user shares them: no 90 MB copy of the encoder per host.
        self.classifier = Classifier(model_cache or default_model_cache())
        self.runtime = Runtime(engine_settings)
        self.registry = registry if registry is not None else register_builtin(Registry())
        cache = ModuleCache(
            self.runtime.engine,
            self.data_dir.module_cache if compile_cache else None,
            self.runtime.settings.fingerprint(),
        )
        self.plugins = PluginManager(self.runtime, cache, self, self.limits)
        self.jobs = JobRunner(self.plugins, job_store)
        self.services = Services(
            library=self.library,
            grants=self.grants,
            vault=self.vault,
            storage=self.storage,
            http=self.http,
            jobs=self.jobs,
            plugins=self.plugins,
            limits=self.limits,
            data_dir=self.data_dir,
            ocr=self.ocr,
            classifier=self.classifier,
        )
        # Instances reach the wire through `endpoint`, which runs only once a plugin loads.
        self.wire = Wire(self.registry, self.services)
        #: ``plugins.call``'s direct entry (`Wire.direct`), resolved on the first `call_plugin`.
        self._plugin_call: Callable[..., Response] | None = None
        self._closed = False

    # -- the Python API -----------------------------------------------------

    def execute(
        self,
        method: str,
        payload: Payload = None,
        *,
        library_id: UUID | None = None,
        tail: bytes = b"",
        caller: Caller | None = None,
    ) -> Response:
        """Runs an operation from the registry, as the Python API (a trusted caller) by default."""
        self._check_open()
        return self.wire.execute(method, library_id, payload, caller or _PYTHON, tail=tail)

    def call_plugin(
        self,
        plugin_id: str,
        method: str,
        input: Any = None,
        *,
        tail: bytes = b"",
        library_id: UUID | None = None,
    ) -> Response:
        """Calls a method a plugin provides, through the ``action:plugins.call.v1`` operation.
        ``input``: anything JSON-serialisable; it is serialised once, straight for the plugin.
        ``library_id``: the library the call is made for (the plugin must be granted it)."""
        if self._closed:
            raise Unavailable("the host is closed")
        direct = self._plugin_call
        if direct is None:
            direct = self._plugin_call = self.wire.direct(_PLUGINS_CALL, _PYTHON)
            if direct is None:  # a registry without it: the wire says what is missing
                self._plugin_call = None
                return self.wire.execute(
                    _PLUGINS_CALL,
                    None,
                    PluginCall.encoded(plugin_id, method, input, library_id),
                    _PYTHON,
                    tail=tail,
                )
        return direct(plugin_id, method, encode_input(input), tail, library_id)

    def load_installed(self, *, skip: str | None = None) -> list[PluginInfo]:
        """Loads every plugin installed in the data directory (but ``skip``).

        Failures are logged and listed, not raised."""
        return self.plugins.load_dir(self.data_dir.plugins, skip=skip)

    # -- HostServices (called by plugin instances) --------------------------

    def endpoint(self, manifest: Manifest) -> PluginEndpoint:
        return self.wire.endpoint(manifest)

    def plugin_log(self, manifest: Manifest, record: LogRecord) -> None:
        logging.getLogger(f"spacedrive.plugin.{manifest.id}").log(
            _LOG_LEVELS.get(record.level, logging.WARNING), "%s", record.message
        )

    # -- lifetime -----------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise Unavailable("the host is closed")

    def close(self) -> None:
        """Unloads every plugin (running its cleanup) and stops the engine's ticker. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.jobs.close()  # unfinished jobs resume on the next start (`jobs.resume_unfinished`)
        self.jobs.store.close()
        self.plugins.close()
        self.runtime.close()
        self.library.close()
        self.vault.close()
        self.storage.close()
        self.http.close()

    def __enter__(self) -> Host:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

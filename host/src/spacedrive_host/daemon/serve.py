"""`Daemon`: one long-lived host, its plugins loaded and unfinished jobs resumed,
served over a Unix socket and, when asked, loopback HTTP.

Shutdown (SIGTERM, SIGINT or `stop`): stop accepting, let running calls finish
within ``grace_s``, then close the host (jobs stop after their current step, at
a checkpoint; plugins are unloaded), remove the socket and release the lock.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from ..data_dir import DataDir
from ..host import Host
from ..ops import register_builtin
from ..wire.registry import Registry
from . import ops
from .http import HttpServer, write_token
from .lock import DataDirLock
from .protocol import HTTP_FILE, MAX_REQUEST_BYTES, TOKEN_FILE, socket_path
from .rpc import Dispatcher
from .unix import UnixRpcServer
from .watch import Watcher

__all__ = ["Daemon"]

log = logging.getLogger("spacedrive.daemon")


class Daemon:
    """Args:
    data_dir: as for `Host`.
    http_port: serve HTTP on 127.0.0.1 at this port (0: any free one); None: no HTTP.
    watch: plugin build folders to load and reload on change (dev mode).
    grace_s: how long running calls may take to finish at shutdown.
    max_request_bytes: a larger request is refused (`invalid request` / HTTP 413).
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        http_port: int | None = None,
        watch: list[Path] | None = None,
        grace_s: float = 10.0,
        max_request_bytes: int = MAX_REQUEST_BYTES,
    ) -> None:
        self.data_dir = DataDir(data_dir).create().root
        self.http_port = http_port
        self.grace_s = grace_s
        self.max_request_bytes = max_request_bytes
        self._watch = watch or []
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = DataDirLock(self.data_dir)
        self.status = ops.DaemonStatusSource()
        self.host: Host | None = None
        self.unix: UnixRpcServer | None = None
        self.http: HttpServer | None = None
        self._watcher: Watcher | None = None
        self.token: str | None = None
        self.dispatcher: Dispatcher | None = None

    def start(self) -> Daemon:
        self._lock.acquire()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        registry = register_builtin(Registry())
        ops.register(registry, self.status)
        self.host = host = Host(self.data_dir, registry=registry)
        for info in host.load_installed():
            if info.status != "ready":
                log.warning("plugin %s failed to load: %s", info.id, info.error)
        resumed = host.jobs.resume_unfinished()
        if resumed:
            log.info("resumed %d unfinished job(s)", len(resumed))
        if self._watch:
            self._watcher = Watcher(host.plugins, self._watch)
            self._watcher.start()
        dispatcher = Dispatcher(host)
        self.dispatcher = dispatcher
        self.status.in_flight_source = dispatcher
        self.unix = UnixRpcServer(socket_path(self.data_dir), dispatcher, self.max_request_bytes)
        self._serve_in_thread(self.unix.serve_forever, "spacedrive-unix")
        log.info("serving JSON-RPC on %s", self.unix.path)
        if self.http_port is not None:
            from .console import Console
            from .graphql import build_schema, executor, streamer  # the daemon extra: strawberry

            self.token = write_token(self.data_dir / TOKEN_FILE)
            schema = build_schema(host)
            self.http = HttpServer(
                self.http_port,
                self.token,
                dispatcher,
                executor(schema),
                streamer(schema),
                Console(host),
                self.max_request_bytes,
            )
            self.status.http_url = self.http.url
            (self.data_dir / HTTP_FILE).write_text(self.http.url + "\n")
            self._serve_in_thread(self.http.serve_forever, "spacedrive-http")
            log.info("serving HTTP on %s (token in %s)", self.http.url, self.data_dir / TOKEN_FILE)

    def _serve_in_thread(self, fn: Callable[[], object], name: str) -> None:
        t = threading.Thread(target=fn, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def serve_forever(self) -> None:
        """Until SIGTERM or SIGINT (call from the main thread), then a graceful stop."""

        def on_signal(signum: int, frame: FrameType | None) -> None:
            log.info("%s: shutting down", signal.Signals(signum).name)
            self._stopped.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._stopped.wait()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            self.stop()

    def request_stop(self) -> None:
        self._stopped.set()

    def stop(self) -> None:
        """Graceful and idempotent."""
        self._stopped.set()
        for server in (self.unix, self.http):
            if server is not None:
                server.shutdown()  # stop accepting; connections being served go on
        if self._watcher is not None:
            self._watcher.stop()
        if self.dispatcher is not None and not self.dispatcher.drain(self.grace_s):
            n = self.dispatcher.in_flight
            log.warning("%d call(s) still running after %.0f s; closing anyway", n, self.grace_s)
        for server in (self.unix, self.http):
            if server is not None:
                server.close() if isinstance(server, UnixRpcServer) else server.server_close()
        self.unix = self.http = None
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / HTTP_FILE).unlink()
        if self.host is not None:
            self.host.close()
            self.host = None
        self._lock.release()
        log.info("stopped")

    def __enter__(self) -> Daemon:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""JSON-RPC over a Unix socket: one request per line, one reply per line.

Each connection has its own thread, so a slow or stalled client holds only its
own; a partial line times out, an oversized one is refused and the connection
closed (a stream cannot be resynchronised after it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import socketserver
import threading
from pathlib import Path

from .protocol import INVALID_REQUEST, MAX_REQUEST_BYTES
from .rpc import Dispatcher, _dump, _error

__all__ = ["UnixRpcServer"]

log = logging.getLogger("spacedrive.daemon")

#: Seconds a client may take to send the rest of a request line.
READ_TIMEOUT_S = 30.0
#: Connections served at once; more are refused with an error reply.
MAX_CONNECTIONS = 128


class _Handler(socketserver.StreamRequestHandler):
    server: UnixRpcServer

    def handle(self) -> None:
        if not self.server.slots.acquire(blocking=False):
            self._send(_dump(_error(None, INVALID_REQUEST, "too many connections; retry later")))
            return
        try:
            self._serve()
        finally:
            self.server.slots.release()

    def _serve(self) -> None:
        self.connection.settimeout(READ_TIMEOUT_S)
        while not self.server.closing.is_set():
            try:
                line = self.rfile.readline(self.server.max_request_bytes + 1)
            except (TimeoutError, OSError):
                return  # stalled or gone: only this connection is dropped
            if not line:
                return
            if len(line) > self.server.max_request_bytes:
                msg = f"invalid request: larger than {self.server.max_request_bytes} bytes"
                self._send(_dump(_error(None, INVALID_REQUEST, msg)))
                return
            if not line.strip():
                continue
            reply = self.server.dispatcher.handle(line)
            if reply is not None and not self._send(reply):
                return

    def _send(self, reply: bytes) -> bool:
        try:
            self.wfile.write(reply + b"\n")
            self.wfile.flush()
        except OSError:
            return False  # the client left mid-call; the call itself has finished
        return True


class UnixRpcServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self, path: Path, dispatcher: Dispatcher, max_request_bytes: int = MAX_REQUEST_BYTES
    ) -> None:
        self.dispatcher = dispatcher
        self.max_request_bytes = max_request_bytes
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.closing = threading.Event()
        self.path = path
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # stale: whoever made it no longer holds the data directory's lock
        old = os.umask(0o177)  # created 0600: only this user may connect
        try:
            super().__init__(str(path), _Handler)
        finally:
            os.umask(old)

    def close(self) -> None:
        self.closing.set()
        self.server_close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: object
    ) -> None:
        log.exception("unix socket connection failed")

"""JSON-RPC over a Unix socket: one request per line, one reply per line.

One thread serves every connection from an epoll set. With a thread per
connection the GIL changed hands at every blocking syscall of every request, and
that convoy made 4 clients slower than one; here a request costs a wait, one read
and one write, and no hand-off. Each connection is armed one-shot, so only one
thread reads it at a time and its replies keep their order.

A call that is slow (a plugin spinning to its deadline) must not hold the other
connections up: when every serving thread has been inside a call for
``PROMOTE_AFTER_S`` with no request finished, the watching thread starts another;
a surplus one leaves as soon as it finds another thread waiting.

A partial line times out, an oversized one is refused and its connection closed
(a stream cannot be resynchronised after it); a client that does not read its
replies is dropped after ``SEND_TIMEOUT_S``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
import socket
import struct
import threading
import time
from pathlib import Path

from .progress import peer_left
from .protocol import INVALID_REQUEST, MAX_BATCH_REPLY_BYTES, MAX_REQUEST_BYTES
from .rpc import Dispatcher, _dump, _error

__all__ = ["UnixRpcServer"]

log = logging.getLogger("spacedrive.daemon")

#: Seconds a client may take to send the rest of a request line.
READ_TIMEOUT_S = 30.0
#: Seconds a reply may wait for a client that does not read.
SEND_TIMEOUT_S = 30.0
#: Connections served at once; more are refused with an error reply.
MAX_CONNECTIONS = 128
#: How long every serving thread may be stuck in calls before another one starts.
PROMOTE_AFTER_S = 0.02
_CHUNK = 256 * 1024
#: Pause before accepting again when the process is out of descriptors.
_ACCEPT_BACKOFF_S = 0.1
_ARMED = select.EPOLLIN | select.EPOLLONESHOT


class _Conn:
    __slots__ = ("buf", "owned", "partial_since", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()
        self.owned = False  # a serving thread is reading it (it is disarmed meanwhile)
        self.partial_since = 0.0  # when the unfinished line in `buf` began


class UnixRpcServer:
    def __init__(
        self, path: Path, dispatcher: Dispatcher, max_request_bytes: int = MAX_REQUEST_BYTES
    ) -> None:
        self.dispatcher = dispatcher
        self.max_request_bytes = max_request_bytes
        self.closing = threading.Event()
        self.path = path
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # stale: whoever made it no longer holds the data directory's lock
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # created 0600: only this user may connect
        try:
            self._listener.bind(str(path))
        finally:
            os.umask(old)
        self._listener.listen(MAX_CONNECTIONS)
        self._listener.setblocking(False)
        self._listen_fd = self._listener.fileno()
        self._ep = select.epoll()
        self._ep.register(self._listen_fd, _ARMED)
        self._mu = threading.Lock()
        self._conns: dict[int, _Conn] = {}
        self._accepting = True
        self._idle = 0  # serving threads waiting in epoll
        self._serving = 0  # serving threads alive
        self._finished = 0  # requests answered (the watcher only looks for change)

    @property
    def connections(self) -> int:
        """Connections open now."""
        with self._mu:
            return len(self._conns)

    # -- lifecycle (what `Daemon` drives) --------------------------------------------

    def serve_forever(self) -> None:
        """Until `close`: starts the first serving thread, then watches for stuck ones
        and for partial lines past their time."""
        self._spawn()
        seen = -1
        while not self.closing.wait(PROMOTE_AFTER_S):
            now = time.monotonic()
            with self._mu:
                stuck = self._idle == 0 and self._finished == seen
                seen = self._finished
                for fd, conn in list(self._conns.items()):
                    if not conn.owned and conn.partial_since and now - conn.partial_since > READ_TIMEOUT_S:
                        self._drop(fd)
            if stuck:
                self._spawn()

    def shutdown(self) -> None:
        """Stops accepting; connections already open go on being served until `close`."""
        with self._mu:
            if self._accepting:
                self._accepting = False
                with contextlib.suppress(OSError, ValueError):
                    self._ep.unregister(self._listen_fd)
                self._listener.close()

    def close(self) -> None:
        self.shutdown()
        self.closing.set()
        with self._mu:
            for fd in list(self._conns):
                self._drop(fd)
            self._ep.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    # -- serving threads -------------------------------------------------------------

    def _spawn(self) -> None:
        with self._mu:
            if self.closing.is_set() or self._serving > MAX_CONNECTIONS:
                return
            self._serving += 1
        threading.Thread(target=self._serve_loop, name="spacedrive-unix-serve", daemon=True).start()

    def _serve_loop(self) -> None:
        try:
            while not self.closing.is_set():
                with self._mu:
                    self._idle += 1
                try:
                    events = self._ep.poll(0.5, 1)
                except (OSError, ValueError):
                    return  # closed
                finally:
                    with self._mu:
                        self._idle -= 1
                for fd, _ in events:
                    if fd == self._listen_fd:
                        self._accept()
                    else:
                        self._ready(fd)
                with self._mu:
                    if self._idle > 0 and self._serving > 1:
                        return  # surplus: another thread is waiting already
        except Exception:  # a bug here must not leave connections unserved
            log.exception("unix socket serving thread failed")
            self._spawn()
        finally:
            with self._mu:
                self._serving -= 1

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE):
                    # Out of descriptors: the queued client stays ready, so re-arming at once would spin.
                    log.warning("unix socket: cannot accept a connection: %s; retrying", exc)
                    time.sleep(_ACCEPT_BACKOFF_S)
                break
            except ValueError:  # the listener closed under us
                break
            sock.setblocking(True)
            # Bounded writes: a client that stops reading is dropped, not waited for forever.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(SEND_TIMEOUT_S))
            with self._mu:
                full = len(self._conns) >= MAX_CONNECTIONS
                if not full:
                    self._conns[sock.fileno()] = _Conn(sock)
                    self._ep.register(sock.fileno(), _ARMED)
            if full:
                with contextlib.suppress(OSError):
                    sock.sendall(_line(_error(None, INVALID_REQUEST, "too many connections; retry later")))
                sock.close()
        with self._mu:
            if self._accepting:
                self._ep.modify(self._listen_fd, _ARMED)

    def _ready(self, fd: int) -> None:
        with self._mu:
            conn = self._conns.get(fd)
            if conn is None or conn.owned:
                return
            conn.owned = True
        try:
            keep = self._read(conn)
        except Exception:  # a bug must cost this connection at most, never leave it owned forever
            log.exception("unix socket connection failed")
            keep = False
        with self._mu:
            conn.owned = False
            if self._conns.get(fd) is not conn:
                return
            if keep and not self.closing.is_set():
                self._ep.modify(fd, _ARMED)
            else:
                self._drop(fd)

    def _drop(self, fd: int) -> None:
        """Under ``_mu``."""
        conn = self._conns.pop(fd)
        with contextlib.suppress(OSError, ValueError):
            self._ep.unregister(fd)
        conn.sock.close()

    def _read(self, conn: _Conn) -> bool:
        """Answers every complete line that has arrived; False to drop the connection."""
        try:
            data = conn.sock.recv(_CHUNK, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not data:
            return False  # the client closed its end
        buf = conn.buf
        scan = len(buf)
        buf += data
        try:
            replies, start, keep = self._answer(conn, scan)
        except OSError:
            return False  # a flush of pipelined replies failed: the client left or stopped reading
        del buf[:start]
        if not buf:
            conn.partial_since = 0.0
        elif start or not conn.partial_since:
            conn.partial_since = time.monotonic()
        if replies:
            try:
                conn.sock.sendall(b"".join(replies))  # one write per batch of requests read
            except OSError:
                return False  # the client left mid-call, or stopped reading; the calls have finished
        return keep

    def _answer(self, conn: _Conn, scan: int) -> tuple[list[bytes], int, bool]:
        """The replies to the complete lines in ``conn.buf`` (a newline at or after ``scan``),
        where the rest begins, and False if a line is too large (the last reply says so)."""
        buf = conn.buf
        limit = self.max_request_bytes
        replies: list[bytes] = []
        pending = 0
        start = 0
        while (end := buf.find(b"\n", scan)) >= 0 and end - start <= limit:
            line = bytes(buf[start:end])
            start = scan = end + 1
            if line.strip():
                reply = self.dispatcher.handle(line, _Stream(self, conn, replies))
                if reply is not None:
                    replies.append(reply + b"\n")
                    pending += len(reply) + 1
                self._finished += 1
            if pending > MAX_BATCH_REPLY_BYTES:  # many pipelined lines: their replies go out now
                conn.sock.sendall(b"".join(replies))
                replies.clear()
                pending = 0
        if buf.find(b"\n", scan) >= 0 or len(buf) - start > limit:
            msg = f"invalid request: larger than {limit} bytes"
            replies.append(_line(_error(None, INVALID_REQUEST, msg)))
            return replies, start, False
        return replies, start, True


class _Stream:
    """`progress.Stream` on one connection; the replies not yet sent go out first."""

    __slots__ = ("_conn", "_pending", "_server")

    def __init__(self, server: UnixRpcServer, conn: _Conn, pending: list[bytes]) -> None:
        self._server = server
        self._conn = conn
        self._pending = pending

    def send(self, message: dict[str, object]) -> bool:
        data = b"".join(self._pending) + _line(message)
        self._pending.clear()
        try:
            self._conn.sock.sendall(data)
        except OSError:
            return False
        return True

    def client_left(self) -> bool:
        return peer_left(self._conn.sock)

    def stopping(self) -> bool:
        return self._server.closing.is_set()


def _line(reply: object) -> bytes:
    return _dump(reply) + b"\n"


def _timeval(seconds: float) -> bytes:
    return struct.pack("ll", int(seconds), int((seconds % 1) * 1_000_000))

"""A JSON-RPC client for the daemon's Unix socket (standard library only: the CLI
imports it on every command, and a call must start fast).

    with DaemonClient.connect(data_dir) as client:
        client.execute("query:core.version.v1").data()
"""

from __future__ import annotations

import itertools
import os
import socket

from ..data_dir import root_path
from ..errors import PluginError, Unavailable, error_for_code
from . import lean_json
from .protocol import SOCKET_FILE, decode_tail, encode_tail

TYPE_CHECKING = False  # not `typing`'s: a CLI call through the daemon must not import it
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from types import TracebackType
    from typing import Any
    from uuid import UUID

__all__ = ["DaemonClient", "RemoteResponse"]


class RemoteResponse:
    """What `Host.execute` returns, as the daemon sent it: ``data()`` and ``tail``.
    (A plain class: `dataclasses` would cost a daemon call more than the call.)"""

    __slots__ = ("output", "tail")

    def __init__(self, output: Any, tail: bytes = b"") -> None:
        self.output = output
        self.tail = tail

    def data(self) -> Any:
        return self.output

    def __repr__(self) -> str:
        return f"RemoteResponse({self.output!r}, {self.tail!r})"


class DaemonClient:
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._file = sock.makefile("rb")
        self._ids = itertools.count(1)

    @classmethod
    def connect(cls, data_dir: str | Path | None) -> DaemonClient | None:
        """A connection to the daemon serving ``data_dir``, or None if none serves it."""
        path = os.path.join(root_path(None if data_dir is None else str(data_dir)), SOCKET_FILE)
        if not os.path.exists(path):
            return None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
        except (ConnectionRefusedError, FileNotFoundError):
            sock.close()
            return None  # a socket left by a daemon that died: run embedded
        return cls(sock)

    def request(self, method: str, params: dict[str, Any]) -> Any:
        """One JSON-RPC call; its result, or the typed error the daemon answered with."""
        id_ = next(self._ids)
        line = lean_json.compact({"jsonrpc": "2.0", "id": id_, "method": method, "params": params})
        try:
            self._sock.sendall(line.encode() + b"\n")
            reply = self._file.readline()
        except OSError as exc:
            raise Unavailable(f"the daemon connection failed: {exc}") from None
        if not reply:
            raise Unavailable("the daemon closed the connection (stopped?)")
        message = lean_json.loads(reply.decode())
        if "error" in message:
            raise _remote_error(message["error"])
        if message.get("id") != id_:
            raise Unavailable(f"the daemon answered request {message.get('id')!r}, not {id_}")
        return message["result"]

    def execute(
        self, method: str, payload: Any = None, *, library_id: UUID | None = None, tail: bytes = b""
    ) -> RemoteResponse:
        """As `Host.execute`, through the daemon."""
        params: dict[str, Any] = {}
        if payload is not None:
            params["input"] = payload
        if library_id is not None:
            params["library"] = str(library_id)
        if tail:
            params["tail"] = encode_tail(tail)
        result = self.request(method, params)
        return RemoteResponse(result["output"], decode_tail(result["tail"]))

    def call_plugin(
        self, plugin_id: str, method: str, input: Any = None, *, tail: bytes = b""
    ) -> RemoteResponse:
        payload = {"plugin": plugin_id, "method": method, "input": input}
        return self.execute("action:plugins.call.v1", payload, tail=tail)

    def watch_job(self, job_id: str) -> Iterator[dict[str, Any]]:
        """The job's state each time it changes (``query:jobs.status.v1``'s answer), pushed
        by the daemon (``jobs.watch``) until the job ends; the last one is its final state.
        The connection carries nothing else meanwhile: to stop watching early, close it."""
        id_ = next(self._ids)
        request = {"jsonrpc": "2.0", "id": id_, "method": "jobs.watch", "params": {"input": {"id": job_id}}}
        try:
            self._sock.sendall(lean_json.compact(request).encode() + b"\n")
            while line := self._file.readline():
                message = lean_json.loads(line.decode())
                if "id" not in message:
                    yield message["params"]
                    continue
                if "error" in message:
                    raise _remote_error(message["error"])
                return
        except OSError as exc:
            raise Unavailable(f"the daemon connection failed: {exc}") from None
        raise Unavailable("the daemon closed the connection (stopped?)")

    def close(self) -> None:
        self._file.close()
        self._sock.close()

    def __enter__(self) -> DaemonClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _remote_error(err: dict[str, Any]) -> PluginError:
    data = err.get("data") or {}
    return error_for_code(data.get("code", "internal"), err.get("message", ""), plugin=data.get("plugin"))

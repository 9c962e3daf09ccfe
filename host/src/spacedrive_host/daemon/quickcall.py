"""One JSON-RPC call over the daemon's Unix socket, for `spacedrive op call`.

`socket` (with `selectors` and `enum`) and `json` (with `re`) take longer to
import than the call takes; `_socket` and `_json` (see `lean_json`) are what they
wrap. `DaemonClient` is the client for everything else.
"""

from __future__ import annotations

import _socket
import os

from . import lean_json

TYPE_CHECKING = False  # not `typing`'s
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SOCKET_FILE", "call"]

#: The socket's name in the data directory.
SOCKET_FILE = "daemon.sock"


class Unreachable(Exception):
    """The connection failed after it was made (the daemon stopped mid-call?)."""


def call(data_dir: str, method: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """The daemon's reply (``result`` or ``error``) to one request, or None if no
    daemon serves ``data_dir``. Raises `Unreachable` if it goes away mid-call."""
    path = os.path.join(data_dir, SOCKET_FILE)
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        try:
            sock.connect(path)
        except OSError:
            return None  # none, or a socket left by a daemon that died: run embedded
        request = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        try:
            sock.sendall(lean_json.compact(request).encode() + b"\n")
            chunks = []
            while True:
                chunk = sock.recv(1 << 16)
                if not chunk:
                    raise Unreachable("the daemon closed the connection (stopped?)")
                chunks.append(chunk)
                if chunk.endswith(b"\n"):
                    break
        except OSError as exc:
            raise Unreachable(f"the daemon connection failed: {exc}") from None
    finally:
        sock.close()
    reply: dict[str, Any] = lean_json.loads(b"".join(chunks).decode())
    if "error" not in reply and reply.get("id") != 1:
        raise Unreachable(f"the daemon answered request {reply.get('id')!r}, not 1")
    return reply

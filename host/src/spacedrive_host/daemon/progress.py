"""``jobs.watch``: a job's progress pushed to the client as JSON-RPC notifications.

Request ``{"method": "jobs.watch", "params": {"input": {"id": JOB}}, "id": 7}`` on
the Unix socket: the daemon sends ``{"method": "jobs.progress", "params": INFO}``
(no id: a notification) each time the job's state, progress, step count or message
changes, paused and resumed included, and answers request 7 with the final
``INFO`` once the job is done, failed or cancelled. ``INFO`` is what
``query:jobs.status.v1`` returns, through which every look goes (so the same job
ids, visibility and errors). A client that disconnects ends its watch.

It is the one method that is not a registry operation: it needs a connection that
carries more than one message per request (HTTP's `/rpc` answers it with an error).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any, Protocol

from ..errors import InvalidInput, Unavailable

__all__ = ["ENDED", "NOTIFICATION", "POLL_S", "STATUS", "WATCH", "Stream", "peer_left", "watch"]

WATCH = "jobs.watch"
NOTIFICATION = "jobs.progress"
#: How often a watch looks at its job (the job store is SQLite: there is no change feed).
POLL_S = 0.05
ENDED = frozenset({"done", "failed", "cancelled"})
STATUS = "query:jobs.status.v1"


def peer_left(sock: socket.socket) -> bool:
    """Whether the client at the other end of ``sock`` has closed it (never blocks)."""
    try:
        peeked: bytes = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False  # nothing to read: still there
    except OSError:
        return True
    return peeked == b""


class Stream(Protocol):
    """The connection a watch writes to."""

    def send(self, message: dict[str, Any]) -> bool:
        """Writes one message; False if the client has gone."""

    def client_left(self) -> bool:
        """True once the client has disconnected."""

    def stopping(self) -> bool:
        """True once the daemon is shutting down."""


def watch(
    call: Callable[[str, dict[str, Any]], dict[str, Any]], params: dict[str, Any], stream: Stream | None
) -> dict[str, Any] | None:
    """The result for the watch's request (the final job info), or None if the client left.

    ``call`` is `call_operation` bound to the daemon's host."""
    if stream is None:
        raise InvalidInput(f"{WATCH} streams notifications: call it on the Unix socket")
    last: dict[str, Any] | None = None
    while True:
        info = call(STATUS, params)["output"]
        if info != last:
            if not stream.send({"jsonrpc": "2.0", "method": NOTIFICATION, "params": info}):
                return None
            last = info
        if info["state"] in ENDED:
            return {"output": info, "tail": ""}
        time.sleep(POLL_S)
        if stream.client_left():
            return None
        if stream.stopping():
            raise Unavailable("the daemon is stopping; watch the job again once it is back")

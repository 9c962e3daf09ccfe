"""JSON-RPC 2.0 over `Host.execute`: every registry operation is a method.

Transport-free: `Dispatcher.handle` takes one request body and returns the reply
body (None for notifications only). Requests of a batch run one after another,
each answered under its own id.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from ..errors import ErrorCode, InvalidInput, LimitExceeded, NotFound, PluginError
from ..host import Host
from ..wire.caller import Caller
from ..wire.dispatch import Response
from . import lean_json, progress
from .protocol import (
    INVALID_REQUEST,
    MAX_BATCH_REPLY_BYTES,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    decode_tail,
    encode_tail,
    rpc_code,
)

__all__ = ["Dispatcher", "call_operation"]

log = logging.getLogger("spacedrive.daemon")

DAEMON = Caller.trusted("daemon")
_PARAMS = frozenset({"input", "library", "tail"})


def _error(id_: Any, code: int, message: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        err["data"] = data
    return {"jsonrpc": "2.0", "id": id_, "error": err}


def _typed_error(id_: Any, exc: PluginError, *, unknown_method: bool = False) -> dict[str, Any]:
    code = METHOD_NOT_FOUND if unknown_method else rpc_code(exc.code)
    return _error(id_, code, exc.message, {"code": exc.code.value, "plugin": exc.plugin})


def call_operation(
    host: Host, method: str, params: dict[str, Any], caller: Caller = DAEMON
) -> dict[str, Any]:
    """One operation from the shared call shape (``input``, ``library``, ``tail``): the
    one adapter JSON-RPC, GraphQL and the console all go through."""
    response = execute_call(host, method, params, caller)
    tail = response.tail
    return {"output": response.data(), "tail": encode_tail(tail) if tail else ""}


def execute_call(host: Host, method: str, params: dict[str, Any], caller: Caller = DAEMON) -> Response:
    """`call_operation` before its output is turned into Python data (JSON-RPC writes
    the output's JSON as pydantic serialises it)."""
    extra = params.keys() - _PARAMS
    if extra:
        raise InvalidInput(f"unknown params {sorted(extra)} (expected input, library, tail)")
    library = params.get("library")
    try:
        library_id = UUID(library) if library is not None else None
    except (ValueError, AttributeError, TypeError):
        raise InvalidInput(f"library {library!r} is not a library id (UUID)") from None
    return host.execute(
        method,
        params.get("input"),
        library_id=library_id,
        tail=decode_tail(params.get("tail")),
        caller=caller,
    )


class Dispatcher:
    """Answers JSON-RPC requests against one host; counts the calls in flight."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._lock = threading.Condition(threading.Lock())
        self.in_flight = 0
        self._draining = False

    @contextmanager
    def counted(self) -> Iterator[None]:
        with self._lock:
            self.in_flight += 1
        try:
            yield
        finally:
            self._done()

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1
            if self._draining:  # waking nobody costs every call a notify
                self._lock.notify_all()

    def drain(self, timeout_s: float) -> bool:
        """Waits until no call is in flight (at most ``timeout_s``); True if none is left."""
        with self._lock:
            self._draining = True
            return self._lock.wait_for(lambda: self.in_flight == 0, timeout=timeout_s)

    def handle(self, body: bytes | str, stream: progress.Stream | None = None) -> bytes | None:
        """The reply to one request or batch; ``stream``: the connection, for `jobs.watch`."""
        try:
            request = lean_json.loads(body if isinstance(body, str) else body.decode())
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # 100000-deep `[[[`: recursion
            return _dump(_error(None, PARSE_ERROR, f"parse error: {exc}"))
        try:
            if isinstance(request, list):
                return self._batch(request)
            reply = self._one(request, stream)
            return _encoded(reply) if reply is not None else None
        except Exception as exc:  # a bug (or a reply that will not encode) must not cost the connection
            log.exception("JSON-RPC request failed")
            return _dump(_error(None, rpc_code(ErrorCode.INTERNAL), f"internal error: {type(exc).__name__}"))

    def _batch(self, requests: list[Any]) -> bytes | None:
        """A batch's replies; past `MAX_BATCH_REPLY_BYTES` of them, the rest are refused
        (`limit_exceeded`) instead of run, so one request cannot fill the daemon's memory."""
        if not requests:
            return _dump(_error(None, INVALID_REQUEST, "invalid request: empty batch"))
        replies: list[bytes] = []
        size = 0
        for item in requests:
            if size > MAX_BATCH_REPLY_BYTES:
                id_ = item.get("id") if isinstance(item, dict) else None
                msg = f"the batch's replies passed {MAX_BATCH_REPLY_BYTES} bytes; send the rest again"
                replies.append(_encoded(_typed_error(id_, LimitExceeded(msg))))
                continue
            reply = self._one(item, None)
            if reply is not None:
                replies.append(_encoded(reply))
                size += len(replies[-1])
        return b"[" + b",".join(replies) + b"]" if replies else None

    def _one(self, request: Any, stream: progress.Stream | None) -> dict[str, Any] | bytes | None:
        """The reply: a message, or one already encoded (a result); None for a notification."""
        if not isinstance(request, dict):
            return _error(None, INVALID_REQUEST, "invalid request: not an object")
        id_ = request.get("id")
        notification = "id" not in request
        if request.get("jsonrpc") != "2.0":
            return _error(id_, INVALID_REQUEST, 'invalid request: "jsonrpc" must be "2.0"')
        if not (id_ is None or isinstance(id_, str | int)) or isinstance(id_, bool):
            return _error(None, INVALID_REQUEST, "invalid request: id must be a string, number or null")
        method = request.get("method")
        if not isinstance(method, str):
            return _error(id_, INVALID_REQUEST, 'invalid request: "method" must be a string')
        params = request.get("params", {})
        if not isinstance(params, dict):
            exc = InvalidInput("params must be an object: {input, library, tail}")
            return None if notification else _typed_error(id_, exc)
        if method == progress.WATCH:
            return None if notification else self._watch(id_, params, stream)
        with self._lock:  # as `counted()`, without a generator per call
            self.in_flight += 1
        try:
            response = execute_call(self.host, method, params)
        except PluginError as exc:
            if notification:
                return None
            unknown = isinstance(exc, NotFound) and self.host.registry.get(method) is None
            return _typed_error(id_, exc, unknown_method=unknown)
        except Exception as exc:  # a bug here must not take the daemon down
            log.exception("JSON-RPC call %s failed", method)
            return _error(id_, rpc_code(ErrorCode.INTERNAL), f"internal error: {type(exc).__name__}")
        finally:
            self._done()
        if notification:
            return None
        tail = encode_tail(response.tail).encode() if response.tail else b""
        return b'{"jsonrpc":"2.0","id":%b,"result":{"output":%b,"tail":"%b"}}' % (
            _dump(id_),
            response.json(),
            tail,
        )

    def _watch(
        self, id_: Any, params: dict[str, Any], stream: progress.Stream | None
    ) -> dict[str, Any] | None:
        """Not counted in flight: a watch lasts as long as its job, and shutdown ends it."""
        try:
            result = progress.watch(lambda m, p: call_operation(self.host, m, p), params, stream)
        except PluginError as exc:
            return _typed_error(id_, exc)
        except Exception as exc:  # e.g. the host closing under it at shutdown
            log.exception("jobs.watch failed")
            return _error(id_, rpc_code(ErrorCode.INTERNAL), f"internal error: {type(exc).__name__}")
        return None if result is None else {"jsonrpc": "2.0", "id": id_, "result": result}


def _encoded(reply: dict[str, Any] | bytes) -> bytes:
    return reply if isinstance(reply, bytes) else _dump(reply)


def _dump(value: Any) -> bytes:
    # `lean_json`: `_json`'s encoder made once, where `json.dumps` makes one per call.
    return lean_json.compact(value).encode()

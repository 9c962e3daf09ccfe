"""The loopback HTTP endpoint: JSON-RPC (``POST /rpc``), GraphQL (``POST /graphql``;
with ``Accept: text/event-stream``, GraphQL over Server-Sent Events, which carries
subscriptions) and the web console (``/console``), all behind one bearer token.

The token is in ``daemon.token`` (0600) in the data directory; a browser passes it
once as ``?token=`` and keeps it in an HttpOnly cookie.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .progress import peer_left
from .protocol import MAX_REQUEST_BYTES
from .rpc import Dispatcher

__all__ = ["HttpServer", "Page", "write_token"]

log = logging.getLogger("spacedrive.daemon")

COOKIE = "spacedrive_token"

# Every answer: no MIME sniffing, no Referer (a console address may carry the token).
_SAFE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
# Console pages run no script and embed nothing: a plugin's text that slipped past
# escaping still could not run, load or send anything, nor the page be framed.
_PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

#: (status, content type, body, extra headers) for a console request.
Page = tuple[int, str, bytes, dict[str, str]]
PageHandler = Callable[[str, str, dict[str, list[str]]], Page]
GraphqlHandler = Callable[[dict[str, Any]], dict[str, Any]]
#: Runs one GraphQL request as events: (request, send, stop).
GraphqlStreamer = Callable[
    [dict[str, Any], Callable[[str, dict[str, Any] | None], bool], Callable[[], bool]], None
]


def write_token(path: Path) -> str:
    """A fresh token for this run, written to ``path`` readable by this user only."""
    token = secrets.token_urlsafe(32)
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    path.write_text(token + "\n")
    return token


class _Handler(BaseHTTPRequestHandler):
    server: HttpServer
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK hold each reply back ~40 ms on a kept-alive connection.
    disable_nagle_algorithm = True
    timeout = 30  # a slow client holds its own thread only, and not for ever

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http %s", format % args)

    def _authorized(self, query: dict[str, list[str]]) -> bool:
        given = ""
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            given = header.removeprefix("Bearer ").strip()
        elif COOKIE in (cookie := SimpleCookie(self.headers.get("Cookie", ""))):
            given = cookie[COOKIE].value
        elif "token" in query:
            given = query["token"][0]
        return hmac.compare_digest(given.encode(), self.server.token.encode())

    def _reply(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if ctype.startswith("text/html"):
            self.send_header("Content-Security-Policy", _PAGE_POLICY)
        for k, v in {**_SAFE, **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._reply(status, "application/json", json.dumps(value).encode())

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._json(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length is required"})
            return None
        limit = self.server.max_request_bytes
        if length < 0 or length > limit:
            self.close_connection = True
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": f"request larger than {limit} bytes"})
            return None
        return self.rfile.read(length)

    def _route(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if not self._authorized(query):
            self._json(HTTPStatus.UNAUTHORIZED, {"error": "missing or wrong bearer token (see daemon.token)"})
            return
        if (
            self.command == "POST"
            and url.path == "/graphql"
            and "text/event-stream" in self.headers.get("Accept", "")
        ):
            self._graphql_events()  # not in flight: a subscription lasts as long as its job
            return
        try:
            self.server.dispatcher_calls(lambda: self._dispatch(url.path, query))
        except Exception as exc:  # a bug must cost neither the daemon nor an answer
            log.exception("HTTP %s %s failed", self.command, url.path)
            self.close_connection = True
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"internal error: {type(exc).__name__}"})

    def _graphql_request(self) -> dict[str, Any] | None:
        body = self._body()
        if body is None:
            return None
        try:
            request = json.loads(body)
            if not isinstance(request, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"errors": [{"message": f"bad GraphQL request: {exc}"}]})
            return None
        return request

    def _graphql_events(self) -> None:
        request = self._graphql_request()
        if request is None:
            return
        self.close_connection = True  # the stream ends with the connection
        self.send_response(HTTPStatus.OK)
        for k, v in {"Content-Type": "text/event-stream", "Cache-Control": "no-store", **_SAFE}.items():
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()

        def send(kind: str, payload: dict[str, Any] | None) -> bool:
            data = json.dumps(payload, separators=(",", ":")) if payload is not None else ""
            try:
                self.wfile.write(f"event: {kind}\ndata: {data}\n\n".encode())
                self.wfile.flush()
            except OSError:
                return False
            return True

        def stop() -> bool:
            return self.server.closing.is_set() or peer_left(self.connection)

        try:
            self.server.graphql_stream(request, send, stop)
        except Exception:  # a bug must not cost the daemon; the stream just ends
            log.exception("GraphQL stream failed")

    def _dispatch(self, path: str, query: dict[str, list[str]]) -> None:
        if self.command == "POST" and path == "/rpc":
            body = self._body()
            if body is None:
                return
            reply = self.server.dispatcher.handle(body)
            if reply is None:
                self._reply(HTTPStatus.NO_CONTENT, "application/json", b"")
            else:
                self._reply(HTTPStatus.OK, "application/json", reply)
            return
        if self.command == "POST" and path == "/graphql":
            request = self._graphql_request()
            if request is not None:
                self._json(HTTPStatus.OK, self.server.graphql(request))
            return
        if path == "/" or path.startswith("/console"):
            form: dict[str, list[str]] = {}
            if self.command == "POST":
                body = self._body()
                if body is None:
                    return
                form = parse_qs(body.decode("utf-8", "replace"))
            if "token" in query and self.command != "POST":
                # The cookie carries it from here on; the address bar and history keep
                # the address without it.
                cookie = f"{COOKIE}={self.server.token}; HttpOnly; SameSite=Strict; Path=/"
                rest = urlencode([(k, v) for k, vs in query.items() if k != "token" for v in vs])
                self._reply(
                    HTTPStatus.SEE_OTHER,
                    "text/plain",
                    b"",
                    {"Location": path + (f"?{rest}" if rest else ""), "Set-Cookie": cookie},
                )
                return
            status, ctype, page, headers = self.server.pages(self.command, path, {**query, **form})
            self._reply(status, ctype, page, headers)
            return
        self._json(HTTPStatus.NOT_FOUND, {"error": f"no endpoint {self.command} {path}"})

    def do_GET(self) -> None:
        self._route()

    def do_HEAD(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()


class HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        port: int,
        token: str,
        dispatcher: Dispatcher,
        graphql: GraphqlHandler,
        graphql_stream: GraphqlStreamer,
        pages: PageHandler,
        max_request_bytes: int = MAX_REQUEST_BYTES,
    ) -> None:
        self.max_request_bytes = max_request_bytes
        self.token = token
        self.dispatcher = dispatcher
        self.graphql = graphql
        self.graphql_stream = graphql_stream
        #: Set at shutdown: event streams end (they are not waited for as calls are).
        self.closing = threading.Event()
        self.pages = pages
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def shutdown(self) -> None:
        self.closing.set()
        super().shutdown()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def dispatcher_calls(self, fn: Callable[[], None]) -> None:
        # GraphQL and console requests count as in flight too, for a graceful shutdown.
        with self.dispatcher.counted():
            fn()

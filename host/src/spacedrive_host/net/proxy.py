"""The HTTP proxy plugins reach the network through (``spacedrive_http`` and
``action:http.request.v1``).

Every hop is checked by the network policy before anything is sent: the host
must be allow-listed, the scheme https (unless the host's policy allows http),
and every address the name resolves to public. The socket layer (`_PinnedBackend`)
can only connect to an address the policy checked for this request, so a DNS
answer that changes after the check is never used and no second lookup happens
(TLS still verifies the certificate for the name, sent as SNI). Redirects are
followed by hand, at most `MAX_REDIRECTS`, each one checked again;
Authorization is dropped when a redirect leaves the origin. Hop-by-hop headers
are stripped both ways; request headers are bounded in count and size and must
be ASCII; the response size is bounded; and one total deadline covers the whole
request, redirects included: every connect, TLS handshake, write and read gets
only the time left, so a server trickling bytes cannot hold a request past it.
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import httpcore

from ..errors import InvalidInput, LimitExceeded, Timeout, Unavailable
from .policy import NetPolicy, check_url

__all__ = ["MAX_REQUEST_HEADERS", "MAX_REQUEST_HEADER_BYTES", "HttpProxy", "ProxyResponse"]

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
MAX_REDIRECTS = 5
MAX_REQUEST_HEADERS = 64
MAX_REQUEST_HEADER_BYTES = 16 * 1024  # names + values, all headers together
CONNECT_TIMEOUT_S = 5.0
MAX_STALL_S = 15.0  # the longest one read or write may wait, whatever the deadline
_WRITE_PIECE = 16 * 1024
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}")
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"
_VALUE = re.compile(r"[\t\x20-\x7e]*")


@dataclass
class _Budget:
    """What the current request may use: its deadline and its checked addresses."""

    deadline: float
    pinned: dict[str, str] = field(default_factory=dict)  # host name -> checked address

    def left(self, timeout: float | None, error: type[Exception]) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise error("the request's total deadline passed")
        return remaining if timeout is None else min(timeout, remaining)


_budget: ContextVar[_Budget | None] = ContextVar("spacedrive_http_budget", default=None)


def _current() -> _Budget:
    budget = _budget.get()
    if budget is None:  # only `HttpProxy.request` opens connections
        raise httpcore.ConnectError("no request budget: connections are opened by HttpProxy.request only")
    return budget


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every operation gets at most the time left of the request."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _current().left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # httpcore gives every send() of one write the whole timeout, so a server reading a
        # large body slowly could stretch one write far past the deadline: pieces, each
        # with the time left.
        for start in range(0, len(buffer), _WRITE_PIECE):
            piece = buffer[start : start + _WRITE_PIECE]
            self._inner.write(piece, _current().left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = _current().left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects a host name only to the address the policy checked for it, never by a lookup."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        budget = _current()
        address = budget.pinned.get(host)
        if address is None:
            raise httpcore.ConnectError(f"{host!r} has no checked address for this request")
        left = budget.left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_tcp(address, port, left, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the proxy does not use Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _checked_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The request headers, refused with `InvalidInput` unless few, small and ASCII."""
    out: list[tuple[str, str]] = []
    size = 0
    for name, value in headers:
        if len(out) >= MAX_REQUEST_HEADERS:
            raise InvalidInput(f"more than {MAX_REQUEST_HEADERS} request headers")
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidInput("header names and values must be strings")
        size += len(name) + len(value)
        if size > MAX_REQUEST_HEADER_BYTES:
            raise InvalidInput(f"request headers are larger than {MAX_REQUEST_HEADER_BYTES} bytes")
        if not _TOKEN.fullmatch(name):
            raise InvalidInput(f"header name {name[:64]!r} is not an HTTP token")
        if not _VALUE.fullmatch(value):
            raise InvalidInput(f"header {name!r}: the value must be printable ASCII (no CR, LF or NUL)")
        out.append((name, value))
    return out


@dataclass(frozen=True)
class ProxyResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    url: str  # after redirects


def _clean(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname or "", parts.port


_NETWORK_ERRORS = (
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpcore.ConnectionNotAvailable,
)


class HttpProxy:
    """Args:
    policy: what may be reached (and the TLS trust, `NetPolicy.tls_context`).
    max_response_bytes: the largest response body.
    timeout_s: the total deadline of one request, redirects included.
    """

    def __init__(self, policy: NetPolicy, *, max_response_bytes: int, timeout_s: float = 30.0) -> None:
        self.policy = policy
        self.max_response_bytes = max_response_bytes
        self.timeout_s = timeout_s
        self._pool = httpcore.ConnectionPool(
            ssl_context=policy.tls_context,
            network_backend=_PinnedBackend(),
            max_connections=32,
            keepalive_expiry=30.0,
        )

    def close(self) -> None:
        self._pool.close()

    def request(
        self,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        *,
        allowed_hosts: Iterable[str],
        authorization: str | None = None,
    ) -> ProxyResponse:
        method = method.upper()
        if method not in METHODS:
            raise InvalidInput(f"HTTP method {method[:32]!r} is not supported ({', '.join(sorted(METHODS))})")
        hosts = tuple(allowed_hosts)
        sent = _clean(_checked_headers(headers))
        if authorization is not None:
            sent = [(k, v) for k, v in sent if k.lower() != "authorization"] + [
                ("Authorization", authorization)
            ]
        budget = _Budget(time.monotonic() + self.timeout_s)
        token = _budget.set(budget)
        try:
            origin = _origin_checked(url)
            for hop in range(MAX_REDIRECTS + 1):
                if hop and _origin(url) != origin:  # never carry credentials to another origin
                    sent = [(k, v) for k, v in sent if k.lower() != "authorization"]
                status, got, data = self._send(method, url, sent, body, hosts, budget)
                location = {k.lower(): v for k, v in got}.get("location")
                if status in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    try:
                        _origin(url)
                    except ValueError:
                        raise Unavailable(
                            f"a redirect points to an invalid URL: {location[:200]!r}"
                        ) from None
                    if status == 303 or (status in (301, 302) and method == "POST"):
                        method, body = "GET", b""
                    continue
                return ProxyResponse(status, _clean(got), data, url)
        finally:
            _budget.reset(token)
        raise Unavailable(f"more than {MAX_REDIRECTS} redirects")

    def _send(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes,
        hosts: tuple[str, ...],
        budget: _Budget,
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        address = check_url(url, hosts, self.policy)[0]
        parts = urlsplit(url)
        host = parts.hostname or ""
        budget.pinned[host] = address
        port = parts.port or (443 if parts.scheme == "https" else 80)
        literal = f"[{host}]" if ":" in host else host
        host_header = f"{literal}:{parts.port}" if parts.port else literal
        # Non-ASCII and spaces are percent-encoded; what is already encoded stays as it is.
        target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_URL_SAFE)
        left = budget.deadline - time.monotonic()
        if left <= 0:
            raise Timeout(f"HTTP request to {host} ran past {self.timeout_s} s")
        per_op = min(self.timeout_s, MAX_STALL_S)
        try:
            with self._pool.stream(
                method,
                httpcore.URL(scheme=parts.scheme, host=host, port=port, target=target),
                headers=[*headers, ("Host", host_header)],
                content=body or None,
                extensions={
                    "timeout": {"connect": CONNECT_TIMEOUT_S, "read": per_op, "write": per_op, "pool": left}
                },
            ) as response:
                chunks, size = [], 0
                for chunk in response.iter_stream():
                    size += len(chunk)
                    if size > self.max_response_bytes:
                        raise LimitExceeded(
                            f"response from {host} is larger than {self.max_response_bytes} bytes"
                        )
                    chunks.append(chunk)
                got = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers]
                return response.status, got, b"".join(chunks)
        except httpcore.TimeoutException:
            raise Timeout(
                f"HTTP request to {host} ran past its time limit ({self.timeout_s} s in total)"
            ) from None
        except _NETWORK_ERRORS as exc:
            raise Unavailable(f"HTTP request to {host} failed: {type(exc).__name__}: {exc}") from None


def _origin_checked(url: str) -> tuple[str, str, int | None]:
    try:
        return _origin(url)
    except ValueError as exc:
        raise InvalidInput(f"not a valid URL: {url[:200]!r} ({exc})") from None

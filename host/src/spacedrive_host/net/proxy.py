"""The HTTP proxy plugins reach the network through (``spacedrive_http`` and
``action:http.request.v1``).

Every hop is checked by the network policy before anything is sent: the host
must be allow-listed, the scheme https (unless the host's policy allows http),
and every address the name resolves to public. The request then goes to the
*checked address* (TLS still verifies the certificate for the name, via SNI),
so a DNS answer that changes after the check is never used. Redirects are
followed by hand, at most `MAX_REDIRECTS`, each one checked again;
Authorization is dropped when a redirect leaves the origin. Hop-by-hop headers
are stripped both ways; time and response size are bounded.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from ..errors import InvalidInput, LimitExceeded, Timeout, Unavailable
from .policy import NetPolicy, check_url

__all__ = ["HttpProxy", "ProxyResponse"]

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


class HttpProxy:
    def __init__(self, policy: NetPolicy, *, max_response_bytes: int, timeout_s: float = 30.0) -> None:
        self.policy = policy
        self.max_response_bytes = max_response_bytes
        self.timeout_s = timeout_s
        self._client = httpx.Client(
            follow_redirects=False, timeout=httpx.Timeout(min(timeout_s, 15.0), connect=5.0), trust_env=False
        )

    def close(self) -> None:
        self._client.close()

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
            raise InvalidInput(f"HTTP method {method!r} is not supported ({', '.join(sorted(METHODS))})")
        hosts = tuple(allowed_hosts)
        sent = _clean(headers)
        if authorization is not None:
            sent = [(k, v) for k, v in sent if k.lower() != "authorization"] + [
                ("Authorization", authorization)
            ]
        deadline = time.monotonic() + self.timeout_s
        origin = _origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            if _origin(url) != origin:  # never carry credentials to another origin
                sent = [(k, v) for k, v in sent if k.lower() != "authorization"]
            status, got, data = self._send(method, url, sent, body, hosts, deadline)
            location = {k.lower(): v for k, v in got}.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                if status == 303 or (status in (301, 302) and method == "POST"):
                    method, body = "GET", b""
                continue
            return ProxyResponse(status, _clean(got), data, url)
        raise Unavailable(f"more than {MAX_REDIRECTS} redirects")

    def _send(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes,
        hosts: tuple[str, ...],
        deadline: float,
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        address = check_url(url, hosts, self.policy)[0]
        parts = urlsplit(url)
        host = parts.hostname or ""
        literal = f"[{address}]" if ipaddress.ip_address(address.split("%", 1)[0]).version == 6 else address
        netloc = f"{literal}:{parts.port}" if parts.port else literal
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = f"{host}:{parts.port}" if parts.port else host
        request = self._client.build_request(
            method,
            pinned,
            headers=[*headers, ("Host", host_header)],
            content=body or None,
            extensions={"sni_hostname": host},
        )
        if time.monotonic() > deadline:
            raise Timeout(f"HTTP request to {host} ran past {self.timeout_s} s")
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException:
            raise Timeout(f"HTTP request to {host} timed out") from None
        except httpx.HTTPError as exc:
            raise Unavailable(f"HTTP request to {host} failed: {type(exc).__name__}") from None
        try:
            chunks, size = [], 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise LimitExceeded(
                        f"response from {host} is larger than {self.max_response_bytes} bytes"
                    )
                if time.monotonic() > deadline:
                    raise Timeout(f"HTTP request to {host} ran past {self.timeout_s} s")
                chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise Unavailable(f"reading the response from {host} failed: {type(exc).__name__}") from None
        finally:
            response.close()
        return response.status_code, list(response.headers.multi_items()), b"".join(chunks)

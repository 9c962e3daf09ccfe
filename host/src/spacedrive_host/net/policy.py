"""Which URLs the host may contact on a plugin's behalf (OWASP SSRF guidance):
the host name must match the plugin's ``permissions.http_hosts``; the scheme is
https; and every address the name resolves to must be globally reachable by
the IANA special-purpose registries (`registry`), embedded IPv4 addresses
(mapped, compatible, 6to4, Teredo, NAT64) unwrapped and checked too, unless
the host's configuration opens loopback or private ranges explicitly (tests
do, to reach a local server). A URL that does not parse is ``invalid_input``.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import InvalidInput, PermissionDenied
from . import registry

__all__ = ["NetPolicy", "check_url", "host_allowed", "refusal", "url_host"]

Resolver = Callable[[str, int], list[str]]


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


@dataclass(frozen=True)
class NetPolicy:
    """Host-wide settings; the defaults are the safe ones."""

    allow_http: bool = False
    allow_loopback: bool = False
    allow_private: bool = False
    resolver: Resolver = _resolve
    #: Whom TLS trusts; the system's default CAs (certifi) when None. Tests pass their own.
    tls_context: ssl.SSLContext | None = None


def host_allowed(patterns: Iterable[str], host: str) -> bool:
    """Exact names, or ``*.example.com`` for any subdomain (not the apex)."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False


def refusal(text: str, policy: NetPolicy) -> str | None:
    """Why ``text`` may not be reached under ``policy`` (the registry row), or None if it may.

    An embedding form (IPv4-mapped, IPv4-compatible, 6to4, Teredo, NAT64) passes
    only if the IPv4 address inside it passes too.
    """
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return f"{text!r} is not an IP address"
    row = registry.lookup(addr)
    if row.kind == "never" or (row.kind == "loopback" and not policy.allow_loopback):
        return f"{addr} is in {row}"
    if row.kind == "private" and not policy.allow_private:
        return f"{addr} is in {row}"
    if isinstance(addr, ipaddress.IPv6Address):
        for inner in registry.embedded(row, addr):
            why = refusal(str(inner), policy)
            if why is not None:
                return f"{addr} embeds {inner}: {why}"
    return None


def url_host(url: str) -> str:
    """The host name of ``url``; `InvalidInput` if the URL does not parse."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError as exc:
        raise InvalidInput(f"not a valid URL: {url[:200]!r} ({exc})") from None


def check_url(url: str, patterns: Iterable[str], policy: NetPolicy) -> list[str]:
    """Refuses a URL the plugin may not reach; returns the checked addresses to connect to."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:  # a bad port, an unclosed IPv6 bracket ...
        raise InvalidInput(f"not a valid URL: {url!r} ({exc})") from None
    if parts.scheme not in ("https", "http") or not host:
        raise InvalidInput(f"not an http(s) URL: {url[:200]!r}")
    if not host.isascii():
        raise InvalidInput(f"host {host[:100]!r} is not ASCII: use its IDNA (punycode) form")
    if parts.scheme == "http" and not policy.allow_http:
        raise PermissionDenied(f"{url!r}: only https is allowed")
    if not host_allowed(patterns, host):
        raise PermissionDenied(f"host {host!r} is not in the manifest's http_hosts")
    try:
        addresses = policy.resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise InvalidInput(f"cannot resolve {host!r}: {exc}") from None
    refused = [why for a in addresses if (why := refusal(a, policy)) is not None]
    if not addresses or refused:
        raise PermissionDenied(
            f"{host!r} resolves to addresses plugins may not reach: {'; '.join(refused) or 'none'}"
        )
    return addresses

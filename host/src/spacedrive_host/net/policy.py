"""Which URLs the host may contact on a plugin's behalf (OWASP SSRF guidance):
the host name must match the plugin's ``permissions.http_hosts``; the scheme is
https; and every address the name resolves to must be globally routable
(IPv4-mapped IPv6 unwrapped first; CGNAT, loopback, private, link-local,
multicast and unspecified refused) unless the host's configuration allows
loopback or private addresses explicitly (tests do, to reach a local server).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import InvalidInput, PermissionDenied

__all__ = ["NetPolicy", "check_url", "host_allowed"]

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


def _address_ok(text: str, policy: NetPolicy) -> bool:
    addr = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    # Before `is_global`: Python counts some multicast ranges as global.
    if addr.is_multicast or addr.is_unspecified or addr.is_reserved or addr.is_link_local:
        return False
    if addr.is_loopback:
        return policy.allow_loopback
    if addr.is_global:
        return True
    return policy.allow_private  # private ranges, CGNAT (100.64/10) ...


def check_url(url: str, patterns: Iterable[str], policy: NetPolicy) -> list[str]:
    """Refuses a URL the plugin may not reach; returns the checked addresses to connect to."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput(f"not an http(s) URL: {url!r}")
    if parts.scheme == "http" and not policy.allow_http:
        raise PermissionDenied(f"{url!r}: only https is allowed")
    host = parts.hostname
    if not host_allowed(patterns, host):
        raise PermissionDenied(f"host {host!r} is not in the manifest's http_hosts")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = policy.resolver(host, port)
    except OSError as exc:
        raise InvalidInput(f"cannot resolve {host!r}: {exc}") from None
    refused = [a for a in addresses if not _address_ok(a, policy)]
    if not addresses or refused:
        raise PermissionDenied(f"{host!r} resolves to addresses plugins may not reach: {', '.join(refused)}")
    return addresses

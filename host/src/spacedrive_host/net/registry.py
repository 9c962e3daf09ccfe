"""The IANA special-purpose address registries, as data: the source of the address policy.

Rows are copied from the IANA IPv4 and IPv6 Special-Purpose Address Registries
(https://www.iana.org/assignments/iana-ipv4-special-registry,
https://www.iana.org/assignments/iana-ipv6-special-registry) with their
"Globally Reachable" column (``None`` where IANA says N/A), plus the few
blocks of the general address-space registries a proxy must know as well:
IPv4 multicast and IPv6 outside global unicast (2000::/3), which covers
site-local fec0::/10, the deprecated IPv4-compatible ::/96 and multicast ff00::/8.

Each row also says which `NetPolicy` switch, if any, may open it (``kind``):
``loopback`` (``allow_loopback``), ``private`` (``allow_private``), or
``never``. The most specific row that contains an address decides.
Embedding forms (IPv4-mapped, IPv4-compatible, 6to4, Teredo, NAT64) are listed
with ``embeds`` naming how the IPv4 address inside is found; the policy checks
that inner address as well.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

__all__ = ["IPV4", "IPV6", "Row", "embedded", "lookup"]

Kind = Literal["global", "loopback", "private", "never"]
Embeds = Literal["low32", "6to4", "teredo"] | None
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Row:
    block: Network
    name: str
    rfc: str
    globally_reachable: bool | None  # IANA's column; None = N/A
    kind: Kind
    embeds: Embeds = None

    def __str__(self) -> str:
        return f"{self.block} ({self.name}, {self.rfc})"


def _r(block: str, name: str, rfc: str, reachable: bool | None, kind: Kind, embeds: Embeds = None) -> Row:
    return Row(ipaddress.ip_network(block), name, rfc, reachable, kind, embeds)


def _rows(*rows: Row) -> tuple[Row, ...]:
    # Most specific first: the first row that contains an address decides.
    return tuple(sorted(rows, key=lambda row: -row.block.prefixlen))


# (block, name, RFC, globally reachable, kind)
IPV4: tuple[Row, ...] = _rows(
    _r("0.0.0.0/0", "Unicast", "RFC 791", True, "global"),
    _r("0.0.0.0/8", "This network", "RFC 791", False, "never"),
    _r("0.0.0.0/32", "This host on this network", "RFC 1122", False, "never"),
    _r("10.0.0.0/8", "Private-Use", "RFC 1918", False, "private"),
    _r("100.64.0.0/10", "Shared Address Space", "RFC 6598", False, "private"),
    _r("127.0.0.0/8", "Loopback", "RFC 1122", False, "loopback"),
    _r("169.254.0.0/16", "Link Local", "RFC 3927", False, "never"),
    _r("172.16.0.0/12", "Private-Use", "RFC 1918", False, "private"),
    _r("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890", False, "never"),
    _r("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", False, "never"),
    _r("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", False, "never"),
    _r("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", True, "global"),
    _r("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", True, "global"),
    _r("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 7050", False, "never"),
    _r("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 7050", False, "never"),
    _r("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", False, "never"),
    _r("192.31.196.0/24", "AS112-v4", "RFC 7535", True, "global"),
    _r("192.52.193.0/24", "AMT", "RFC 7450", True, "global"),
    _r("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", None, "never"),
    _r("192.168.0.0/16", "Private-Use", "RFC 1918", False, "private"),
    _r("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", True, "global"),
    _r("198.18.0.0/15", "Benchmarking", "RFC 2544", False, "private"),
    _r("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", False, "never"),
    _r("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", False, "never"),
    _r("240.0.0.0/4", "Reserved", "RFC 1112", False, "never"),
    _r("255.255.255.255/32", "Limited Broadcast", "RFC 919", False, "never"),
    # From the IPv4 Multicast Address Space registry: the proxy only makes unicast connections.
    _r("224.0.0.0/4", "Multicast", "RFC 5771", False, "never"),
)

IPV6: tuple[Row, ...] = _rows(
    # The IPv6 Address Space registry: only 2000::/3 is global unicast; the rest is
    # reserved, unique-local, link-local, site-local (deprecated) or multicast.
    _r("::/0", "Reserved by IETF (outside global unicast)", "RFC 4291", False, "never"),
    _r("2000::/3", "Global Unicast", "RFC 4291", True, "global"),
    _r("fec0::/10", "Site-Local (deprecated)", "RFC 3879", False, "never"),
    _r("ff00::/8", "Multicast", "RFC 4291", False, "never"),
    _r("::/96", "IPv4-compatible (deprecated)", "RFC 4291", False, "never", "low32"),
    # The IPv6 Special-Purpose Address Registry.
    _r("::1/128", "Loopback Address", "RFC 4291", False, "loopback"),
    _r("::/128", "Unspecified Address", "RFC 4291", False, "never"),
    _r("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", False, "global", "low32"),
    _r("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052", True, "global", "low32"),
    _r("64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC 8215", False, "private", "low32"),
    _r("100::/64", "Discard-Only Address Block", "RFC 6666", False, "never"),
    _r("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", False, "never"),
    _r("2001::/23", "IETF Protocol Assignments", "RFC 2928", False, "never"),
    _r("2001::/32", "TEREDO", "RFC 4380", None, "global", "teredo"),
    _r("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", True, "global"),
    _r("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", True, "global"),
    _r("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", True, "global"),
    _r("2001:2::/48", "Benchmarking", "RFC 5180", False, "private"),
    _r("2001:3::/32", "AMT", "RFC 7450", True, "global"),
    _r("2001:4:112::/48", "AS112-v6", "RFC 7535", True, "global"),
    _r("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", False, "never"),
    _r("2001:20::/28", "ORCHIDv2", "RFC 7343", True, "global"),
    _r("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", True, "global"),
    _r("2001:db8::/32", "Documentation", "RFC 3849", False, "never"),
    _r("2002::/16", "6to4", "RFC 3056", None, "global", "6to4"),
    _r("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", True, "global"),
    _r("3fff::/20", "Documentation", "RFC 9637", False, "never"),
    _r("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", False, "never"),
    _r("fc00::/7", "Unique-Local", "RFC 4193", False, "private"),
    _r("fe80::/10", "Link-Local Unicast", "RFC 4291", False, "never"),
)


def lookup(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> Row:
    """The most specific registry row that contains ``addr``."""
    for row in IPV4 if addr.version == 4 else IPV6:
        if addr in row.block:
            return row
    raise AssertionError(f"the registry tables cover every address; {addr} fell through")


def embedded(row: Row, addr: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an embedding form carries (a Teredo address carries two)."""
    if row.embeds == "low32":
        return [ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)]
    if row.embeds == "6to4":
        return [ipaddress.IPv4Address((int(addr) >> 80) & 0xFFFFFFFF)]
    if row.embeds == "teredo":
        server = ipaddress.IPv4Address((int(addr) >> 64) & 0xFFFFFFFF)
        client = ipaddress.IPv4Address(~int(addr) & 0xFFFFFFFF)
        return [server, client]
    return []

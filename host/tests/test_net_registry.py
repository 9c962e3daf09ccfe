"""The address policy from the IANA special-purpose registries: every row decides
its block, every embedding form of IPv4 in IPv6 is unwrapped and checked, the
`allow_loopback` / `allow_private` switches open exactly their rows, and a URL
that does not parse is `invalid_input`."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacedrive_host import InvalidInput, PermissionDenied
from spacedrive_host.net import NetPolicy, check_url, registry
from spacedrive_host.net.policy import refusal
from spacedrive_host.net.registry import IPV4, IPV6, Row, lookup

STRICT = NetPolicy()
PRIVATE = NetPolicy(allow_private=True)
LOOPBACK = NetPolicy(allow_loopback=True)
OPEN = NetPolicy(allow_private=True, allow_loopback=True)

v4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
v6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)


def mapped(a: ipaddress.IPv4Address) -> str:
    return str(ipaddress.IPv6Address((0xFFFF << 32) | int(a)))


def compatible(a: ipaddress.IPv4Address) -> str:
    return str(ipaddress.IPv6Address(int(a)))


def six_to_four(a: ipaddress.IPv4Address) -> str:
    return str(ipaddress.IPv6Address((0x2002 << 112) | (int(a) << 80) | 1))


def nat64(a: ipaddress.IPv4Address) -> str:
    return str(ipaddress.IPv6Address((0x64FF9B << 96) | int(a)))


def teredo(server: ipaddress.IPv4Address, client: ipaddress.IPv4Address) -> str:
    return str(ipaddress.IPv6Address((0x20010000 << 96) | (int(server) << 64) | (~int(client) & 0xFFFFFFFF)))


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",  # cloud metadata: link-local
        "169.254.0.1",
        "fe80::1",
        "fe80::a9fe:a9fe",
        "febf:ffff::1",
        "fec0::1",  # site-local (deprecated), refused even with allow_private
        "feff::1",
        "ff02::1",
        "224.0.0.1",
        "0.0.0.0",
        "::",
        "192.0.2.1",
        "2001:db8::1",
        "100::1",
        "255.255.255.255",
        "240.0.0.1",
    ],
)
def test_never_reachable_whatever_the_switches(address: str) -> None:
    assert refusal(address, OPEN) is not None
    with pytest.raises(PermissionDenied, match="may not reach"):
        check_url(
            "https://a.example/",
            ["a.example"],
            NetPolicy(allow_private=True, resolver=lambda h, p: [address]),
        )


@pytest.mark.parametrize(
    "address", ["10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "fd12::1", "fc00::1"]
)
def test_allow_private_opens_private_ranges_and_nothing_more(address: str) -> None:
    assert refusal(address, STRICT) is not None
    assert refusal(address, LOOPBACK) is not None
    assert refusal(address, PRIVATE) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.255.0.9", "::1"])
def test_loopback_needs_allow_loopback_not_allow_private(address: str) -> None:
    assert refusal(address, STRICT) is not None
    assert refusal(address, PRIVATE) is not None
    assert refusal(address, LOOPBACK) is None


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "2a00:1450::1", "192.0.0.9"]
)
def test_globally_reachable_addresses_pass(address: str) -> None:
    assert refusal(address, STRICT) is None


@given(v4)
def test_every_embedding_form_is_judged_by_the_ipv4_inside(a: ipaddress.IPv4Address) -> None:
    inner_ok = refusal(str(a), STRICT) is None
    for form in (mapped(a), six_to_four(a), nat64(a)):
        assert (refusal(form, STRICT) is None) == inner_ok, form
    # Teredo carries two addresses: both must pass.
    assert (refusal(teredo(ipaddress.IPv4Address("8.8.8.8"), a), STRICT) is None) == inner_ok
    assert (refusal(teredo(a, ipaddress.IPv4Address("8.8.8.8")), STRICT) is None) == inner_ok
    # IPv4-compatible addresses are deprecated: refused whatever they carry.
    if int(a) > 1:
        assert refusal(compatible(a), OPEN) is not None


@pytest.mark.parametrize(
    ("form", "inner"),
    [
        ("::ffff:127.0.0.1", "Loopback"),
        ("::ffff:169.254.169.254", "Link Local"),
        ("::ffff:10.0.0.1", "Private-Use"),
        ("2002:7f00:1::1", "Loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::", "Link Local"),  # 6to4 of 169.254.169.254
        ("64:ff9b::a9fe:a9fe", "Link Local"),
        ("64:ff9b::a00:1", "Private-Use"),
        ("2001:0:a00:1:8000:63bf:f5ff:fffe", "Private-Use"),  # Teredo, server 10.0.0.1
    ],
)
def test_the_refusal_names_the_embedded_address_and_its_row(form: str, inner: str) -> None:
    why = refusal(form, STRICT)
    assert why is not None
    assert "embeds" in why
    assert inner in why


def test_local_use_nat64_needs_allow_private_and_an_acceptable_inside() -> None:
    assert refusal("64:ff9b:1::a00:1", STRICT) is not None
    assert refusal("64:ff9b:1::a00:1", PRIVATE) is None
    why = refusal("64:ff9b:1::7f00:1", PRIVATE)  # local-use NAT64 of 127.0.0.1
    assert why is not None
    assert "Loopback" in why


def test_a_mapped_loopback_follows_allow_loopback() -> None:
    assert refusal("::ffff:127.0.0.1", STRICT) is not None
    assert refusal("::ffff:127.0.0.1", LOOPBACK) is None


@given(v4)
def test_ipv4_rows_agree_with_the_registry_column(a: ipaddress.IPv4Address) -> None:
    row = lookup(a)
    assert a in row.block
    # No more specific row also contains it (the most specific decides).
    assert not any(a in r.block and r.block.prefixlen > row.block.prefixlen for r in IPV4)
    if row.globally_reachable is True:
        assert refusal(str(a), STRICT) is None
    if row.globally_reachable is False:
        assert refusal(str(a), STRICT) is not None


@given(v6)
def test_ipv6_rows_agree_with_the_registry_column(a: ipaddress.IPv6Address) -> None:
    row = lookup(a)
    assert a in row.block
    if row.embeds is None and row.globally_reachable is True:
        assert refusal(str(a), STRICT) is None
    if row.globally_reachable is False and row.kind != "global":
        assert refusal(str(a), STRICT) is not None
    if a not in ipaddress.ip_network("2000::/3") and row.embeds is None:
        assert refusal(str(a), STRICT) is not None  # outside global unicast


def _rows_of(kind: str) -> list[Row]:
    return [r for r in (*IPV4, *IPV6) if r.kind == kind]


@pytest.mark.parametrize("row", _rows_of("never"), ids=str)
def test_every_never_row_refuses_its_first_and_last_address(row: Row) -> None:
    for addr in (row.block.network_address, row.block.broadcast_address):
        if lookup(addr) is row:
            assert refusal(str(addr), OPEN) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example:99999/",
        "https://a.example:x/",
        "https://[::1/",
        "https://[fe80::1%25eth0/",
        "https://a.example:-1/",
    ],
)
def test_a_url_that_does_not_parse_is_invalid_input(url: str) -> None:
    with pytest.raises(InvalidInput):
        check_url(url, ["a.example"], NetPolicy(resolver=lambda h, p: ["8.8.8.8"]))


def test_a_resolver_answer_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(PermissionDenied, match="not an IP address"):
        check_url("https://a.example/", ["a.example"], NetPolicy(resolver=lambda h, p: ["not-an-ip"]))
    with pytest.raises(PermissionDenied):
        check_url("https://a.example/", ["a.example"], NetPolicy(resolver=lambda h, p: []))


def test_rows_are_built_as_written_and_ordered_most_specific_first() -> None:
    # The tables are built at import; `nox -s mutation` mutates the builders, so they are
    # called here too.
    row = registry._r("10.0.0.0/8", "Private-Use", "RFC 1918", False, "private")
    assert row == Row(ipaddress.ip_network("10.0.0.0/8"), "Private-Use", "RFC 1918", False, "private", None)
    mapped = registry._r("::ffff:0:0/96", "IPv4-mapped", "RFC 4291", None, "global", "low32")
    assert (mapped.globally_reachable, mapped.embeds) == (None, "low32")
    wide, narrow, host = (
        registry._r(b, "n", "r", True, "global") for b in ("0.0.0.0/0", "10.0.0.0/8", "10.0.0.1/32")
    )
    assert registry._rows(wide, host, narrow) == (host, narrow, wide)
    assert registry._rows(*IPV4) == IPV4
    assert registry._rows(*IPV6) == IPV6

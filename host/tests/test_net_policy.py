"""The outbound network policy: allow-listed hosts, https, public addresses only."""

from __future__ import annotations

import pytest

from spacedrive_host import InvalidInput, PermissionDenied
from spacedrive_host.net import NetPolicy, check_url
from spacedrive_host.net.policy import host_allowed


def resolving(*addresses: str) -> NetPolicy:
    return NetPolicy(resolver=lambda host, port: list(addresses))


@pytest.mark.parametrize(
    ("pattern", "host", "ok"),
    [
        ("api.example.com", "api.example.com", True),
        ("api.example.com", "API.example.com.", True),
        ("*.example.com", "a.b.example.com", True),
        ("*.example.com", "example.com", False),
        ("*.example.com", "evil-example.com", False),
        ("example.com", "example.com.evil.net", False),
    ],
)
def test_host_patterns(pattern: str, host: str, ok: bool) -> None:
    assert host_allowed([pattern], host) is ok


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "::ffff:127.0.0.1",
        "fe80::1",
        "224.0.0.1",
        "fd00::1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    with pytest.raises(PermissionDenied, match="may not reach"):
        check_url("https://api.example.com/x", ["api.example.com"], resolving(address))


def test_public_addresses_pass_and_are_returned() -> None:
    assert check_url("https://api.example.com/x", ["api.example.com"], resolving("93.184.216.34")) == [
        "93.184.216.34"
    ]


def test_one_bad_address_among_good_ones_refuses() -> None:
    with pytest.raises(PermissionDenied):
        check_url("https://api.example.com/", ["api.example.com"], resolving("93.184.216.34", "10.0.0.1"))


def test_scheme_and_host_rules() -> None:
    policy = resolving("93.184.216.34")
    with pytest.raises(PermissionDenied, match="only https"):
        check_url("http://api.example.com/", ["api.example.com"], policy)
    with pytest.raises(PermissionDenied, match="http_hosts"):
        check_url("https://other.example.com/", ["api.example.com"], policy)
    with pytest.raises(InvalidInput, match="not an http"):
        check_url("file:///etc/passwd", ["api.example.com"], policy)
    loopback = NetPolicy(allow_loopback=True, resolver=lambda h, p: ["127.0.0.1"])
    assert check_url("https://api.example.com/", ["api.example.com"], loopback) == ["127.0.0.1"]

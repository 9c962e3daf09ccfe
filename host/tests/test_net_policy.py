"""The outbound network policy: allow-listed hosts, https, public addresses only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from spacedrive_host import InvalidInput, PermissionDenied, PluginError
from spacedrive_host.net import NetPolicy, check_url
from spacedrive_host.net.policy import _resolve, host_allowed, refusal, url_host


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


# -- the exact answers (`nox -s mutation` found these loose) ----------------------------


class Recording:
    """A resolver that records what it was asked and answers fixed addresses."""

    def __init__(self, *addresses: str) -> None:
        self.addresses, self.asked = list(addresses), list[tuple[str, int]]()

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return self.addresses


@pytest.mark.parametrize(
    ("url", "port"),
    [
        ("https://api.example.com/x", 443),
        ("http://api.example.com/x", 80),
        ("https://api.example.com:8443/x", 8443),
        ("http://api.example.com:443/x", 443),
    ],
)
def test_the_resolver_is_asked_for_the_host_and_its_port(url: str, port: int) -> None:
    resolver = Recording("93.184.216.34")
    assert check_url(url, ["api.example.com"], NetPolicy(allow_http=True, resolver=resolver)) == [
        "93.184.216.34"
    ]
    assert resolver.asked == [("api.example.com", port)]


def _message(call: Callable[[], object]) -> str:
    with pytest.raises(PluginError) as info:
        call()
    return info.value.message


def test_refusals_name_the_url_and_the_reason() -> None:
    policy = resolving("93.184.216.34")
    long = "file:///" + "a" * 300
    assert _message(lambda: check_url(long, ["x"], policy)) == f"not an http(s) URL: {long[:200]!r}"
    assert _message(lambda: check_url("https:///x", ["x"], policy)) == "not an http(s) URL: 'https:///x'"
    bad_port = "https://api.example.com:99999/"
    assert _message(lambda: check_url(bad_port, ["x"], policy)).startswith(f"not a valid URL: {bad_port!r} (")
    wide = "é" * 150
    assert (
        _message(lambda: check_url(f"https://{wide}/", [wide], policy))
        == f"host {wide[:100]!r} is not ASCII: use its IDNA (punycode) form"
    )


def test_a_resolver_failure_and_refused_addresses_are_named() -> None:
    def failing(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    url, hosts = "https://api.example.com/", ["api.example.com"]
    with pytest.raises(InvalidInput) as info:
        check_url(url, hosts, NetPolicy(resolver=failing))
    assert info.value.message == "cannot resolve 'api.example.com': no such host"
    refused = _message(lambda: check_url(url, hosts, resolving("10.0.0.1", "127.0.0.1")))
    assert refused.startswith(
        "'api.example.com' resolves to addresses plugins may not reach: 10.0.0.1 is in "
    )
    assert "; 127.0.0.1 is in 127.0.0.0/8" in refused
    assert _message(lambda: check_url(url, hosts, resolving())) == (
        "'api.example.com' resolves to addresses plugins may not reach: none"
    )


def test_a_zone_index_is_dropped_before_the_address_is_judged() -> None:
    policy = NetPolicy()
    assert refusal("2606:4700::1%eth0", policy) is None
    assert (refusal("fe80::1%eth0", policy) or "").startswith("fe80::1 is in fe80::/10")
    assert (refusal("fe80::1%a%b", policy) or "").startswith("fe80::1 is in ")
    assert (refusal("127.0.0.1%x", policy) or "").startswith("127.0.0.1 is in 127.0.0.0/8")
    assert refusal("not-an-address", policy) == "'not-an-address' is not an IP address"


def test_url_host() -> None:
    assert url_host("https://API.Example.com:8443/x") == "api.example.com"
    assert url_host("file:///etc/passwd") == ""
    with pytest.raises(InvalidInput) as info:
        url_host("https://[::1/" + "a" * 300)
    assert info.value.message.startswith(f"not a valid URL: {('https://[::1/' + 'a' * 300)[:200]!r} (")


def test_the_system_resolver_answers_the_addresses_of_the_name() -> None:
    assert _resolve("127.0.0.2", 80) == ["127.0.0.2"]  # a literal: no DNS involved
    assert _resolve("::1", 443) == ["::1"]

"""Credentials: encrypted at rest, one plugin's never visible to another, and
OAuth2 refresh against a real token endpoint on loopback."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from loopback import PostServer
from wat import plugin_copy

from spacedrive_host import DamagedStore, Host, InvalidInput, NotFound, PermissionDenied, Unavailable
from spacedrive_host.credentials import Credential, OAuth2Token, Vault
from spacedrive_host.credentials.vault import REFRESH_MARGIN_S
from spacedrive_host.net import HttpProxy, NetPolicy

LOOPBACK = NetPolicy(allow_http=True, allow_loopback=True)
PROXY = HttpProxy(NetPolicy(), max_response_bytes=1 << 16)  # for vaults that never refresh


class TokenEndpoint(PostServer):
    """A real OAuth2 token endpoint on 127.0.0.1: refresh_token r<N> -> access a<N+1>, refresh r<N+1>."""

    def __init__(self) -> None:
        self.requests: list[dict[str, list[str]]] = []
        super().__init__(self._answer)

    def _answer(self, body: bytes) -> tuple[int, bytes, str | None]:
        form = parse_qs(body.decode())
        self.requests.append(form)
        refresh = form.get("refresh_token", [""])[0]
        if form.get("grant_type") != ["refresh_token"] or not refresh.startswith("r"):
            return 400, b"", None
        n = int(refresh[1:]) + 1
        token = {"access_token": f"a{n}", "refresh_token": f"r{n}", "expires_in": 3600}
        return 200, json.dumps(token).encode(), "application/json"


@pytest.fixture
def endpoint() -> Iterator[TokenEndpoint]:
    ep = TokenEndpoint()
    yield ep
    ep.close()


def expired_token(url: str) -> dict[str, Any]:
    return {
        "access_token": "a1",
        "refresh_token": "r1",
        "token_url": url,
        "client_id": "cid",
        "client_secret": "shh",
        "expires_at": time.time() - 10,
    }


def test_secrets_are_encrypted_at_rest(tmp_path: Path) -> None:
    vault = Vault(tmp_path, PROXY)
    vault.store("mail", Credential("imap", "secret", "hunter2-very-secret"))
    assert vault.get("mail", "imap").secret == "hunter2-very-secret"
    assert (tmp_path / "vault.key").stat().st_mode & 0o777 == 0o600
    raw = (tmp_path / "vault.db").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("vault.db-*"))
    assert b"hunter2" not in raw
    vault.close()


def test_a_ciphertext_moved_to_another_plugin_does_not_decrypt(tmp_path: Path) -> None:
    vault = Vault(tmp_path, PROXY)
    vault.store("mail", Credential("imap", "secret", "s3cret"))
    vault.close()
    db = sqlite3.connect(tmp_path / "vault.db")
    with db:
        db.execute("UPDATE credentials SET plugin_id = 'thief'")
    db.close()
    vault = Vault(tmp_path, PROXY)
    with pytest.raises(DamagedStore, match="does not decrypt"):
        vault.get("thief", "imap")
    vault.close()


def test_refresh_at_a_real_token_endpoint(tmp_path: Path, endpoint: TokenEndpoint) -> None:
    with Host(data_dir=tmp_path, net_policy=LOOPBACK) as host:
        host.execute(
            "action:credentials.store.v1",
            {"name": "gmail", "oauth2": expired_token(endpoint.url), "plugin": "fin"},
        )
        got = host.execute("query:credentials.get.v1", {"name": "gmail", "plugin": "fin"}).data()
        assert got["access_token"] == "a2"
        assert got["expires_at"] > time.time() + 3000
        assert endpoint.requests == [
            {
                "grant_type": ["refresh_token"],
                "refresh_token": ["r1"],
                "client_id": ["cid"],
                "client_secret": ["shh"],
            }
        ]
        again = host.execute("query:credentials.get.v1", {"name": "gmail", "plugin": "fin"}).data()
        assert again["access_token"] == "a2"  # stored: no second refresh
        assert len(endpoint.requests) == 1
        assert "refresh_token" not in again  # never leaves the host


def test_refresh_failures_are_typed(tmp_path: Path, endpoint: TokenEndpoint) -> None:
    with Host(data_dir=tmp_path, net_policy=LOOPBACK) as host:
        bad = {**expired_token(endpoint.url), "refresh_token": "bogus"}
        host.execute("action:credentials.store.v1", {"name": "t", "oauth2": bad, "plugin": "fin"})
        with pytest.raises(Unavailable, match="answered 400"):
            host.execute("query:credentials.get.v1", {"name": "t", "plugin": "fin"})
    with Host(data_dir=tmp_path / "strict") as strict:  # default policy: https and public addresses only
        strict.execute(
            "action:credentials.store.v1",
            {"name": "t", "oauth2": expired_token(endpoint.url), "plugin": "fin"},
        )
        with pytest.raises(PermissionDenied, match="only https"):
            strict.execute("query:credentials.get.v1", {"name": "t", "plugin": "fin"})


@pytest.fixture
def keepers(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    """Two copies of the echo plugin whose relay may use credentials."""
    with Host(data_dir=tmp_path / "host", net_policy=LOOPBACK) as host:
        for name, hosts in (("keeper-a", ["127.0.0.1"]), ("keeper-b", [])):
            permissions = {"methods": ["credentials."], "http_hosts": hosts}
            host.plugins.load(
                plugin_copy(built_plugins / "echo", tmp_path / name, id=name, permissions=permissions)
            )
        yield host


def relay(host: Host, plugin: str, method: str, payload: dict[str, Any]) -> Any:
    return host.call_plugin(plugin, "relay", {"method": method, "input": payload}).data()["output"]


def test_plugins_only_see_their_own_credentials(keepers: Host) -> None:
    relay(keepers, "keeper-a", "action:credentials.store.v1", {"name": "api", "secret": "a-secret"})
    assert relay(keepers, "keeper-a", "query:credentials.get.v1", {"name": "api"})["secret"] == "a-secret"
    with pytest.raises(NotFound, match="no credential 'api'"):
        relay(keepers, "keeper-b", "query:credentials.get.v1", {"name": "api"})
    with pytest.raises(PermissionDenied, match="cannot use the credentials of 'keeper-a'"):
        relay(keepers, "keeper-b", "query:credentials.get.v1", {"name": "api", "plugin": "keeper-a"})
    assert relay(keepers, "keeper-b", "query:credentials.list.v1", {}) == {"credentials": []}
    names = relay(keepers, "keeper-a", "query:credentials.list.v1", {})["credentials"]
    assert [(c["name"], c["kind"]) for c in names] == [("api", "secret")]
    assert relay(keepers, "keeper-a", "action:credentials.delete.v1", {"name": "api"}) == {"deleted": True}


def test_a_plugin_refreshes_only_at_hosts_it_may_reach(keepers: Host, endpoint: TokenEndpoint) -> None:
    token = expired_token(endpoint.url)
    relay(keepers, "keeper-a", "action:credentials.store.v1", {"name": "gmail", "oauth2": token})
    assert relay(keepers, "keeper-a", "query:credentials.get.v1", {"name": "gmail"})["access_token"] == "a2"
    relay(keepers, "keeper-b", "action:credentials.store.v1", {"name": "gmail", "oauth2": token})
    with pytest.raises(PermissionDenied, match="not in the manifest's http_hosts"):
        relay(keepers, "keeper-b", "query:credentials.get.v1", {"name": "gmail"})
    assert len(endpoint.requests) == 1


# -- the vault itself, value by value (`nox -s mutation` found these loose) ------------------


def token_of(url: str, **fields: Any) -> OAuth2Token:
    return OAuth2Token(**{**expired_token(url), **fields})


@pytest.fixture
def loopback_vault(tmp_path: Path) -> Iterator[Vault]:
    http = HttpProxy(LOOPBACK, max_response_bytes=1 << 16)
    vault = Vault(tmp_path, http)
    yield vault
    vault.close()
    http.close()


def test_kind_and_value_must_match(loopback_vault: Vault) -> None:
    token = token_of("http://127.0.0.1:1/token")
    for bad in (
        Credential("k", "secret"),
        Credential("k", "secret", "x", token),
        Credential("k", "oauth2"),
        Credential("k", "oauth2", "x", token),
        Credential("k", "other", "x"),
        Credential("k", "other", None, token),
    ):
        with pytest.raises(InvalidInput) as info:
            loopback_vault.store("a", bad)
        assert info.value.message == (
            "a credential is either a `secret` or an `oauth2` token, matching its kind"
        )
    assert loopback_vault.names("a") == []
    with pytest.raises(InvalidInput) as info:
        loopback_vault.store("a", Credential("-x", "secret", "s"))
    assert info.value.message == "credential name '-x' is not valid (expected [a-z0-9][a-z0-9_.-]{0,63})"


def test_a_token_round_trips_and_replaces_a_secret_of_the_same_name(loopback_vault: Vault) -> None:
    loopback_vault.store("a", Credential("k", "secret", "s"))
    token = token_of("http://127.0.0.1:1/token", expires_at=None, scope="read")
    loopback_vault.store("a", Credential("k", "oauth2", None, token))
    got = loopback_vault.get("a", "k")  # no expiry: never refreshed (the endpoint is not there)
    assert (got.name, got.kind, got.secret, got.oauth2) == ("k", "oauth2", None, token)
    assert loopback_vault.names("a") == [("k", "oauth2", got.updated_ns)]
    row = sqlite3.connect(loopback_vault.path).execute("SELECT plugin_id, name, kind, nonce FROM credentials")
    assert [(p, n, k, len(nonce)) for p, n, k, nonce in row] == [("a", "k", "oauth2", 12)]  # GCM's 96 bits


def test_a_token_is_refreshed_within_the_margin_of_its_expiry(
    loopback_vault: Vault, endpoint: TokenEndpoint
) -> None:
    def hosts(url: str) -> tuple[str, ...]:
        assert url == endpoint.url
        return ("127.0.0.1",)

    later = time.time() + REFRESH_MARGIN_S + 600
    loopback_vault.store("a", Credential("far", "oauth2", None, token_of(endpoint.url, expires_at=later)))
    assert loopback_vault.get("a", "far", hosts_for=hosts).oauth2.access_token == "a1"  # type: ignore[union-attr]
    soon = time.time() + REFRESH_MARGIN_S / 2
    loopback_vault.store("a", Credential("near", "oauth2", None, token_of(endpoint.url, expires_at=soon)))
    fresh = loopback_vault.get("a", "near", hosts_for=hosts)
    assert (fresh.name, fresh.kind, fresh.secret) == ("near", "oauth2", None)
    assert fresh.oauth2 is not None
    assert fresh.oauth2.access_token == "a2"
    assert loopback_vault.get("a", "near").oauth2 == fresh.oauth2  # stored, under its name
    assert len(endpoint.requests) == 1
    assert [n[0] for n in loopback_vault.names("a")] == ["far", "near"]


def test_without_hosts_a_refresh_is_refused(loopback_vault: Vault, endpoint: TokenEndpoint) -> None:
    loopback_vault.store("a", Credential("t", "oauth2", None, token_of(endpoint.url)))
    with pytest.raises(PermissionDenied, match="not in the manifest's http_hosts"):
        loopback_vault.get("a", "t")  # the default: no host at all
    assert endpoint.requests == []


def test_a_long_bad_plugin_id_is_shown_cut_short(loopback_vault: Vault) -> None:
    with pytest.raises(InvalidInput) as info:
        loopback_vault.names("X" * 100)
    assert info.value.message == f"plugin id {'X' * 80!r} is not valid (expected [a-z][a-z0-9_-]{{0,63}})"

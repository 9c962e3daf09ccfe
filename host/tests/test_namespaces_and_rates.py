"""Class 9: checks whose removal the suite must notice.

The sidecar plugin id is checked at the store, whoever calls (a trusted
surface's ``plugin: "../../escaped"`` writes nothing anywhere); the rate
limiter is bounded from above and below (refill rate and burst cap) on an
injected clock, never by sleeping."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacedrive_host import Host, InvalidInput
from spacedrive_host import rates as rate_limit  # the token bucket's module, whose clock is injected
from spacedrive_host.credentials import Credential, Vault
from spacedrive_host.library import LibraryStore
from spacedrive_host.net import HttpProxy, NetPolicy
from spacedrive_host.wire.rate_limit import RateLimiter, TokenBucket

ESCAPES = [
    "../../escaped",
    "..",
    ".",
    "a/b",
    "/abs",
    "Upper",
    "",
    "x" * 65,
    "1digit",
    "a\0b",
    "ok/../..",
    "é",
]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[tuple[LibraryStore, uuid.UUID, str, Path]]:
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_bytes(b"content")
    store = LibraryStore(tmp_path / "data")
    library = store.create("l", root)
    store.index(library.id)
    yield store, library.id, hashlib.sha256(b"content").hexdigest(), tmp_path
    store.close()


def _files(under: Path) -> set[Path]:
    return {p for p in under.rglob("*") if p.is_file()}


@pytest.mark.parametrize("plugin", ESCAPES)
def test_the_store_refuses_a_bad_plugin_id_for_every_sidecar_call(
    lib: tuple[LibraryStore, uuid.UUID, str, Path], plugin: str
) -> None:
    store, lib_id, h, tmp = lib
    before = _files(tmp)
    with pytest.raises(InvalidInput, match="plugin id"):
        store.write_sidecar(lib_id, plugin, h, "note", b"x")
    with pytest.raises(InvalidInput, match="plugin id"):
        store.read_sidecar(lib_id, plugin, h, "note")
    with pytest.raises(InvalidInput, match="plugin id"):
        store.sidecars(lib_id, plugin, h)
    with pytest.raises(InvalidInput, match="plugin id"):
        store.delete_sidecar(lib_id, plugin, h, "note")
    assert _files(tmp) == before


@pytest.fixture(scope="module")
def bare_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibraryStore]:
    store = LibraryStore(tmp_path_factory.mktemp("ids"))
    yield store
    store.close()


@given(st.text(max_size=70))
def test_any_plugin_id_outside_the_manifest_pattern_is_refused_at_the_store(
    bare_store: LibraryStore, plugin: str
) -> None:
    valid = re.fullmatch(r"[a-z][a-z0-9_-]{0,63}", plugin) is not None
    try:
        bare_store._sidecar_path(plugin, "0" * 64, "k")
    except InvalidInput:
        assert not valid
    else:
        assert valid


def test_a_trusted_caller_cannot_write_outside_the_data_dir(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_bytes(b"content")
    h = hashlib.sha256(b"content").hexdigest()
    with Host(data_dir=tmp_path / "data") as host:
        lib = host.execute("action:libraries.create.v1", {"name": "l", "root": str(root)}).data()
        lib_id = uuid.UUID(lib["id"])
        host.execute("action:libraries.index.v1", library_id=lib_id)
        before = _files(tmp_path)
        for plugin in ("../../escaped", "../escaped", "a/../../b"):
            with pytest.raises(InvalidInput):
                host.execute(
                    "action:vdfs.sidecars.write.v1",
                    {"content_hash": h, "kind": "note", "plugin": plugin},
                    library_id=lib_id,
                    tail=b"pwned",
                )
        assert _files(tmp_path) == before
        assert not (tmp_path / "escaped").exists()
        assert not (tmp_path / "data" / "escaped").exists()
        # The same call with a real id works: the refusal is about the id, not the call.
        ok = host.execute(
            "action:vdfs.sidecars.write.v1",
            {"content_hash": h, "kind": "note", "plugin": "ocr"},
            library_id=lib_id,
            tail=b"fine",
        ).data()
        assert ok["size"] == 4


# -- the rate limiter on an injected clock --------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(rate_limit, "time", c)
    return c


def _drain(bucket: TokenBucket) -> int:
    n = 0
    while bucket.try_acquire():
        n += 1
        # Above any rate these tests use: a bucket that never runs dry fails fast.
        assert n <= 10_000, "the bucket never runs dry"
    return n


@pytest.mark.parametrize("per_minute", [1, 5, 60, 1000])
def test_the_burst_is_exactly_the_per_minute_rate(clock: Clock, per_minute: int) -> None:
    bucket = TokenBucket.per_minute(per_minute)
    assert _drain(bucket) == per_minute
    clock.now += 3600  # an hour idle: the bucket is capped, not an hour's worth
    assert _drain(bucket) == per_minute


def test_refill_is_per_minute_over_sixty_seconds(clock: Clock) -> None:
    bucket = TokenBucket.per_minute(60)
    _drain(bucket)
    clock.now += 0.999
    assert not bucket.try_acquire()  # not yet one token
    clock.now += 0.002
    assert bucket.try_acquire()  # one token a second at 60/min
    assert not bucket.try_acquire()
    clock.now += 10.0
    assert _drain(bucket) == 10  # ten seconds: ten, not more, not fewer


@given(st.integers(1, 5_000), st.floats(0.0, 120.0))
def test_after_a_drain_the_grant_is_the_elapsed_share_of_the_rate(per_minute: int, elapsed: float) -> None:
    clock = Clock()
    original = rate_limit.__dict__["time"]
    setattr(rate_limit, "time", clock)  # noqa: B010 - the module's clock, injected
    try:
        bucket = TokenBucket.per_minute(per_minute)
        _drain(bucket)
        clock.now += elapsed
        expected = min(per_minute, int(elapsed * per_minute / 60.0 + 1e-9))
        got = _drain(bucket)
        assert expected - 1 <= got <= expected  # float rounding may cost at most one
    finally:
        setattr(rate_limit, "time", original)  # noqa: B010


def test_the_limiter_keeps_a_bucket_per_plugin_and_applies_a_new_rate(clock: Clock) -> None:
    limiter = RateLimiter()
    assert sum(limiter.try_acquire("a", 3) for _ in range(10)) == 3
    assert sum(limiter.try_acquire("b", 2) for _ in range(10)) == 2  # b has its own
    clock.now += 600  # at 2/min that would be 20 tokens: the cap is the rate
    # A reload at a lower rate: the bucket (kept) refills and caps at the new rate.
    assert sum(limiter.try_acquire("a", 2) for _ in range(30)) == 2


@pytest.mark.parametrize("plugin", ESCAPES)
def test_the_vault_refuses_a_bad_plugin_id_too(tmp_path: Path, plugin: str) -> None:
    http = HttpProxy(NetPolicy(), max_response_bytes=1)
    vault = Vault(tmp_path, http)
    try:
        for call in (
            lambda: vault.store(plugin, Credential("c", "secret", "s")),
            lambda: vault.get(plugin, "c"),
            lambda: vault.names(plugin),
            lambda: vault.delete(plugin, "c"),
        ):
            with pytest.raises(InvalidInput, match="plugin id"):
                call()
    finally:
        vault.close()
        http.close()


def test_a_reload_refills_at_the_new_rate(clock: Clock) -> None:
    limiter = RateLimiter()
    assert sum(limiter.try_acquire("a", 60) for _ in range(100)) == 60
    assert sum(limiter.try_acquire("a", 2) for _ in range(10)) == 0  # reloaded at 2/min: still dry
    clock.now += 30.0  # half a minute at 2/min: exactly one token
    assert sum(limiter.try_acquire("a", 2) for _ in range(10)) == 1
    clock.now += 29.0  # 29 s: not yet the next one
    assert not limiter.try_acquire("a", 2)

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
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacedrive_host import Host, InvalidInput, LimitExceeded, NotFound, PermissionDenied
from spacedrive_host import rates as rate_limit  # the token bucket's module, whose clock is injected
from spacedrive_host.credentials import Credential, Vault
from spacedrive_host.library import LibraryStore
from spacedrive_host.manifest import Manifest
from spacedrive_host.net import HttpProxy, NetPolicy
from spacedrive_host.ops._namespace import owner
from spacedrive_host.wire.caller import Caller
from spacedrive_host.wire.rate_limit import RateLimiter, TokenBucket
from spacedrive_host.wire.registry import Context

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


# -- the sidecar and credential namespaces, value by value ------------------------------


def test_sidecars_live_per_plugin_at_their_path(lib: tuple[LibraryStore, uuid.UUID, str, Path]) -> None:
    store, lib_id, h, tmp = lib
    car = store.write_sidecar(lib_id, "ocr", h, "text.v1", b"hello")
    assert (car.content_hash, car.kind, car.size) == (h, "text.v1", 5)
    assert car.sha256 == hashlib.sha256(b"hello").hexdigest()
    assert car.updated_ns > 0
    sidecars = tmp / "data" / "sidecars"
    assert (sidecars / "ocr" / h[:2] / h / "text.v1").read_bytes() == b"hello"
    assert sidecars.stat().st_mode & 0o777 == 0o700
    assert store.read_sidecar(lib_id, "ocr", h, "text.v1") == b"hello"
    # Another plugin's namespace is its own: same hash and kind, nothing shared.
    with pytest.raises(NotFound, match=f"no sidecar 'text.v1' for {h}$"):
        store.read_sidecar(lib_id, "other", h, "text.v1")
    assert store.sidecars(lib_id, "other", h) == []
    store.write_sidecar(lib_id, "ocr", h, "a.v1", b"")
    again = store.write_sidecar(lib_id, "ocr", h, "text.v1", b"hello, again")  # overwrites
    assert [(s.kind, s.size, s.sha256) for s in store.sidecars(lib_id, "ocr", h)] == [
        ("a.v1", 0, hashlib.sha256(b"").hexdigest()),
        ("text.v1", 12, again.sha256),
    ]
    assert store.read_sidecar(lib_id, "ocr", h, "text.v1") == b"hello, again"
    assert store.delete_sidecar(lib_id, "ocr", h, "text.v1") is True
    assert not (sidecars / "ocr" / h[:2] / h / "text.v1").exists()
    assert store.delete_sidecar(lib_id, "ocr", h, "text.v1") is False
    assert [s.kind for s in store.sidecars(lib_id, "ocr", h)] == ["a.v1"]


def test_sidecar_names_and_content_are_checked(lib: tuple[LibraryStore, uuid.UUID, str, Path]) -> None:
    store, lib_id, h, tmp = lib
    with pytest.raises(
        InvalidInput, match=re.escape("content hash 'abc' is not valid (expected [0-9a-f]{64})")
    ):
        store.write_sidecar(lib_id, "ocr", "abc", "k", b"x")
    with pytest.raises(InvalidInput, match=re.escape("sidecar kind '../k' is not valid")):
        store.write_sidecar(lib_id, "ocr", h, "../k", b"x")
    with pytest.raises(
        InvalidInput, match=re.escape("plugin id 'A' is not valid (expected [a-z][a-z0-9_-]{0,63})")
    ):
        store.sidecars(lib_id, "A", h)
    other = "0" * 64  # a well-formed hash no entry has
    for call in (
        lambda: store.write_sidecar(lib_id, "ocr", other, "k", b"x"),
        lambda: store.read_sidecar(lib_id, "ocr", other, "k"),
        lambda: store.sidecars(lib_id, "ocr", other),
        lambda: store.delete_sidecar(lib_id, "ocr", other, "k"),
    ):
        with pytest.raises(NotFound, match=f"no entry with content {other} in library {lib_id}"):
            call()
    assert not (tmp / "data" / "sidecars" / "ocr" / "00").exists()
    assert store.delete_sidecar(lib_id, "ocr", h, "never-written") is False


def test_a_sidecar_read_is_bounded(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_bytes(b"content")
    store = LibraryStore(tmp_path / "data", max_sidecar_bytes=4)
    try:
        library = store.create("l", root)
        store.index(library.id)
        h = hashlib.sha256(b"content").hexdigest()
        store.write_sidecar(library.id, "ocr", h, "k", b"1234")
        assert store.read_sidecar(library.id, "ocr", h, "k") == b"1234"
        store.write_sidecar(library.id, "ocr", h, "k", b"12345")
        with pytest.raises(LimitExceeded):
            store.read_sidecar(library.id, "ocr", h, "k")
    finally:
        store.close()


def test_credentials_live_per_plugin(tmp_path: Path) -> None:
    http = HttpProxy(NetPolicy(), max_response_bytes=1)
    vault = Vault(tmp_path, http)
    try:
        stored = vault.store("a", Credential("key", "secret", "s3cret"))
        assert (stored.name, stored.kind, stored.secret, stored.oauth2) == ("key", "secret", "s3cret", None)
        assert stored.updated_ns > 0
        vault.store("a", Credential("b-key", "secret", "other"))
        assert vault.get("a", "key").secret == "s3cret"
        assert [n[:2] for n in vault.names("a")] == [("b-key", "secret"), ("key", "secret")]
        assert vault.names("a")[1][2] == stored.updated_ns
        with pytest.raises(NotFound, match="no credential 'key'"):
            vault.get("b", "key")  # another plugin's namespace
        assert vault.names("b") == []
        assert vault.delete("b", "key") is False
        vault.store("a", Credential("key", "secret", "new"))  # replaces
        assert vault.get("a", "key").secret == "new"
        assert vault.delete("a", "key") is True
        assert vault.delete("a", "key") is False
        assert [n[0] for n in vault.names("a")] == ["b-key"]
        with pytest.raises(InvalidInput, match="credential name 'Bad' is not valid"):
            vault.store("a", Credential("Bad", "secret", "x"))
        with pytest.raises(InvalidInput, match="either a `secret` or an `oauth2` token"):
            vault.store("a", Credential("k", "oauth2", "x"))
        with pytest.raises(InvalidInput, match=re.escape("plugin id \"['x']\" is not valid")):
            vault.names(["x"])  # type: ignore[arg-type]  # not even a string
    finally:
        vault.close()
        http.close()


# -- whose namespace a request acts on (ops._namespace.owner) ----------------------------


def _context(caller: Caller) -> Context:
    return Context(services=cast(Any, None), caller=caller, library_id=None, tail=b"")


def test_a_plugin_acts_only_in_its_own_namespace() -> None:
    manifest = Manifest.model_validate(
        {"id": "notes", "name": "N", "version": "1.0.0", "wasm_file": "n.wasm"}
    )
    ctx = _context(Caller.plugin(manifest))
    assert owner(ctx, None, "sidecars") == "notes"
    assert owner(ctx, "notes", "sidecars") == "notes"
    with pytest.raises(PermissionDenied) as refused:
        owner(ctx, "other", "sidecars")
    assert refused.value.message == "plugin 'notes' cannot use the sidecars of 'other'"


def test_a_trusted_caller_names_the_namespace() -> None:
    ctx = _context(Caller.trusted("cli"))
    assert owner(ctx, "notes", "credentials") == "notes"
    with pytest.raises(PermissionDenied) as refused:
        owner(ctx, None, "credentials")
    assert refused.value.message == "say whose credentials: `plugin` is required for trusted callers"

"""Damaged state (class 6): every store checks itself on open and fails in a typed
`DamagedStore` naming the file and what to do; bad rows are typed errors; the
CLI prints no traceback; concurrent first starts migrate once; token endpoint
answers are validated before anything is stored; `spacedrive doctor` checks and,
with --repair, quarantines and recreates."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loopback import PostServer
from typer.testing import CliRunner

from spacedrive_host import DamagedStore, ErrorCode, Host, Unavailable, store_db
from spacedrive_host.cli.app import app
from spacedrive_host.cli.exit_codes import EXIT_CODES
from spacedrive_host.credentials import Credential, Vault
from spacedrive_host.doctor import check
from spacedrive_host.jobs import JobStore
from spacedrive_host.library import LibraryStore
from spacedrive_host.library.migrations import MIGRATIONS as LIBRARY_MIGRATIONS
from spacedrive_host.net import HttpProxy, NetPolicy

STORES = ("library.db", "jobs.db", "vault.db", "storage.db")
PROXY = HttpProxy(NetPolicy(), max_response_bytes=1 << 16)


def _damage(path: Path, how: str) -> None:
    if how == "garbage":
        path.write_bytes(b"this is not a database at all\n" * 200)
    elif how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2 + 7])
    elif how == "zeroed-header":
        raw = bytearray(path.read_bytes())
        raw[:100] = bytes(100)
        path.write_bytes(bytes(raw))
    elif how == "directory":
        path.unlink()
        path.mkdir()


def _fresh(data: Path) -> None:
    """A data directory whose stores all exist, with a few rows each."""
    root = data.parent / "libroot"
    root.mkdir(exist_ok=True)
    for i in range(50):
        (root / f"f{i}.txt").write_text("x" * i)
    with Host(data_dir=data) as host:
        lib = host.library.create("l", root)
        host.library.index(lib.id)
        host.vault.store("p", Credential("c", "secret", "s"))
        for i in range(40):
            host.jobs.store.create("p", "j", {"i": i, "pad": "y" * 200})
            host.storage.set("p", f"k{i}", "z" * 200)
    for name in STORES:  # fold the WAL in, so damage to the file is damage to the data
        db = sqlite3.connect(data / name)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()


@pytest.mark.parametrize("how", ["garbage", "truncated", "zeroed-header", "directory"])
@pytest.mark.parametrize("name", STORES)
def test_a_damaged_store_file_fails_host_start_with_a_typed_error(
    tmp_path: Path, name: str, how: str
) -> None:
    data = tmp_path / "data"
    _fresh(data)
    _damage(data / name, how)
    with pytest.raises(DamagedStore) as err:
        Host(data_dir=data).close()
    assert name in err.value.message
    assert "spacedrive doctor" in err.value.message
    assert err.value.code.value == "unavailable"


@pytest.mark.parametrize("how", ["garbage", "directory", "short"])
def test_a_damaged_vault_key_is_a_typed_error(tmp_path: Path, how: str) -> None:
    data = tmp_path / "data"
    _fresh(data)
    key = data / "vault.key"
    if how == "short":
        key.write_bytes(b"x" * 5)
    else:
        _damage(key, how)
    with pytest.raises(DamagedStore, match=r"vault\.key"):
        Host(data_dir=data).close()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("input", "{not json"),
        ("state", "exploded"),
        ("checkpoint", "\x00"),
        ("output", "[1,"),
        ("steps", "many"),
    ],
)
def test_a_bad_job_row_is_a_typed_error_naming_the_job(tmp_path: Path, column: str, value: str) -> None:
    store = JobStore(tmp_path)
    job = store.create("p", "j", {"a": 1})
    other = store.create("p", "j", {"a": 2})
    store.close()
    db = sqlite3.connect(tmp_path / "jobs.db")
    with db:
        db.execute(f"UPDATE jobs SET {column} = ? WHERE id = ?", (value, job.id))
    db.close()
    store = JobStore(tmp_path)
    try:
        with pytest.raises(DamagedStore, match=job.id):
            store.get(job.id)
        assert [j.id for j in store.all()] == [other.id]  # left out (logged), never hiding the others
        assert [j for j, _ in store.damaged_rows()] == [job.id]
    finally:
        store.close()


def test_a_missing_table_is_a_typed_error(tmp_path: Path) -> None:
    JobStore(tmp_path).close()
    db = sqlite3.connect(tmp_path / "jobs.db")
    db.execute("DROP TABLE jobs")
    db.close()
    store = JobStore(tmp_path)  # user_version says migrated: the table is not recreated
    try:
        with pytest.raises(DamagedStore, match="no such table"):
            store.all()
    finally:
        store.close()


def test_a_bad_credential_row_is_a_typed_error(tmp_path: Path) -> None:
    vault = Vault(tmp_path, PROXY)
    vault.store("p", Credential("c", "secret", "s"))
    vault.close()
    db = sqlite3.connect(tmp_path / "vault.db")
    with db:
        db.execute("UPDATE credentials SET nonce = x'00'")
    db.close()
    vault = Vault(tmp_path, PROXY)
    try:
        with pytest.raises(DamagedStore, match="does not decrypt"):
            vault.get("p", "c")
        assert [(p, n) for p, n, _ in vault.damaged_rows()] == [("p", "c")]
    finally:
        vault.close()


def test_newer_schema_is_refused_by_name(tmp_path: Path) -> None:
    LibraryStore(tmp_path).close()
    db = sqlite3.connect(tmp_path / "library.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(DamagedStore, match="schema version 99"):
        LibraryStore(tmp_path)


# -- the CLI prints a typed error, never a traceback --------------------------------


@pytest.mark.parametrize("argv", [["job", "status"], ["job", "resume"], ["plugin", "list"]])
def test_cli_on_a_damaged_data_dir_prints_the_error_not_a_traceback(tmp_path: Path, argv: list[str]) -> None:
    data = tmp_path / "data"
    _fresh(data)
    _damage(data / "jobs.db", "garbage")
    result = CliRunner().invoke(app, ["--data-dir", str(data), *argv])
    assert result.exit_code == EXIT_CODES[ErrorCode.UNAVAILABLE]  # DamagedStore
    assert result.exception is None or isinstance(result.exception, SystemExit)
    out = result.output
    assert "Traceback" not in out
    assert "error[unavailable]" in out
    assert "jobs.db" in out


# -- concurrent first starts ----------------------------------------------------------


def _first_start(data: str) -> str:
    try:
        LibraryStore(Path(data)).close()
        JobStore(Path(data)).close()
        Vault(Path(data), HttpProxy(NetPolicy(), max_response_bytes=1)).close()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_concurrent_first_starts_on_one_fresh_data_dir_migrate_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    dirs = [str(tmp_path / f"d{i}") for i in range(3)]
    with ctx.Pool(8) as pool:
        results = pool.map(_first_start, [d for d in dirs for _ in range(8)])
    assert results == ["ok"] * len(results)
    for d in dirs:
        db = sqlite3.connect(Path(d) / "library.db")
        assert db.execute("PRAGMA user_version").fetchone() == (len(LIBRARY_MIGRATIONS),)
        db.close()
        assert len((Path(d) / "vault.key").read_bytes()) == 32


# -- token endpoint answers are validated before they are stored ---------------------


class Endpoint(PostServer):
    """A token endpoint on loopback that answers whatever `answer` is (JSON, or raw bytes)."""

    def __init__(self) -> None:
        self.answer: Any = {}
        super().__init__(self._reply)

    def _reply(self, body: bytes) -> tuple[int, bytes, str | None]:
        raw = self.answer if isinstance(self.answer, bytes) else json.dumps(self.answer).encode()
        return 200, raw, None


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    ep = Endpoint()
    yield ep
    ep.close()


@pytest.fixture(scope="module")
def token_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    with Host(
        data_dir=tmp_path_factory.mktemp("tok"), net_policy=NetPolicy(allow_http=True, allow_loopback=True)
    ) as h:
        yield h


def _expired(url: str) -> dict[str, Any]:
    return {
        "access_token": "a1",
        "refresh_token": "r1",
        "token_url": url,
        "client_id": "c",
        "expires_at": time.time() - 5,
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=80)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "access_token": json_values,
            "refresh_token": json_values,
            "expires_in": json_values,
            "scope": json_values,
        },
    )
)
def test_a_refresh_answer_is_stored_only_if_valid(
    endpoint: Endpoint, token_host: Host, answer: dict[str, Any]
) -> None:
    endpoint.answer = answer
    token_host.execute(
        "action:credentials.store.v1", {"name": "t", "oauth2": _expired(endpoint.url), "plugin": "p"}
    )
    try:
        got = token_host.execute("query:credentials.get.v1", {"name": "t", "plugin": "p"}).data()
    except Unavailable as exc:
        assert "nothing stored" in exc.message  # noqa: PT017 - either outcome is checked
        # Nothing was stored: the credential still holds the old token and can still refresh.
        record = token_host.vault._open("p", "t")
        assert record.oauth2 is not None
        assert record.oauth2.access_token == "a1"
        return
    assert isinstance(answer.get("access_token"), str)
    assert answer["access_token"]
    assert got["access_token"] == answer["access_token"]
    stored = token_host.vault._open("p", "t").oauth2
    assert stored is not None
    assert stored.scope is None or isinstance(stored.scope, str)
    assert stored.expires_at is None or isinstance(stored.expires_at, float)


@pytest.mark.parametrize(
    "answer",
    [
        {"access_token": "a2", "expires_in": "soon"},
        {"access_token": "a2", "scope": 5},
        {"access_token": "a2", "expires_in": True},
        {"access_token": "a2", "expires_in": -1},
        {"access_token": 7},
        {"access_token": ""},
        b"not json",
    ],
)
def test_known_bad_refresh_answers_are_refused(endpoint: Endpoint, token_host: Host, answer: Any) -> None:
    endpoint.answer = answer
    token_host.execute(
        "action:credentials.store.v1", {"name": "b", "oauth2": _expired(endpoint.url), "plugin": "p"}
    )
    with pytest.raises(Unavailable, match="not valid"):
        token_host.execute("query:credentials.get.v1", {"name": "b", "plugin": "p"})
    endpoint.answer = {
        "access_token": "a3",
        "expires_in": "3600",
        "scope": "mail",
    }  # digits as text: accepted
    got = token_host.execute("query:credentials.get.v1", {"name": "b", "plugin": "p"}).data()
    assert got["access_token"] == "a3"
    assert got["expires_at"] > time.time() + 3000


# -- spacedrive doctor ----------------------------------------------------------------


def test_doctor_reports_and_repairs_damaged_stores(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _fresh(data)
    assert {f.file.name: f.status for f in check(data)} == {
        "vault.key": "ok",
        "library.db": "ok",
        "jobs.db": "ok",
        "vault.db": "ok",
        "storage.db": "ok",
    }
    _damage(data / "jobs.db", "garbage")
    _damage(data / "library.db", "truncated")
    findings = {f.file.name: f for f in check(data)}
    assert findings["jobs.db"].status == "damaged"
    assert findings["library.db"].status == "damaged"
    assert findings["vault.db"].status == "ok"
    repaired = {f.file.name: f for f in check(data, repair=True)}
    assert repaired["jobs.db"].status == "repaired"
    assert repaired["library.db"].status == "repaired"
    assert len(list(data.glob("jobs.db.damaged-*"))) == 1  # set aside, not deleted
    assert {f.status for f in check(data)} == {"ok"}
    with Host(data_dir=data) as host:  # starts again
        assert host.vault.get("p", "c").secret == "s"  # the undamaged stores kept their data
        assert host.storage.get("p", "k1").value == "z" * 200


def test_doctor_removes_only_the_bad_rows(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    good = store.create("p", "j", 1)
    bad = store.create("p", "j", 2)
    store.close()
    db = sqlite3.connect(tmp_path / "jobs.db")
    with db:
        db.execute("UPDATE jobs SET state = 'nonsense' WHERE id = ?", (bad.id,))
    db.close()
    assert {f.file.name: f.status for f in check(tmp_path)}["jobs.db"] == "damaged"
    assert {f.file.name: f.status for f in check(tmp_path, repair=True)}["jobs.db"] == "repaired"
    store = JobStore(tmp_path)
    try:
        assert [j.id for j in store.all()] == [good.id]
    finally:
        store.close()


def test_doctor_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _fresh(data)
    _damage(data / "vault.db", "garbage")
    runner = CliRunner()
    found = runner.invoke(app, ["--data-dir", str(data), "doctor"])
    assert found.exit_code == 1
    assert "damaged" in found.output
    assert "Traceback" not in found.output
    fixed = runner.invoke(app, ["--data-dir", str(data), "doctor", "--repair"])
    assert fixed.exit_code == 0
    assert "repaired" in fixed.output
    assert runner.invoke(app, ["--data-dir", str(data), "doctor"]).exit_code == 0


def test_damage_inside_a_table_is_found_on_open_not_at_first_use(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    for i in range(300):
        store.create("p", "j", {"i": i, "pad": "z" * 500})
    store.close()
    db = sqlite3.connect(tmp_path / "jobs.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    raw = bytearray((tmp_path / "jobs.db").read_bytes())
    assert len(raw) > 20 * page_size
    raw[10 * page_size : 13 * page_size] = b"\xff" * (3 * page_size)  # header and schema intact
    (tmp_path / "jobs.db").write_bytes(bytes(raw))
    with pytest.raises(DamagedStore, match=r"jobs\.db"):
        JobStore(tmp_path)


@pytest.mark.parametrize("where", ["plugins", "cache"])
def test_a_file_where_a_data_folder_should_be_is_a_typed_error(tmp_path: Path, where: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / where).write_text("not a folder")
    with pytest.raises(DamagedStore, match=where):
        Host(data_dir=data).close()


def test_a_failed_start_leaves_no_thread_behind(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _fresh(data)
    _damage(data / "jobs.db", "garbage")
    before = {t.ident for t in threading.enumerate()}
    for _ in range(3):
        with pytest.raises(DamagedStore):
            Host(data_dir=data)
    assert {t.ident for t in threading.enumerate()} - before == set()  # no engine ticker leaked


def test_a_damaged_compile_cache_only_costs_speed(tmp_path: Path, built_plugins: Path) -> None:
    data = tmp_path / "data"
    (data / "cache" / "modules" / "hmac.key").mkdir(parents=True)  # a folder where the key should be
    with Host(data_dir=data) as host:
        host.plugins.load(built_plugins / "hello")
        assert host.call_plugin("hello", "greet", {"name": "x"}).data()["output"]
    fifo_data = tmp_path / "fifo"
    with Host(data_dir=fifo_data) as host:
        host.plugins.load(built_plugins / "hello")
        entries = list((fifo_data / "cache" / "modules").glob("*.cwasm"))
        assert len(entries) == 1
    entries[0].unlink()
    os.mkfifo(entries[0])  # a FIFO where an entry should be: never opened blocking
    with Host(data_dir=fifo_data) as host:
        info = host.plugins.load(built_plugins / "hello")
        assert info.cache is not None
        assert info.cache.value in ("miss", "replaced")


def test_a_large_store_is_probed_on_open_and_checked_in_full_by_doctor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = JobStore(tmp_path)
    for i in range(300):
        store.create("p", "j", {"i": i, "pad": "z" * 500})
    store.close()
    db = sqlite3.connect(tmp_path / "jobs.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    raw = bytearray((tmp_path / "jobs.db").read_bytes())
    raw[10 * page_size : 13 * page_size] = b"\xff" * (3 * page_size)
    (tmp_path / "jobs.db").write_bytes(bytes(raw))
    monkeypatch.setattr(store_db, "QUICK_CHECK_MAX_BYTES", 1024)  # so this file counts as large
    opened = JobStore(tmp_path)  # only the schema is read on open
    try:
        with pytest.raises(DamagedStore, match=r"jobs\.db"):
            opened.all()  # the damage surfaces, typed, at first use
    finally:
        opened.close()
    assert {f.file.name: f.status for f in check(tmp_path)}["jobs.db"] == "damaged"  # doctor checks in full

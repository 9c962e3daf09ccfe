"""The library store on real SQLite and real files, and its operations through
a real wasm plugin (`librarian`, written with the generated client)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from wat import plugin_copy

from spacedrive_host import Host, HostLimits, InvalidInput, LimitExceeded, NotFound, PermissionDenied
from spacedrive_host.library import LibraryStore
from spacedrive_host.library.migrations import MIGRATIONS


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "files"
    (r / "docs").mkdir(parents=True)
    (r / "docs" / "a.txt").write_text("one two three")
    (r / "docs" / "b.txt").write_text("four five")
    (r / "photo.png").write_bytes(b"\x89PNG\r\n" + bytes(100))
    return r


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    s = LibraryStore(tmp_path / "data")
    yield s
    s.close()


def test_index_is_incremental(store: LibraryStore, root: Path) -> None:
    lib = store.create("files", root)
    first = store.index(lib.id)
    assert (first.added, first.updated, first.removed, first.unchanged) == (3, 0, 0, 0)
    (root / "docs" / "a.txt").write_text("changed, now four words")
    os.utime(root / "docs" / "a.txt", ns=(1, 1))
    (root / "docs" / "b.txt").unlink()
    (root / "new.md").write_text("# new")
    second = store.index(lib.id)
    assert (second.added, second.updated, second.removed, second.unchanged) == (1, 1, 1, 1)
    entries, total = store.entries(lib.id)
    assert total == 3
    assert [e.path for e in entries] == ["docs/a.txt", "new.md", "photo.png"]
    assert store.entry(lib.id, "photo.png").kind == "image/png"


def test_paging_prefix_and_kind(store: LibraryStore, root: Path) -> None:
    lib = store.create("files", root)
    store.index(lib.id)
    page, total = store.entries(lib.id, prefix="docs/", limit=1, offset=1)
    assert ([e.path for e in page], total) == (["docs/b.txt"], 2)
    texts, total = store.entries(lib.id, kind="text/plain")
    assert ([e.path for e in texts], total) == (["docs/a.txt", "docs/b.txt"], 2)


def test_symlinks_are_not_followed_out_of_the_root(store: LibraryStore, root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not index me")
    (root / "link.txt").symlink_to(secret)
    lib = store.create("files", root)
    store.index(lib.id)
    with pytest.raises(NotFound):
        store.entry(lib.id, "link.txt")
    with pytest.raises(NotFound):
        store.read(lib.id, "../secret.txt", offset=0, length=None, limit=1 << 20)


def test_reads_ranges_within_the_limit(store: LibraryStore, root: Path) -> None:
    lib = store.create("files", root)
    store.index(lib.id)
    assert store.read(lib.id, "docs/a.txt", offset=4, length=3, limit=100) == b"two"
    with pytest.raises(LimitExceeded, match="read it in ranges"):
        store.read(lib.id, "photo.png", offset=0, length=None, limit=10)


def test_sidecars_are_per_plugin_and_atomic(store: LibraryStore, root: Path) -> None:
    lib = store.create("files", root)
    store.index(lib.id)
    h = store.entry(lib.id, "docs/a.txt").content_hash
    store.write_sidecar(lib.id, "ocr", h, "text.txt", b"v1")
    store.write_sidecar(lib.id, "ocr", h, "text.txt", b"version two")
    assert store.read_sidecar(lib.id, "ocr", h, "text.txt") == b"version two"
    with pytest.raises(NotFound):
        store.read_sidecar(lib.id, "thumbs", h, "text.txt")  # another plugin's namespace is empty
    assert [s.kind for s in store.sidecars(lib.id, "ocr", h)] == ["text.txt"]
    assert store.delete_sidecar(lib.id, "ocr", h, "text.txt")
    assert not store.delete_sidecar(lib.id, "ocr", h, "text.txt")
    leftovers = [p for p in (store._sidecars).rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


@pytest.mark.parametrize("kind", ["../escape", "a/b", ".hidden", "", "x" * 70, "UPPER"])
def test_sidecar_names_cannot_escape(store: LibraryStore, root: Path, kind: str) -> None:
    lib = store.create("files", root)
    store.index(lib.id)
    h = store.entry(lib.id, "docs/a.txt").content_hash
    with pytest.raises(InvalidInput, match="sidecar kind"):
        store.write_sidecar(lib.id, "ocr", h, kind, b"x")


def test_sidecars_need_content_of_the_library(store: LibraryStore, root: Path) -> None:
    lib = store.create("files", root)
    with pytest.raises(NotFound, match="no entry with content"):
        store.write_sidecar(lib.id, "ocr", "0" * 64, "a.txt", b"x")


def test_migrations_run_once_and_survive_reopening(tmp_path: Path, root: Path) -> None:
    store = LibraryStore(tmp_path / "d")
    lib = store.create("files", root)
    store.close()
    again = LibraryStore(tmp_path / "d")
    assert again.get(lib.id).name == "files"
    again.close()
    db = sqlite3.connect(tmp_path / "d" / "library.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.fixture
def wired(tmp_path: Path, built_plugins: Path, root: Path) -> Iterator[tuple[Host, UUID]]:
    with Host(data_dir=tmp_path / "host", limits=HostLimits(max_payload_bytes=1 << 16)) as host:
        lib = host.execute("action:libraries.create.v1", {"name": "files", "root": str(root)}).data()
        lid = UUID(lib["id"])
        host.execute("action:libraries.index.v1", library_id=lid)
        host.plugins.load(built_plugins / "librarian")
        host.plugins.load(plugin_copy(built_plugins / "librarian", tmp_path / "snoop", id="snoop"))
        yield host, lid


def test_a_plugin_uses_the_library_through_the_generated_client(wired: tuple[Host, UUID]) -> None:
    host, lid = wired
    out = host.call_plugin("librarian", "summarize", {"library": str(lid)}).data()["output"]
    assert out == {"files": 2, "words": 5}
    entry = host.execute("query:vdfs.entries.get.v1", {"path": "docs/a.txt"}, library_id=lid).data()
    car = host.execute(
        "query:vdfs.sidecars.read.v1",
        {"content_hash": entry["content_hash"], "kind": "words.json", "plugin": "librarian"},
        library_id=lid,
    )
    assert json.loads(car.tail) == {"path": "docs/a.txt", "words": 3}


def test_one_plugin_cannot_read_anothers_sidecars(wired: tuple[Host, UUID]) -> None:
    host, lid = wired
    host.call_plugin("librarian", "summarize", {"library": str(lid)})
    h = host.execute("query:vdfs.entries.get.v1", {"path": "docs/a.txt"}, library_id=lid).data()[
        "content_hash"
    ]
    ask = {"library": str(lid), "content_hash": h, "kind": "words.json"}
    with pytest.raises(PermissionDenied, match="cannot use the sidecars of 'librarian'"):
        host.call_plugin("snoop", "sidecar", {**ask, "plugin": "librarian"})
    with pytest.raises(NotFound, match="no sidecar"):
        host.call_plugin("snoop", "sidecar", ask)  # its own namespace has none
    assert host.call_plugin("librarian", "sidecar", ask).tail == b'{"path":"docs/a.txt","words":3}'


def test_library_operations_refuse_bad_input(wired: tuple[Host, UUID]) -> None:
    host, lid = wired
    with pytest.raises(NotFound, match="no library"):
        host.execute("query:vdfs.entries.list.v1", library_id=UUID(int=5))
    with pytest.raises(NotFound, match="no entry"):
        host.execute("query:vdfs.files.read.v1", {"path": "../../etc/passwd"}, library_id=lid)
    with pytest.raises(InvalidInput, match="content_hash"):
        host.execute(
            "query:vdfs.sidecars.read.v1", {"content_hash": "zz", "kind": "a", "plugin": "x"}, library_id=lid
        )
    with pytest.raises(PermissionDenied, match="`plugin` is required"):
        host.execute("query:vdfs.sidecars.list.v1", {"content_hash": "0" * 64}, library_id=lid)
    with pytest.raises(InvalidInput, match="not a directory"):
        host.execute("action:libraries.create.v1", {"name": "x", "root": "/does/not/exist"})
    # Trusted callers see where a library lives; plugins get `root: null` (see libraries.py).
    listed = host.execute("query:libraries.list.v1").data()["libraries"]
    assert listed[0]["root"] is not None

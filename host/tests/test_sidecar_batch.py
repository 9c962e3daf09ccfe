"""Several sidecars of one kind in one call (`vdfs.sidecars.write_many` / `read_many`):
the store checks every name and content before writing, records them in one
transaction, and reads back only those that exist, in the order asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from spacedrive_host import Host, HostLimits, InvalidInput, LimitExceeded, NotFound
from spacedrive_host.library import LibraryStore, sidecars


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[LibraryStore, UUID, list[str]]]:
    root = tmp_path / "files"
    root.mkdir()
    for name in ("a", "b", "c"):
        (root / f"{name}.txt").write_text(f"content {name}")
    s = LibraryStore(tmp_path / "data")
    lib = s.create("files", root)
    s.index(lib.id)
    hashes = [e.content_hash for e in s.entries(lib.id)[0]]
    yield s, lib.id, hashes
    s.close()


def test_written_together_read_back_in_order(store: tuple[LibraryStore, UUID, list[str]]) -> None:
    s, lid, (a, b, c) = store
    cars = s.write_sidecars(lid, "fin", "r.json", [(a, b"A"), (c, b"CC")])
    assert [(car.content_hash, car.size) for car in cars] == [(a, 1), (c, 2)]
    assert s.read_sidecars(lid, "fin", "r.json", [c, b, a], limit=100) == [(c, b"CC"), (a, b"A")]
    assert s.read_sidecar(lid, "fin", a, "r.json") == b"A"
    assert s.read_sidecars(lid, "other", "r.json", [a], limit=100) == []  # another plugin's: none
    assert [car.kind for car in s.sidecars(lid, "fin", c)] == ["r.json"]


def test_nothing_is_written_when_one_content_is_unknown(store: tuple[LibraryStore, UUID, list[str]]) -> None:
    s, lid, (a, _, _) = store
    with pytest.raises(NotFound, match=f"no entry with content {'0' * 64}"):
        s.write_sidecars(lid, "fin", "r.json", [(a, b"A"), ("0" * 64, b"x")])
    assert s.read_sidecars(lid, "fin", "r.json", [a], limit=100) == []
    with pytest.raises(InvalidInput, match="content hash"):
        s.write_sidecars(lid, "fin", "r.json", [(a, b"A"), ("../x", b"x")])


def test_too_many_bytes_together_is_limit_exceeded(store: tuple[LibraryStore, UUID, list[str]]) -> None:
    s, lid, (a, b, _) = store
    s.write_sidecars(lid, "fin", "r.json", [(a, b"x" * 60), (b, b"y" * 60)])
    with pytest.raises(LimitExceeded, match="ask for fewer at once"):
        s.read_sidecars(lid, "fin", "r.json", [a, b], limit=100)


def test_through_the_registry(tmp_path: Path) -> None:
    root = tmp_path / "files"
    root.mkdir()
    (root / "a.txt").write_text("one")
    (root / "b.txt").write_text("two")
    with Host(data_dir=tmp_path / "host", limits=HostLimits(max_payload_bytes=1 << 16)) as host:
        lid = UUID(host.execute("action:libraries.create.v1", {"name": "f", "root": str(root)}).data()["id"])
        host.execute("action:libraries.index.v1", library_id=lid)
        a, b = (
            e["content_hash"]
            for e in host.execute("query:vdfs.entries.list.v1", library_id=lid).data()["entries"]
        )
        parts = [{"content_hash": a, "size": 3}, {"content_hash": b, "size": 2}]
        written = host.execute(
            "action:vdfs.sidecars.write_many.v1",
            {"kind": "n.txt", "parts": parts, "plugin": "p"},
            library_id=lid,
            tail=b"AAABB",
        ).data()
        assert [c["size"] for c in written["sidecars"]] == [3, 2]
        got = host.execute(
            "query:vdfs.sidecars.read_many.v1",
            {"kind": "n.txt", "content_hashes": [b, a], "plugin": "p"},
            library_id=lid,
        )
        assert got.data()["parts"] == [{"content_hash": b, "size": 2}, {"content_hash": a, "size": 3}]
        assert got.tail == b"BBAAA"
        with pytest.raises(InvalidInput, match="add up to 5 bytes; the tail has 4"):
            host.execute(
                "action:vdfs.sidecars.write_many.v1",
                {"kind": "n.txt", "parts": parts, "plugin": "p"},
                library_id=lid,
                tail=b"AAAB",
            )


def test_a_refused_file_leaves_none_of_the_group(tmp_path: Path) -> None:
    from spacedrive_host import fs

    root = tmp_path / "cars"
    (root / "a").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InvalidInput, match="symlink"):
        fs.write_files(root, [("a/x", b"1"), ("link/y", b"2")])
    assert sorted(p.name for p in root.rglob("*")) == ["a", "link"]
    fs.write_files(root, [("a/x", b"1"), ("b/y", b"2"), ("a/x", b"3")])
    assert ((root / "a" / "x").read_bytes(), (root / "b" / "y").read_bytes()) == (b"3", b"2")


def test_the_byte_bound_admits_exactly_its_limit(store: tuple[LibraryStore, UUID, list[str]]) -> None:
    s, lid, (a, b, _) = store
    s.write_sidecars(lid, "fin", "r.json", [(a, b"x" * 60), (b, b"y" * 40)])
    assert [h for h, _ in s.read_sidecars(lid, "fin", "r.json", [a, b], limit=100)] == [a, b]
    with pytest.raises(NotFound, match=f"no entry with content {'0' * 64}"):
        s.read_sidecars(lid, "fin", "r.json", [a, "0" * 64], limit=100)  # every content is checked


def test_contents_are_checked_in_chunks_that_cover_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sidecars, "_IN_CHUNK", 2)  # five contents: three queries
    root = tmp_path / "files"
    root.mkdir()
    for n in range(5):
        (root / f"{n}.txt").write_text(f"content {n}")
    s = LibraryStore(tmp_path / "data")
    try:
        lib = s.create("files", root)
        s.index(lib.id)
        hashes = [e.content_hash for e in s.entries(lib.id)[0]]
        s.write_sidecars(lib.id, "fin", "r.json", [(h, b"1") for h in hashes])
        assert len(s.read_sidecars(lib.id, "fin", "r.json", hashes, limit=100)) == 5
    finally:
        s.close()

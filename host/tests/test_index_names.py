"""Names that are not UTF-8 (class 5, index part): one such file never fails the
index of a whole library; it is skipped and reported, and every other file is
indexed. Through the store and through `libraries.index` on the wire."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from spacedrive_host import Host
from spacedrive_host.library import LibraryStore


def test_a_non_utf8_name_is_skipped_and_reported_not_fatal(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "good.txt").write_bytes(b"good")
    with open(os.path.join(os.fsencode(root), b"\xff\xfe"), "wb") as fh:
        fh.write(b"bad name")
    os.mkdir(os.path.join(os.fsencode(root), b"dir\xc3"))
    with open(os.path.join(os.fsencode(root), b"dir\xc3", b"inner.txt"), "wb") as fh:
        fh.write(b"inside a bad folder")
    store = LibraryStore(tmp_path / "data")
    try:
        lib = store.create("l", root)
        report = store.index(lib.id)
        assert report.added == 1
        assert sorted(p for p, _ in report.skipped) == ["\\xff\\xfe", "dir\\xc3"]
        assert all("not UTF-8" in why for _, why in report.skipped)
        entries, total = store.entries(lib.id)
        assert total == 1
        assert entries[0].path == "good.txt"
        assert store.index(lib.id).unchanged == 1  # and again, stably
    finally:
        store.close()


def test_the_operation_reports_skipped_files(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_bytes(b"a")
    with open(os.path.join(os.fsencode(root), b"caf\xe9.txt"), "wb") as fh:
        fh.write(b"latin-1 name")
    with Host(data_dir=tmp_path / "data") as host:
        lib = host.execute("action:libraries.create.v1", {"name": "l", "root": str(root)}).data()
        out = host.execute("action:libraries.index.v1", library_id=uuid.UUID(lib["id"])).data()
    assert out["added"] == 1
    assert out["skipped"] == [{"path": "caf\\xe9.txt", "reason": "the name is not UTF-8"}]


@settings(max_examples=60)
@given(st.lists(st.binary(min_size=1, max_size=12), min_size=1, max_size=8, unique=True))
def test_any_byte_names_index_without_failing(names: list[bytes]) -> None:
    names = [n for n in names if b"/" not in n and b"\0" not in n and n not in (b".", b"..")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lib"
        root.mkdir()
        for n in names:
            with open(os.path.join(os.fsencode(root), n), "wb") as fh:
                fh.write(n)
        store = LibraryStore(Path(tmp) / "data")
        try:
            lib = store.create("l", root)
            report = store.index(lib.id)
            utf8 = [n for n in names if _is_utf8(n)]
            assert report.added == len(utf8)
            assert len(report.skipped) == len(names) - len(utf8)
        finally:
            store.close()


def _is_utf8(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

"""Files opened on a plugin's behalf or from a plugin directory (`spacedrive_host.fs`):
a symlink swapped in by a racing thread never escapes the root, a FIFO never
blocks, a huge sparse module is refused before it is read, links out of a
plugin directory are refused, and every refusal is a typed error."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import secrets
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacedrive_host import Host, InvalidInput, LimitExceeded, LoadError, ManifestError, NotFound, fs
from spacedrive_host.library import LibraryStore
from spacedrive_host.manifest import load_manifest

SECRET = b"outside the root: must never be read"


def finishes(fn: Callable[[], object], within: float = 20.0) -> object:
    """Runs ``fn`` in a thread; fails the test if it is still blocked after ``within`` s
    (a hang guard: a blocking open would never return)."""
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(_catch(fn)), daemon=True)
    t.start()
    t.join(within)
    assert not t.is_alive(), "the call blocked"
    return out[0]


def _catch(fn: Callable[[], object]) -> object:
    try:
        return fn()
    except Exception as exc:
        return exc


# -- the helper itself ---------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_bytes(b"inside")
    (tmp_path / "secret").write_bytes(SECRET)
    return root


def test_reads_a_regular_file_beneath_the_root(tree: Path) -> None:
    assert fs.read_file(tree, "sub/a.txt", max_bytes=100) == b"inside"
    assert fs.read_range(tree, "sub/a.txt", 2, 3) == b"sid"


@pytest.mark.parametrize(
    "rel", ["../secret", "sub/../../secret", "/etc/passwd", "sub//a.txt", "./sub/a.txt", ""]
)
def test_components_that_could_leave_are_refused(tree: Path, rel: str) -> None:
    with pytest.raises(InvalidInput):
        fs.read_file(tree, rel, max_bytes=100)


def test_a_symlinked_file_or_directory_is_refused(tree: Path) -> None:
    (tree / "link.txt").symlink_to(tree.parent / "secret")
    (tree / "linkdir").symlink_to(tree.parent)
    (tree / "inner.txt").symlink_to(tree / "sub" / "a.txt")  # even one that stays inside
    for rel in ("link.txt", "linkdir/secret", "inner.txt"):
        with pytest.raises(InvalidInput, match="symlink"):
            fs.read_file(tree, rel, max_bytes=100)


def test_a_fifo_is_refused_without_blocking(tree: Path) -> None:
    os.mkfifo(tree / "pipe")
    err = finishes(lambda: fs.read_file(tree, "pipe", max_bytes=100))
    assert isinstance(err, InvalidInput)
    assert "not a regular file" in str(err)


def test_sizes_are_bounded_before_reading(tree: Path) -> None:
    with (tree / "sparse").open("wb") as fh:
        fh.truncate(3 << 30)  # 3 GiB, no blocks
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LimitExceeded, match="limit"):
        fs.read_file(tree, "sparse", max_bytes=1 << 20)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 256 * 1024  # KiB: nothing read


def test_missing_is_not_found_and_a_chosen_error_class_wins(tree: Path) -> None:
    with pytest.raises(NotFound):
        fs.read_file(tree, "nope", max_bytes=10)
    with pytest.raises(LoadError):
        fs.read_file(tree, "nope", max_bytes=10, error=LoadError)


def test_writes_never_go_through_a_symlinked_directory(tree: Path) -> None:
    (tree / "out").symlink_to(tree.parent)
    with pytest.raises(InvalidInput):
        fs.write_file(tree, "out/x", b"escaped")
    assert not (tree.parent / "x").exists()
    fs.write_file(tree, "new/dir/x", b"fine")
    assert (tree / "new" / "dir" / "x").read_bytes() == b"fine"


@given(st.lists(st.sampled_from(["a", "..", ".", "", "b/c", "x\0", "ok"]), min_size=1, max_size=4))
def test_split_accepts_only_plain_components(parts: list[str]) -> None:
    plain = all(p not in ("", ".", "..") and "/" not in p and "\0" not in p for p in parts)
    try:
        assert fs.split(parts) == parts
        assert plain
    except InvalidInput:
        assert not plain


# -- a racing symlink swap against vdfs.files.read --------------------------------


def _swapper(path: Path, target: Path, stop: threading.Event) -> None:
    """Swaps ``path`` between a regular file and a symlink to ``target``, as fast as it can."""
    real = path.with_name(path.name + ".real")
    link = path.with_name(path.name + ".link")
    while not stop.is_set():
        real.write_bytes(b"indexed!" + b"." * 30)
        os.replace(real, path)
        link.unlink(missing_ok=True)
        link.symlink_to(target)
        os.replace(link, path)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[tuple[LibraryStore, uuid.UUID, Path]]:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "doc.txt").write_bytes(b"indexed!" + b"." * 30)
    store = LibraryStore(tmp_path / "data")
    lib = store.create("l", root)
    store.index(lib.id)
    yield store, lib.id, root
    store.close()


def test_a_symlink_swapped_in_while_reading_never_escapes(
    library: tuple[LibraryStore, uuid.UUID, Path],
) -> None:
    store, lib_id, root = library
    stop = threading.Event()
    swapper = threading.Thread(
        target=_swapper, args=(root / "doc.txt", root.parent / "secret", stop), daemon=True
    )
    (root.parent / "secret").write_bytes(SECRET)
    swapper.start()
    leaked = refused = served = 0
    try:
        for _ in range(3000):
            try:
                data = store.read(lib_id, "doc.txt", offset=0, length=None, limit=1 << 20)
            except (InvalidInput, NotFound):
                refused += 1
                continue
            served += 1
            leaked += SECRET[:10] in data
    finally:
        stop.set()
        swapper.join()
    assert leaked == 0
    assert refused > 0
    assert served > 0


def test_a_fifo_swapped_in_for_an_indexed_file_does_not_block(
    library: tuple[LibraryStore, uuid.UUID, Path],
) -> None:
    store, lib_id, root = library
    (root / "doc.txt").unlink()
    os.mkfifo(root / "doc.txt")
    err = finishes(lambda: store.read(lib_id, "doc.txt", offset=0, length=None, limit=1 << 20))
    assert isinstance(err, InvalidInput)
    report = finishes(lambda: store.index(lib_id))  # indexing skips it, never opens it blocking
    assert not isinstance(report, Exception)


# -- plugin directories ------------------------------------------------------------


def _plugin(built: Path, dest: Path) -> Path:
    shutil.copytree(built / "hello", dest)
    return dest


def test_a_fifo_manifest_does_not_block_host_start(tmp_path: Path, built_plugins: Path) -> None:
    data = tmp_path / "data"
    with Host(data_dir=data) as host:
        bad = host.data_dir.plugins / "fifo"
        bad.mkdir()
        os.mkfifo(bad / "manifest.json")
        _plugin(built_plugins, host.data_dir.plugins / "hello")
        infos = finishes(host.load_installed)
        assert not isinstance(infos, Exception)
        assert [i.id for i in infos if i.status.value == "ready"] == ["hello"]  # type: ignore[attr-defined]
        with pytest.raises(ManifestError, match="not a regular file"):
            load_manifest(bad)


def test_a_huge_sparse_wasm_file_is_refused_before_it_is_read(tmp_path: Path, built_plugins: Path) -> None:
    plugin = _plugin(built_plugins, tmp_path / "p")
    manifest = json.loads((plugin / "manifest.json").read_text())
    with (plugin / manifest["wasm_file"]).open("wb") as fh:
        fh.truncate(1536 << 20)  # 1.5 GiB of nothing
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with Host(data_dir=tmp_path / "data") as host, pytest.raises(LoadError, match="limit"):
        host.plugins.load(plugin)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 512 * 1024  # KiB


@pytest.mark.parametrize("which", ["manifest", "wasm"])
def test_symlinks_out_of_a_plugin_directory_are_refused(
    tmp_path: Path, built_plugins: Path, which: str
) -> None:
    plugin = _plugin(built_plugins, tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    manifest = json.loads((plugin / "manifest.json").read_text())
    name = "manifest.json" if which == "manifest" else manifest["wasm_file"]
    shutil.move(plugin / name, elsewhere / name)
    (plugin / name).symlink_to(elsewhere / name)
    with Host(data_dir=tmp_path / "data") as host, pytest.raises(LoadError, match="symlink"):
        host.plugins.load(plugin)


def test_a_symlinked_plugin_directory_is_not_loaded_from_the_data_dir(
    tmp_path: Path, built_plugins: Path
) -> None:
    outside = _plugin(built_plugins, tmp_path / "outside")
    with Host(data_dir=tmp_path / "data") as host:
        (host.data_dir.plugins / "hello").symlink_to(outside)
        assert host.load_installed() == []


# -- each refusal's exact answer (`nox -s mutation` found these loose) -------------------


def _msg(call: Callable[[], object], kind: type[Exception]) -> str:
    with pytest.raises(kind) as info:
        call()
    return str(getattr(info.value, "message", info.value))


def test_split_refuses_each_bad_component_by_name() -> None:
    assert fs.split("a/b.c") == ["a", "b.c"]
    assert fs.split(["a", "b"]) == ["a", "b"]
    assert fs.split(("a",)) == ["a"]
    for rel, part in [("a//b", ""), ("./a", "."), ("a/..", ".."), (["a/b"], "a/b"), (["a\0"], "a\0")]:
        shown = "/".join(rel) if isinstance(rel, list) else rel
        assert _msg(lambda r=rel: fs.split(r), InvalidInput) == (  # type: ignore[misc]
            f"path {shown!r} has a component {part!r} that is not allowed"
        )
    assert _msg(lambda: fs.split([]), InvalidInput) == "an empty path"
    long = "a/" * 200 + ".."
    assert (
        _msg(lambda: fs.split(long), InvalidInput)
        == f"path {long[:300]!r} has a component '..' that is not allowed"
    )


def test_open_refusals_name_the_path(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"12345")
    (tmp_path / "link").symlink_to(tmp_path / "d")
    (tmp_path / "flink").symlink_to(tmp_path / "d" / "f")
    assert (
        _msg(lambda: fs.read_file(tmp_path, "d/nope", max_bytes=9), NotFound)
        == f"{tmp_path}/d/nope does not exist"
    )
    assert (
        _msg(lambda: fs.read_file(tmp_path, "e/f", max_bytes=9), NotFound) == f"{tmp_path}/e/f does not exist"
    )
    missing = tmp_path / "no-root"
    assert _msg(lambda: fs.read_file(missing, "f", max_bytes=9), NotFound) == f"{missing} does not exist"
    on_the_way = "a symlink or non-directory on the way; links are not followed"
    for rel in ("link/f", "flink", "d/f/x"):
        assert _msg(lambda r=rel: fs.read_file(tmp_path, r, max_bytes=9), InvalidInput) == (  # type: ignore[misc]
            f"{tmp_path}/{rel}: {on_the_way}"
        )
    assert (
        _msg(lambda: fs.read_file(tmp_path, "d", max_bytes=9), InvalidInput)
        == f"{tmp_path}/d is not a regular file"
    )
    assert _msg(lambda: fs.read_file(tmp_path, "d/f", max_bytes=4), LimitExceeded) == (
        f"{tmp_path}/d/f is 5 bytes; the limit is 4"
    )
    assert fs.read_file(tmp_path, "d/f", max_bytes=5) == b"12345"
    # One error class for all of them when the caller asks (loading a plugin).
    for rel, limit in (("d/nope", 9), ("flink", 9), ("d", 9), ("d/f", 4)):
        with pytest.raises(LoadError):
            fs.read_file(tmp_path, rel, max_bytes=limit, error=LoadError)
    os.chmod(tmp_path / "d" / "f", 0)
    if os.geteuid() != 0:  # root reads anything
        assert _msg(lambda: fs.read_file(tmp_path, "d/f", max_bytes=9), InvalidInput).startswith(
            f"cannot open {tmp_path}/d/f: "
        )


def test_ranges_and_hashes_cross_chunk_boundaries(tmp_path: Path) -> None:
    data = os.urandom((1 << 20) * 2 + 17)
    (tmp_path / "big").write_bytes(data)
    assert finishes(lambda: _ranges_and_hashes(tmp_path, data)) is None  # a loop that never ends fails


def _ranges_and_hashes(tmp_path: Path, data: bytes) -> None:
    assert fs.read_range(tmp_path, "big", 0, len(data) + 5) == data
    assert fs.read_range(tmp_path, "big", (1 << 20) - 3, 6) == data[(1 << 20) - 3 : (1 << 20) + 3]
    assert fs.read_range(tmp_path, "big", len(data) - 1, 10) == data[-1:]
    assert fs.read_range(tmp_path, "big", len(data), 10) == b""
    assert fs.read_range(tmp_path, "big", 5, 0) == b""
    for offset, length in ((-1, 1), (0, -1)):
        assert _msg(lambda o=offset, n=length: fs.read_range(tmp_path, "big", o, n), InvalidInput) == (  # type: ignore[misc]
            "offset and length must not be negative"
        )
    assert fs.read_file(tmp_path, "big", max_bytes=len(data)) == data
    digest, st = fs.hash_file(tmp_path, "big")
    assert digest == hashlib.sha256(data).hexdigest()
    assert st.st_size == len(data)


def test_writes_create_private_directories_and_leave_no_temporary(tmp_path: Path) -> None:
    fs.write_file(tmp_path, "a/b/c", b"one")
    fs.write_file(tmp_path, ["a", "b", "c"], b"two")  # replaces
    assert (tmp_path / "a" / "b" / "c").read_bytes() == b"two"
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a" / "b").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a" / "b" / "c").stat().st_mode & 0o777 == 0o600
    assert sorted(os.listdir(tmp_path / "a" / "b")) == ["c"]
    (tmp_path / "out").mkdir()
    (tmp_path / "a" / "l").symlink_to(tmp_path / "out")
    with pytest.raises(InvalidInput):
        fs.write_file(tmp_path, "a/l/x", b"no")
    assert os.listdir(tmp_path / "out") == []
    with pytest.raises(IsADirectoryError):
        fs.write_file(tmp_path, "a/b", b"onto a directory")
    assert sorted(os.listdir(tmp_path / "a")) == ["b", "l"]  # the temporary is gone
    assert fs.unlink_file(tmp_path, "a/b/c") is True
    assert fs.unlink_file(tmp_path, "a/b/c") is False
    assert fs.unlink_file(tmp_path, "nowhere/c") is False
    assert not (tmp_path / "a" / "b" / "c").exists()


def test_write_and_unlink_refusals_name_the_path(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "l").symlink_to(tmp_path / "out")
    (tmp_path / "f").write_bytes(b"a file")
    on_the_way = "a symlink or non-directory on the way; links are not followed"
    for rel in ("l/x", "f/x"):
        shown = f"{tmp_path}/{rel}: {on_the_way}"
        assert _msg(lambda r=rel: fs.write_file(tmp_path, r, b"no"), InvalidInput) == shown  # type: ignore[misc]
        assert _msg(lambda r=rel: fs.unlink_file(tmp_path, r), InvalidInput) == shown  # type: ignore[misc]
    assert os.listdir(tmp_path / "out") == []


def test_the_temporary_of_a_write_is_never_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A symlink planted at the temporary's name is refused, not written through."""
    monkeypatch.setattr(secrets, "token_hex", lambda n: "fixed")
    (tmp_path / "outside").write_bytes(SECRET)
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / ".tmp-fixed").symlink_to(tmp_path / "outside")
    with pytest.raises(FileExistsError):
        fs.write_file(tmp_path / "root", "x", b"written through the link")
    assert (tmp_path / "outside").read_bytes() == SECRET


def test_a_failed_write_reports_its_own_error_even_if_the_temporary_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def replace(src: str, dst: str, *, src_dir_fd: int, dst_dir_fd: int) -> None:
        os.unlink(src, dir_fd=src_dir_fd)  # gone already (a racing cleanup)
        raise PermissionError("refused")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(PermissionError, match="refused"):
        fs.write_file(tmp_path, "x", b"data")
    assert os.listdir(tmp_path) == []


def test_a_range_ends_at_the_size_the_file_had_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "f").write_bytes(b"0123456789")
    pread = os.pread

    def growing(fd: int, n: int, offset: int) -> bytes:
        with (tmp_path / "f").open("ab") as fh:
            fh.write(b"GROWN")  # appended after the fstat
        return pread(fd, n, offset)

    monkeypatch.setattr(os, "pread", growing)
    assert fs.read_range(tmp_path, "f", 2, 100) == b"23456789"


def test_a_range_shorter_than_the_file_stops_at_its_length_across_chunks(tmp_path: Path) -> None:
    chunk = 1 << 20
    data = os.urandom(chunk * 3)
    (tmp_path / "big").write_bytes(data)
    assert fs.read_range(tmp_path, "big", 0, chunk + 10) == data[: chunk + 10]
    assert fs.read_range(tmp_path, "big", 7, 2 * chunk + 1) == data[7 : 2 * chunk + 8]


def test_an_unopenable_root_says_why_in_the_chosen_error_class(tmp_path: Path) -> None:
    # ENAMETOOLONG on the root: "cannot open" with the system's reason, not a link refusal.
    root = tmp_path / ("x" * 300)
    with pytest.raises(InvalidInput) as plain:
        fs.read_file(root, "f", max_bytes=10)
    assert type(plain.value) is InvalidInput
    assert plain.value.message == f"cannot open {root}: File name too long"
    with pytest.raises(LoadError) as chosen:
        fs.read_file(root, "f", max_bytes=10, error=LoadError)
    assert chosen.value.message == f"cannot open {root}: File name too long"


def test_a_file_that_reads_longer_than_its_size_is_refused_in_the_chosen_error_class() -> None:
    # A /proc file says size 0 and reads more: what a file growing while read looks like.
    root = Path(f"/proc/{os.getpid()}")
    with pytest.raises(LimitExceeded) as natural:
        fs.read_file(root, "status", max_bytes=10)
    assert natural.value.message == f"{root}/status grew past 10 bytes while read"
    with pytest.raises(LoadError) as chosen:
        fs.read_file(root, "status", max_bytes=10, error=LoadError)
    assert chosen.value.message == f"{root}/status grew past 10 bytes while read"


def test_a_group_of_writes_writes_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed: list[str] = []
    real = os.replace

    def counting(src: str, dst: str, **kw: int) -> None:
        renamed.append(dst)
        real(src, dst, **kw)

    monkeypatch.setattr(os, "replace", counting)  # fs calls os.replace through the os module
    for count in (3, 130):  # fewer than one group, and a few groups
        renamed.clear()
        files = [(f"d{i % 4}/f{count}-{i}", f"{i}".encode()) for i in range(count)]
        fs.write_files(tmp_path, files)
        assert sorted(renamed) == sorted(f"f{count}-{i}" for i in range(count))
        assert all((tmp_path / rel).read_bytes() == data for rel, data in files)


def test_a_group_is_fsynced_whole_before_any_rename_and_a_failed_fsync_renames_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: str, dst: str, **kw: int) -> None:
        events.append("rename")
        real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    files = [(f"d/f{i}", b"x" * i) for i in range(20)]
    fs.write_files(tmp_path, files)
    assert events == ["fsync"] * 20 + ["rename"] * 20
    failing = 0

    def one_fails(fd: int) -> None:
        nonlocal failing
        failing += 1
        if failing == 7:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", one_fails)
    with pytest.raises(OSError, match="Input/output error"):
        fs.write_files(tmp_path, [(f"e/f{i}", b"y") for i in range(20)])
    assert os.listdir(tmp_path / "e") == []  # none renamed in, every temporary removed

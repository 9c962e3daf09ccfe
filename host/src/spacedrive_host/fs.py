"""Opening files on a plugin's behalf, or from a plugin directory, without races.

Checking a path and then opening it by name lets a symlink swapped in between
win. Here every open walks from a directory descriptor of the root, one
component at a time, with ``O_NOFOLLOW`` (so no component may be a symlink and
``..`` is refused outright), and the decision is made on the *open descriptor*:
``fstat`` says regular file, and its size is bounded before a byte is read.
Files are opened ``O_NONBLOCK``, so a FIFO swapped in never blocks the open
(and is then refused as not a regular file). Writes go the same way: a
temporary file created ``O_EXCL`` beside the target, fsynced, renamed in place
relative to the directory descriptor.

Every refusal is a typed error naming the path: `NotFound` for a missing file,
`InvalidInput` for a symlink, a special file or a bad component,
`LimitExceeded` for a file over the bound; a caller may ask for one error class
for all of them instead (``error=LoadError`` while loading a plugin).
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import NoReturn

from .errors import InvalidInput, LimitExceeded, NotFound, PluginError

__all__ = [
    "MAX_WASM_BYTES",
    "hash_file",
    "open_file",
    "read_file",
    "read_range",
    "split",
    "unlink_file",
    "write_file",
    "write_files",
]

#: The largest module the host reads from a plugin directory (a Python guest is ~20-40 MiB).
MAX_WASM_BYTES = 256 << 20
_CHUNK = 1 << 20
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
#: Files `write_files` holds open at once (two descriptors each).
_WRITE_GROUP = 64
#: Threads a group's fsyncs run on (`_fsync_all`).
_FSYNC_THREADS = 8
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY

Rel = str | PurePosixPath | Sequence[str]


def split(rel: Rel) -> list[str]:
    """The components of a relative path; `InvalidInput` for anything that could leave the root."""
    parts = list(rel) if isinstance(rel, list | tuple) else str(rel).split("/")
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\0" in part:
            raise InvalidInput(f"path {'/'.join(parts)[:300]!r} has a component {part!r} that is not allowed")
    if not parts:
        raise InvalidInput("an empty path")
    return parts


def _raise(error: type[PluginError] | None, natural: type[PluginError], message: str) -> NoReturn:
    raise (error or natural)(message)


def _refusal(exc: OSError, shown: str, error: type[PluginError] | None, *, last: bool) -> NoReturn:
    if exc.errno == errno.ENOENT:
        _raise(error, NotFound, f"{shown} does not exist")
    if exc.errno in (errno.ELOOP, errno.EMLINK) or (exc.errno == errno.ENOTDIR and not last):
        _raise(error, InvalidInput, f"{shown}: a symlink or non-directory on the way; links are not followed")
    _raise(error, InvalidInput, f"cannot open {shown}: {exc.strerror}")


@contextmanager
def _walk(
    root: Path, parts: list[str], shown: str, error: type[PluginError] | None, *, create: bool = False
) -> Iterator[int]:
    """A descriptor of the directory holding the last component, reached without following links."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        _refusal(exc, str(root), error, last=False)
    try:
        for part in parts[:-1]:
            try:
                try:
                    nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    # Made only when missing: a mkdir per component per write cost more than the write.
                    with suppress(FileExistsError):
                        os.mkdir(part, 0o700, dir_fd=fd)
                    nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                _refusal(exc, shown, error, last=False)
            os.close(fd)
            fd = nxt
        yield fd
    finally:
        os.close(fd)


@contextmanager
def open_file(
    root: Path, rel: Rel, *, max_bytes: int | None = None, error: type[PluginError] | None = None
) -> Iterator[tuple[int, os.stat_result]]:
    """An open descriptor of the regular file ``root/rel`` and its ``fstat``.

    Refused: a missing file, any symlink on the way, anything but a regular file,
    and (with ``max_bytes``) a file larger than that, before it is read.
    """
    parts = split(rel)
    shown = f"{root}/{'/'.join(parts)}"
    with _walk(root, parts, shown, error) as dir_fd:
        try:
            fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=dir_fd)
        except OSError as exc:
            _refusal(exc, shown, error, last=True)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            _raise(error, InvalidInput, f"{shown} is not a regular file")
        if max_bytes is not None and st.st_size > max_bytes:
            _raise(error, LimitExceeded, f"{shown} is {st.st_size} bytes; the limit is {max_bytes}")
        yield fd, st
    finally:
        os.close(fd)


def _read_exactly(fd: int, offset: int, length: int) -> bytes:
    chunks, got = [], 0
    while got < length:
        chunk = os.pread(fd, min(_CHUNK, length - got), offset + got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_file(root: Path, rel: Rel, *, max_bytes: int, error: type[PluginError] | None = None) -> bytes:
    """The whole regular file ``root/rel``, at most ``max_bytes`` (a file growing past it is refused)."""
    with open_file(root, rel, max_bytes=max_bytes, error=error) as (fd, _):
        data = _read_exactly(fd, 0, max_bytes + 1)
    if len(data) > max_bytes:
        _raise(error, LimitExceeded, f"{root}/{rel} grew past {max_bytes} bytes while read")
    return data


def read_range(root: Path, rel: Rel, offset: int, length: int) -> bytes:
    """Up to ``length`` bytes of the regular file ``root/rel`` from ``offset``
    (nothing past its end, whatever the two numbers)."""
    if offset < 0 or length < 0:
        raise InvalidInput("offset and length must not be negative")
    with open_file(root, rel) as (fd, st):
        if offset >= st.st_size:
            return b""
        return _read_exactly(fd, offset, min(length, st.st_size - offset))


def hash_file(root: Path, rel: Rel) -> tuple[str, os.stat_result]:
    """SHA-256 (hex) of the regular file ``root/rel``, and the ``fstat`` it was read under."""
    digest = hashlib.sha256()
    with open_file(root, rel) as (fd, st):
        offset = 0
        while chunk := os.pread(fd, _CHUNK, offset):
            digest.update(chunk)
            offset += len(chunk)
    return digest.hexdigest(), st


def write_file(root: Path, rel: Rel, data: bytes) -> None:
    """Writes ``root/rel`` atomically (temporary file, fsync, rename), creating directories
    on the way; nothing on the way may be a symlink."""
    write_files(root, [(rel, data)])


def write_files(root: Path, files: Sequence[tuple[Rel, bytes]]) -> None:
    """`write_file` for several files, each atomic and durable as there. The temporary
    files of a group are all written and their writeback started before the first
    fsync, so the fsyncs wait less (0.94 s against 1.69 s for 1000 in one profile),
    and are fsynced together (`_fsync_all`) before the first is renamed."""
    for start in range(0, len(files), _WRITE_GROUP):
        _write_group(root, files[start : start + _WRITE_GROUP])


def _write_group(root: Path, files: Sequence[tuple[Rel, bytes]]) -> None:
    with ExitStack() as stack:
        staged: list[tuple[int, str, str]] = []  # directory fd, temporary name, final name
        fds: list[int] = []
        try:
            for rel, data in files:
                parts = split(rel)
                shown = f"{root}/{'/'.join(parts)}"
                dir_fd = stack.enter_context(_walk(root, parts, shown, None, create=True))
                tmp = f".tmp-{secrets.token_hex(8)}"
                fd = os.open(tmp, _WRITE_FLAGS, 0o600, dir_fd=dir_fd)
                staged.append((dir_fd, tmp, parts[-1]))
                stack.callback(os.close, fd)
                fds.append(fd)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)  # starts the writeback now
            _fsync_all(fds)
            while staged:
                dir_fd, tmp, name = staged[0]
                os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                staged.pop(0)
        except BaseException:
            for dir_fd, tmp, _ in staged:
                with suppress(FileNotFoundError):
                    os.unlink(tmp, dir_fd=dir_fd)
            raise


def _fsync_all(fds: list[int]) -> None:
    """fsyncs the files from a few threads at once: the filesystem's journal then commits
    them together (64 new files: ~0.1 s against ~0.8-1.9 s one after another, measured
    on a busy ext4), and each file is as durable as after its own fsync. The first
    error is raised once all are done."""
    if len(fds) < 2:
        for fd in fds:
            os.fsync(fd)
        return
    with ThreadPoolExecutor(max_workers=min(_FSYNC_THREADS, len(fds)), thread_name_prefix="fsync") as pool:
        for _ in pool.map(os.fsync, fds):
            pass


def unlink_file(root: Path, rel: Rel) -> bool:
    """Removes ``root/rel`` (never through a symlinked directory); whether it existed."""
    parts = split(rel)
    try:
        with _walk(root, parts, f"{root}/{'/'.join(parts)}", None) as dir_fd:
            os.unlink(parts[-1], dir_fd=dir_fd)
    except (NotFound, FileNotFoundError):
        return False
    return True

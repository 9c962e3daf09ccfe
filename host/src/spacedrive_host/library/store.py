"""Libraries (a name and a root folder), their indexed entries, and sidecars:
files plugins derive from content (OCR text, thumbnails ...), kept per
(plugin, content hash, kind) so one plugin can never read or overwrite another's.

SQLite in WAL mode holds the metadata; sidecar bytes live in files written
atomically (temporary file, fsync, rename) under ``<data>/sidecars`` (`sidecars`).
"""

from __future__ import annotations

import mimetypes
import os
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import durability, fs
from ..errors import InvalidInput, LimitExceeded, NotFound, PluginError
from ..store_db import open_db
from .migrations import MIGRATIONS
from .sidecars import Sidecar, SidecarStore

__all__ = ["Entry", "IndexReport", "Library", "LibraryStore", "Sidecar"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Library:
    id: uuid.UUID
    name: str
    root: Path
    created_ns: int


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the library root, POSIX separators
    size: int
    mtime_ns: int
    content_hash: str  # SHA-256, hex
    kind: str  # MIME type


@dataclass(frozen=True)
class IndexReport:
    added: int
    updated: int
    removed: int
    unchanged: int
    #: Files left out, each with why: a name that is not UTF-8 (shown with its bytes
    #: escaped), a file that vanished or turned special while indexed, an unreadable one.
    skipped: tuple[tuple[str, str], ...] = ()


def _shown(name: str) -> str:
    """A file name for reports: bytes that are not UTF-8 escaped as ``\\xNN``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")  # os.walk decodes undecodable bytes to lone surrogates
    except UnicodeEncodeError:
        return False
    return True


class LibraryStore(SidecarStore):
    """All libraries of one data directory. Thread-safe."""

    def __init__(
        self, data_dir: Path, *, max_sidecar_bytes: int = 64 << 20, check: bool | None = None
    ) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self._db = open_db(data_dir / "library.db", "the library store", MIGRATIONS, check=check)
        self._lock = threading.RLock()
        self._sidecars = data_dir / "sidecars"
        # A sidecar is written from one payload, so none is larger than a payload may be.
        self._max_sidecar_bytes = max_sidecar_bytes
        self._writer = durability.Writer("sidecar-writer")
        self._pending = {}
        self._pending_lock = threading.Lock()

    def close(self) -> None:
        self._writer.close()  # the deferred writes land first
        with self._lock:
            self._db.close()

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The connection under the store's lock, for what shares ``library.db`` (`Grants`)."""
        with self._lock:
            yield self._db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- libraries ------------------------------------------------------------

    def create(self, name: str, root: Path) -> Library:
        if not name.strip():
            raise InvalidInput("a library needs a name")
        root = root.expanduser().resolve()
        if not root.is_dir():
            raise InvalidInput(f"library root {root} is not a directory")
        lib = Library(uuid.uuid4(), name, root, time.time_ns())
        with self._tx() as db:
            db.execute(
                "INSERT INTO libraries (id, name, root, created_ns) VALUES (?, ?, ?, ?)",
                (str(lib.id), name, str(root), lib.created_ns),
            )
        return lib

    def get(self, library_id: uuid.UUID) -> Library:
        with self._lock:
            row = self._db.execute(
                "SELECT id, name, root, created_ns FROM libraries WHERE id = ?", (str(library_id),)
            ).fetchone()
        if row is None:
            raise NotFound(f"no library {library_id}")
        return Library(uuid.UUID(row[0]), row[1], Path(row[2]), row[3])

    def find(self, ref: str) -> Library:
        """A library by id or by name; a name several libraries share is `InvalidInput`."""
        try:
            return self.get(uuid.UUID(ref))
        except ValueError:
            pass
        named = [lib for lib in self.libraries() if lib.name == ref]
        if not named:
            raise NotFound(f"no library named or with id {ref[:200]!r}")
        if len(named) > 1:
            ids = ", ".join(str(lib.id) for lib in named)
            raise InvalidInput(f"{len(named)} libraries are named {ref[:200]!r}: give one's id ({ids})")
        return named[0]

    def libraries(self) -> list[Library]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, name, root, created_ns FROM libraries ORDER BY name, id"
            ).fetchall()
        return [Library(uuid.UUID(r[0]), r[1], Path(r[2]), r[3]) for r in rows]

    # -- indexing -------------------------------------------------------------

    def _walk(self, root: Path, skipped: list[tuple[str, str]]) -> Iterator[tuple[str, os.stat_result]]:
        """Regular files under ``root``; symlinks are not followed (they could leave it).

        A name that is not valid UTF-8 cannot be an entry (entry paths are text on
        every surface): it is skipped and reported, never a failure of the whole index."""
        for folder, dirs, files in os.walk(root, followlinks=False):
            dirs.sort()
            rel_folder = Path(folder).relative_to(root)
            for name in list(dirs):
                if not _utf8(name):
                    dirs.remove(name)
                    skipped.append((_shown((rel_folder / name).as_posix()), "the name is not UTF-8"))
            for name in sorted(files):
                rel = (rel_folder / name).as_posix()
                if not _utf8(rel):
                    skipped.append((_shown(rel), "the name is not UTF-8"))
                    continue
                try:
                    st = os.lstat(Path(folder) / name)
                except OSError:
                    continue  # gone since the listing
                if stat.S_ISREG(st.st_mode):
                    yield rel, st

    def index(self, library_id: uuid.UUID) -> IndexReport:
        """Brings the entries in line with the files; only new or changed files are hashed.

        Each file is hashed through a descriptor opened without following links
        (`fs.hash_file`), so a file swapped for a symlink or a FIFO meanwhile is
        skipped and reported, not followed or waited on."""
        lib = self.get(library_id)
        with self._lock:
            known = {
                r[0]: (r[1], r[2])
                for r in self._db.execute(
                    "SELECT path, size, mtime_ns FROM entries WHERE library_id = ?", (str(lib.id),)
                )
            }
        added = updated = unchanged = 0
        seen: set[str] = set()
        skipped: list[tuple[str, str]] = []
        rows = []
        now = time.time_ns()
        for rel, listed in self._walk(lib.root, skipped):
            if known.get(rel) == (listed.st_size, listed.st_mtime_ns):
                seen.add(rel)
                unchanged += 1
                continue
            try:
                digest, st = fs.hash_file(lib.root, rel)
            except PluginError as exc:
                skipped.append((rel, exc.message))
                continue
            seen.add(rel)
            if rel in known:
                updated += 1
            else:
                added += 1
            kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
            rows.append((str(lib.id), rel, st.st_size, st.st_mtime_ns, digest, kind, now))
        gone = [(str(lib.id), p) for p in known if p not in seen]
        with self._tx() as db:
            db.executemany(
                "INSERT INTO entries (library_id, path, size, mtime_ns, content_hash, kind, indexed_ns) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (library_id, path) DO UPDATE SET "
                "size = excluded.size, mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash, "
                "kind = excluded.kind, indexed_ns = excluded.indexed_ns",
                rows,
            )
            db.executemany("DELETE FROM entries WHERE library_id = ? AND path = ?", gone)
        return IndexReport(added, updated, len(gone), unchanged, tuple(skipped))

    # -- entries ----------------------------------------------------------------

    def entries(
        self,
        library_id: uuid.UUID,
        *,
        prefix: str = "",
        kind: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[Entry], int]:
        """A page of entries ordered by path, and how many match in total."""
        self.get(library_id)
        where = "library_id = ? AND substr(path, 1, ?) = ?"
        args: list[object] = [str(library_id), len(prefix), prefix]
        if kind is not None:
            where += " AND kind = ?"
            args.append(kind)
        with self._lock:
            (total,) = self._db.execute(f"SELECT count(*) FROM entries WHERE {where}", args).fetchone()
            rows = self._db.execute(
                f"SELECT path, size, mtime_ns, content_hash, kind FROM entries WHERE {where} "
                "ORDER BY path LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [Entry(*r) for r in rows], int(total)

    def entry(self, library_id: uuid.UUID, path: str) -> Entry:
        self.get(library_id)
        with self._lock:
            row = self._db.execute(
                "SELECT path, size, mtime_ns, content_hash, kind FROM entries "
                "WHERE library_id = ? AND path = ?",
                (str(library_id), path),
            ).fetchone()
        if row is None:
            raise NotFound(f"no entry {path!r} in library {library_id}")
        return Entry(*row)

    def read(self, library_id: uuid.UUID, path: str, *, offset: int, length: int | None, limit: int) -> bytes:
        """Bytes of an indexed file. Only indexed paths are read, and only inside the root."""
        lib = self.get(library_id)
        entry = self.entry(library_id, path)
        rel = PurePosixPath(entry.path)
        if rel.is_absolute() or ".." in rel.parts:
            raise InvalidInput(f"path {path!r} leaves the library")
        want = (entry.size - offset) if length is None else length
        if offset < 0 or want < 0:
            raise InvalidInput("offset and length must not be negative")
        if offset > entry.size:  # also: a seek this far would fail (EINVAL), an internal error
            raise InvalidInput(f"offset {offset} is past the end of {path!r} ({entry.size} bytes)")
        if want > limit:
            raise LimitExceeded(f"reading {want} bytes of {path!r}; the limit is {limit} (read it in ranges)")
        # Opened from the root without following links, checked on the descriptor:
        # a symlink or FIFO swapped in after the check above is refused, not followed.
        try:
            return fs.read_range(lib.root, rel.parts, offset, want)
        except NotFound:
            raise NotFound(f"{path!r} is indexed but gone from disk; re-index the library") from None

"""Sidecars: files plugins derive from content (OCR text, receipts ...), kept per
(plugin, content hash, kind) so one plugin can never read or overwrite another's.

The bytes live in files under ``<data>/sidecars``, each written atomically
(temporary file, fsync, rename); ``library.db`` records size, digest and time.
Several of one kind can be written or read in one call: the content check is
one query and the records one transaction, so a scan pays per step, not per file.

Inside a job step (`durability.current`) the checked write is handed to the
store's writer thread and the call returns; the step's checkpoint waits for
it. Every other call on the same (plugin, content) first waits for such a
write, so a reader sees what was written and writes land in order.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from .. import durability, fs
from ..errors import InvalidInput, LimitExceeded, NotFound

__all__ = ["Sidecar", "SidecarStore"]

_HASH = re.compile(r"[0-9a-f]{64}")
_KIND = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_PLUGIN = re.compile(r"[a-z][a-z0-9_-]{0,63}")
#: Content hashes per `IN (...)` query, well under SQLite's bound on parameters.
_IN_CHUNK = 500


@dataclass(frozen=True)
class Sidecar:
    content_hash: str
    kind: str
    size: int
    sha256: str
    updated_ns: int


def _check(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.fullmatch(value):
        raise InvalidInput(f"{what} {value!r} is not valid (expected {pattern.pattern})")
    return value


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


class SidecarStore(ABC):
    """The sidecar half of `LibraryStore` (which provides the connection, lock and folder)."""

    _db: sqlite3.Connection
    _lock: threading.RLock
    _sidecars: Path
    _max_sidecar_bytes: int
    #: Where deferred writes run, and those not yet done by (plugin, content hash).
    _writer: durability.Writer
    _pending: dict[tuple[str, str], Future[None]]
    _pending_lock: threading.Lock

    @abstractmethod
    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction on the library's database (`LibraryStore` owns it)."""

    def _sidecar_path(self, plugin_id: str, content_hash: str, kind: str) -> list[str]:
        """The sidecar's components under ``<data>/sidecars``. Each name is checked here, at
        the store, whoever the caller: a trusted surface naming ``plugin: "../x"`` is refused
        too. `fs` then refuses ``..`` and symlinks again when the path is opened."""
        _check(_PLUGIN, plugin_id, "plugin id")
        _check(_HASH, content_hash, "content hash")
        _check(_KIND, kind, "sidecar kind")
        return [plugin_id, content_hash[:2], content_hash, kind]

    def _require_content(self, library_id: uuid.UUID, *content_hashes: str) -> None:
        """`NotFound` naming the first hash no entry of the library has."""
        wanted = list(dict.fromkeys(content_hashes))
        found: set[str] = set()
        with self._lock:
            for chunk in _chunks(wanted):
                marks = ", ".join("?" * len(chunk))
                found.update(
                    r[0]
                    for r in self._db.execute(
                        f"SELECT DISTINCT content_hash FROM entries WHERE library_id = ? "
                        f"AND content_hash IN ({marks})",
                        (str(library_id), *chunk),
                    ).fetchall()
                )
        for content_hash in wanted:
            if content_hash not in found:
                raise NotFound(f"no entry with content {content_hash} in library {library_id}")

    def write_sidecar(
        self, library_id: uuid.UUID, plugin_id: str, content_hash: str, kind: str, data: bytes
    ) -> Sidecar:
        return self.write_sidecars(library_id, plugin_id, kind, [(content_hash, data)])[0]

    def _settle(self, plugin_id: str, content_hashes: Iterable[str]) -> None:
        """Waits for the deferred writes of these contents' sidecars (their errors are
        the writing step's to report: a failed write leaves the old sidecar)."""
        with self._pending_lock:
            if not self._pending:
                return
            waiting = {f for h in content_hashes if (f := self._pending.get((plugin_id, h))) is not None}
        wait(waiting)

    def _defer(self, plugin_id: str, hashes: list[str], write: Callable[[], None]) -> Future[None] | None:
        """`write` handed to the writer thread when this thread runs a job step; else None."""
        step = durability.current()
        if step is None:
            return None
        keys = [(plugin_id, h) for h in hashes]
        with self._pending_lock:
            future = self._writer.submit(write)
            for key in keys:
                self._pending[key] = future

        def done(f: Future[None]) -> None:
            with self._pending_lock:
                for key in keys:
                    if self._pending.get(key) is f:
                        del self._pending[key]

        future.add_done_callback(done)
        step.add(future)
        return future

    def write_sidecars(
        self, library_id: uuid.UUID, plugin_id: str, kind: str, items: Sequence[tuple[str, bytes]]
    ) -> list[Sidecar]:
        """Stores each ``(content hash, bytes)`` as sidecar `kind`. Every name and every
        content is checked before the first file is written; the records are one transaction.
        Inside a job step the files and records are written by the writer thread (above)."""
        paths = [self._sidecar_path(plugin_id, content_hash, kind) for content_hash, _ in items]
        hashes = [content_hash for content_hash, _ in items]
        self._require_content(library_id, *hashes)
        now = time.time_ns()
        # Copied: the caller's buffer may be reused once the call returns.
        owned = [(h, data if isinstance(data, bytes) else bytes(data)) for h, data in items]
        cars = [Sidecar(h, kind, len(data), hashlib.sha256(data).hexdigest(), now) for h, data in owned]
        files = [(path, data) for path, (_, data) in zip(paths, owned, strict=True)]

        def write() -> None:
            self._store(plugin_id, kind, files, cars)

        if self._defer(plugin_id, hashes, write) is None:
            self._settle(plugin_id, hashes)
            write()
        return cars

    def _store(
        self, plugin_id: str, kind: str, files: list[tuple[list[str], bytes]], cars: list[Sidecar]
    ) -> None:
        self._sidecars.mkdir(mode=0o700, exist_ok=True)
        fs.write_files(self._sidecars, files)
        with self._tx() as db:
            db.executemany(
                "INSERT INTO sidecars (plugin_id, content_hash, kind, size, sha256, updated_ns) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (plugin_id, content_hash, kind) DO UPDATE SET "
                "size = excluded.size, sha256 = excluded.sha256, updated_ns = excluded.updated_ns",
                [(plugin_id, c.content_hash, kind, c.size, c.sha256, c.updated_ns) for c in cars],
            )

    def read_sidecar(self, library_id: uuid.UUID, plugin_id: str, content_hash: str, kind: str) -> bytes:
        path = self._sidecar_path(plugin_id, content_hash, kind)
        self._require_content(library_id, content_hash)
        self._settle(plugin_id, [content_hash])
        try:
            return fs.read_file(self._sidecars, path, max_bytes=self._max_sidecar_bytes)
        except NotFound:
            raise NotFound(f"no sidecar {kind!r} for {content_hash}") from None

    def read_sidecars(
        self, library_id: uuid.UUID, plugin_id: str, kind: str, content_hashes: Sequence[str], *, limit: int
    ) -> list[tuple[str, bytes]]:
        """``(content hash, bytes)`` of each of these contents that has sidecar `kind`, in
        order; the others are left out. More than ``limit`` bytes together is `LimitExceeded`."""
        paths = [self._sidecar_path(plugin_id, content_hash, kind) for content_hash in content_hashes]
        self._require_content(library_id, *content_hashes)
        self._settle(plugin_id, content_hashes)
        found: list[tuple[str, bytes]] = []
        total = 0
        for path, content_hash in zip(paths, content_hashes, strict=True):
            try:
                data = fs.read_file(self._sidecars, path, max_bytes=self._max_sidecar_bytes)
            except NotFound:
                continue
            total += len(data)
            if total > limit:
                raise LimitExceeded(
                    f"the {kind!r} sidecars asked for are over {limit} bytes together; ask for fewer at once"
                )
            found.append((content_hash, data))
        return found

    def sidecars(self, library_id: uuid.UUID, plugin_id: str, content_hash: str) -> list[Sidecar]:
        self._sidecar_path(plugin_id, content_hash, "x")  # validates the names
        self._require_content(library_id, content_hash)
        self._settle(plugin_id, [content_hash])
        with self._lock:
            rows = self._db.execute(
                "SELECT content_hash, kind, size, sha256, updated_ns FROM sidecars "
                "WHERE plugin_id = ? AND content_hash = ? ORDER BY kind",
                (plugin_id, content_hash),
            ).fetchall()
        return [Sidecar(*r) for r in rows]

    def delete_sidecar(self, library_id: uuid.UUID, plugin_id: str, content_hash: str, kind: str) -> bool:
        path = self._sidecar_path(plugin_id, content_hash, kind)
        self._require_content(library_id, content_hash)
        self._settle(plugin_id, [content_hash])
        with self._tx() as db:
            gone = db.execute(
                "DELETE FROM sidecars WHERE plugin_id = ? AND content_hash = ? AND kind = ?",
                (plugin_id, content_hash, kind),
            ).rowcount
        if self._sidecars.is_dir():
            fs.unlink_file(self._sidecars, path)
        return bool(gone)

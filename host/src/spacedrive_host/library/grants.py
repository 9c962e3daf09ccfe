"""Library grants: which plugin the operator let use which library.

A manifest asks with ``"libraries": ["granted"]`` (no UUIDs, so it is
portable); the operator answers per data directory (`spacedrive plugin grant`).
Grants live in ``library.db`` beside the libraries, so a deleted library takes
its grants with it.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InvalidInput
from ..manifest import PLUGIN_ID

if TYPE_CHECKING:
    from .store import Library, LibraryStore

__all__ = ["Grant", "Grants"]

_PLUGIN = re.compile(PLUGIN_ID)


def _plugin(plugin_id: str) -> str:
    if not _PLUGIN.fullmatch(plugin_id):
        raise InvalidInput(f"plugin id {plugin_id[:80]!r} is not valid (expected {_PLUGIN.pattern})")
    return plugin_id


@dataclass(frozen=True)
class Grant:
    plugin_id: str
    library: Library
    granted_ns: int


class Grants:
    """The grants of one library store (its connection and lock)."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock, libraries: LibraryStore) -> None:
        self._db = db
        self._lock = lock
        self._libraries = libraries

    def grant(self, plugin_id: str, library_ref: str) -> tuple[Grant, bool]:
        """Grants a library (by id or name): (the grant, whether it is new)."""
        lib = self._libraries.find(library_ref)
        now = time.time_ns()
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO grants VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (_plugin(plugin_id), str(lib.id), now),
            )
            if cur.rowcount:
                return Grant(plugin_id, lib, now), True
            (since,) = self._db.execute(
                "SELECT granted_ns FROM grants WHERE plugin_id = ? AND library_id = ?",
                (plugin_id, str(lib.id)),
            ).fetchone()
        return Grant(plugin_id, lib, int(since)), False

    def revoke(self, plugin_id: str, library_ref: str) -> tuple[Library, bool]:
        """Takes a grant back: (the library, whether there was one)."""
        lib = self._libraries.find(library_ref)
        with self._lock:
            cur = self._db.execute(
                "DELETE FROM grants WHERE plugin_id = ? AND library_id = ?", (_plugin(plugin_id), str(lib.id))
            )
        return lib, bool(cur.rowcount)

    def granted(self, plugin_id: str, library_id: uuid.UUID) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM grants WHERE plugin_id = ? AND library_id = ?", (plugin_id, str(library_id))
            ).fetchone()
        return row is not None

    def list(self, plugin_id: str | None = None) -> list[Grant]:
        """Every grant (of one plugin), by plugin, then library name."""
        libs = {str(lib.id): lib for lib in self._libraries.libraries()}
        with self._lock:
            rows = self._db.execute(
                "SELECT plugin_id, library_id, granted_ns FROM grants "
                "WHERE ? IS NULL OR plugin_id = ? ORDER BY plugin_id",
                (plugin_id, plugin_id),
            ).fetchall()
        out = [Grant(str(p), libs[str(lib)], int(ns)) for p, lib, ns in rows if str(lib) in libs]
        return sorted(out, key=lambda g: (g.plugin_id, g.library.name, str(g.library.id)))

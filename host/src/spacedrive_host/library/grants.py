"""Library grants: which plugin the operator let use which library.

A manifest asks with ``"libraries": ["granted"]`` (no UUIDs, so it is
portable); the operator answers per data directory (`spacedrive plugin grant`).
Grants live in ``library.db`` beside the libraries, so a deleted library takes
its grants with it.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

from ..errors import InvalidInput
from ..manifest import PLUGIN_ID
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
    """The grants of one library store (in its file, under its lock). Thread-safe."""

    def __init__(self, libraries: LibraryStore) -> None:
        self._libraries = libraries

    def grant(self, plugin_id: str, library_ref: str) -> tuple[Grant, bool]:
        """Grants a library (by id or name): (the grant, whether it is new)."""
        lib = self._libraries.find(library_ref)
        now = time.time_ns()
        with self._libraries.locked() as db:
            cur = db.execute(
                "INSERT INTO grants VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (_plugin(plugin_id), str(lib.id), now),
            )
            if cur.rowcount:
                return Grant(plugin_id, lib, now), True
            (since,) = db.execute(
                "SELECT granted_ns FROM grants WHERE plugin_id = ? AND library_id = ?",
                (plugin_id, str(lib.id)),
            ).fetchone()
        return Grant(plugin_id, lib, int(since)), False

    def revoke(self, plugin_id: str, library_ref: str) -> tuple[Library, bool]:
        """Takes a grant back: (the library, whether there was one)."""
        lib = self._libraries.find(library_ref)
        with self._libraries.locked() as db:
            cur = db.execute(
                "DELETE FROM grants WHERE plugin_id = ? AND library_id = ?", (_plugin(plugin_id), str(lib.id))
            )
        return lib, bool(cur.rowcount)

    def granted(self, plugin_id: str, library_id: uuid.UUID) -> bool:
        with self._libraries.locked() as db:
            row = db.execute(
                "SELECT 1 FROM grants WHERE plugin_id = ? AND library_id = ?", (plugin_id, str(library_id))
            ).fetchone()
        return row is not None

    def list(self, plugin_id: str | None = None) -> list[Grant]:
        """Every grant (of one plugin), by plugin, then library name."""
        libs = {str(lib.id): lib for lib in self._libraries.libraries()}
        with self._libraries.locked() as db:
            rows = db.execute(
                "SELECT plugin_id, library_id, granted_ns FROM grants "
                "WHERE ? IS NULL OR plugin_id = ? ORDER BY plugin_id",
                (plugin_id, plugin_id),
            ).fetchall()
        out = [Grant(str(p), libs[str(lib)], int(ns)) for p, lib, ns in rows if str(lib) in libs]
        return sorted(out, key=lambda g: (g.plugin_id, g.library.name, str(g.library.id)))

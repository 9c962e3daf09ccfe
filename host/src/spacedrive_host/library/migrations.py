"""Schema migrations of ``library.db``, in code: each step runs once, in order, in a
transaction under the write lock (`store_db.migrate`); ``PRAGMA user_version``
records how far a database has come."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: libraries, entries, sidecars
    """
    CREATE TABLE libraries (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        root TEXT NOT NULL,
        created_ns INTEGER NOT NULL
    );
    CREATE TABLE entries (
        library_id TEXT NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        kind TEXT NOT NULL,
        indexed_ns INTEGER NOT NULL,
        PRIMARY KEY (library_id, path)
    );
    CREATE INDEX entries_by_hash ON entries(library_id, content_hash);
    CREATE TABLE sidecars (
        plugin_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        updated_ns INTEGER NOT NULL,
        PRIMARY KEY (plugin_id, content_hash, kind)
    );
    """,
    # 2: the operator's library grants to plugins whose manifest asks for them
    """
    CREATE TABLE grants (
        plugin_id TEXT NOT NULL,
        library_id TEXT NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        granted_ns INTEGER NOT NULL,
        PRIMARY KEY (plugin_id, library_id)
    );
    """,
)

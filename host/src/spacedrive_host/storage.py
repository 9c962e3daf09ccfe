"""Per-plugin storage: a small key-value store of each plugin, in ``<data>/storage.db``.

Rows are keyed by (plugin, key): a plugin only ever reaches its own keys (the
operations pass the caller's id, `ops._namespace.owner`). Values are UTF-8 text
(JSON, usually). Every write is one transaction under SQLite's write lock, and
the per-plugin total is checked inside it, so concurrent writers never pass a
limit together. The file opens through `store_db.open_db` like every other
store: a damaged one is `DamagedStore`, and `spacedrive doctor` checks it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidInput, LimitExceeded, NotFound
from .store_db import open_db

__all__ = ["PluginStorage", "StorageLimits", "StoredValue"]

WHAT = "the plugin storage"
FILE = "storage.db"
MIGRATIONS = (
    # 1: the keys, and each plugin's totals kept by triggers (a limit check reads one row)
    """
    CREATE TABLE kv (
        plugin_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        size INTEGER NOT NULL,
        updated_ns INTEGER NOT NULL,
        PRIMARY KEY (plugin_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE usage (
        plugin_id TEXT PRIMARY KEY,
        keys INTEGER NOT NULL,
        bytes INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER kv_added AFTER INSERT ON kv BEGIN
        INSERT OR IGNORE INTO usage VALUES (new.plugin_id, 0, 0);
        UPDATE usage SET keys = keys + 1, bytes = bytes + new.size WHERE plugin_id = new.plugin_id;
    END;
    CREATE TRIGGER kv_changed AFTER UPDATE OF size ON kv BEGIN
        UPDATE usage SET bytes = bytes - old.size + new.size WHERE plugin_id = new.plugin_id;
    END;
    CREATE TRIGGER kv_removed AFTER DELETE ON kv BEGIN
        UPDATE usage SET keys = keys - 1, bytes = bytes - old.size WHERE plugin_id = old.plugin_id;
    END;
    """,
)


@dataclass(frozen=True)
class StorageLimits:
    """What one plugin may keep. ``size`` of a key is its UTF-8 key plus value bytes."""

    max_key_bytes: int = 512
    max_value_bytes: int = 1 << 20
    max_total_bytes: int = 64 << 20
    max_keys: int = 100_000


@dataclass(frozen=True)
class StoredValue:
    key: str
    value: str
    size: int
    updated_ns: int


def _utf8(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{what} is not valid Unicode (a lone surrogate?)") from None


def _successor(prefix: str) -> str | None:
    """The least string greater than every string that starts with ``prefix`` (None: no bound)."""
    chars = prefix.rstrip("\U0010ffff")
    if not chars:
        return None
    nxt = ord(chars[-1]) + 1
    if 0xD800 <= nxt <= 0xDFFF:  # no surrogates in a key: skip past them
        nxt = 0xE000
    return chars[:-1] + chr(nxt)


class PluginStorage:
    """Every plugin's keys and values of one data directory. Thread-safe."""

    def __init__(
        self, data_dir: Path, *, limits: StorageLimits | None = None, check: bool | None = None
    ) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILE
        self.limits = limits or StorageLimits()
        self._db = open_db(self.path, WHAT, MIGRATIONS, check=check)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _key(self, key: str) -> str:
        raw = _utf8(key, "the key")
        if not raw:
            raise InvalidInput("a key must not be empty")
        if len(raw) > self.limits.max_key_bytes:
            raise LimitExceeded(
                f"key is {len(raw)} bytes, more than the {self.limits.max_key_bytes} a key may have"
            )
        if "\x00" in key:
            raise InvalidInput("a key must not contain NUL")
        return key

    def get(self, plugin_id: str, key: str) -> StoredValue:
        self._key(key)
        with self._lock:
            row = self._db.execute(
                "SELECT value, size, updated_ns FROM kv WHERE plugin_id = ? AND key = ?", (plugin_id, key)
            ).fetchone()
        if row is None:
            raise NotFound(f"no key {key[:200]!r} in the storage of {plugin_id!r}")
        return StoredValue(key, str(row[0]), int(row[1]), int(row[2]))

    def set(
        self, plugin_id: str, key: str, value: str, *, if_absent: bool = False
    ) -> tuple[StoredValue, int]:
        """Stores ``value`` under ``key``: (what is stored, the plugin's total bytes after).

        ``if_absent``: store only if the key does not exist (else `InvalidInput`, nothing changed)."""
        value_bytes = len(_utf8(value, "the value"))
        if value_bytes > self.limits.max_value_bytes:
            raise LimitExceeded(
                f"value is {value_bytes} bytes, more than the {self.limits.max_value_bytes} a value may have"
            )
        size = len(self._key(key).encode()) + value_bytes
        now = time.time_ns()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                total = self._write(plugin_id, key, value, size, now, if_absent)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return StoredValue(key, value, size, now), total

    def _write(self, plugin_id: str, key: str, value: str, size: int, now: int, if_absent: bool) -> int:
        """Inside the write transaction: the limits against what is stored now, then the upsert."""
        old = self._db.execute(
            "SELECT size FROM kv WHERE plugin_id = ? AND key = ?", (plugin_id, key)
        ).fetchone()
        if old is not None and if_absent:
            raise InvalidInput(f"key {key[:200]!r} exists already (if_absent was given)")
        count, before = self._usage(plugin_id)
        total = before - (int(old[0]) if old else 0) + size
        if old is None and count >= self.limits.max_keys:
            raise LimitExceeded(f"plugin {plugin_id!r} has {count} keys, as many as it may keep")
        if total > self.limits.max_total_bytes:
            raise LimitExceeded(
                f"storing {key[:200]!r} would bring plugin {plugin_id!r} to {total} bytes, "
                f"more than the {self.limits.max_total_bytes} it may keep; delete keys first"
            )
        self._db.execute(
            "INSERT INTO kv VALUES (?, ?, ?, ?, ?) ON CONFLICT (plugin_id, key) DO UPDATE SET "
            "value = excluded.value, size = excluded.size, updated_ns = excluded.updated_ns",
            (plugin_id, key, value, size, now),
        )
        return total

    def delete(self, plugin_id: str, key: str) -> bool:
        self._key(key)
        with self._lock:
            cur = self._db.execute("DELETE FROM kv WHERE plugin_id = ? AND key = ?", (plugin_id, key))
            return bool(cur.rowcount)

    def keys(
        self, plugin_id: str, *, prefix: str = "", after: str | None = None, limit: int = 100
    ) -> tuple[list[StoredValue], bool]:
        """A page of keys (values left empty) in key order: (page, whether more follow).

        ``after``: the last key of the previous page."""
        _utf8(prefix, "the prefix")
        if after is not None:
            _utf8(after, "`after`")
        # Binary collation orders keys by code point: the keys with a prefix are one range.
        low, op = (after, ">") if after is not None and after >= prefix else (prefix, ">=")
        high = _successor(prefix)
        with self._lock:
            rows = self._db.execute(
                f"SELECT key, size, updated_ns FROM kv WHERE plugin_id = ? AND key {op} ? "
                "AND (? IS NULL OR key < ?) ORDER BY key LIMIT ?",
                (plugin_id, low, high, high, limit + 1),
            ).fetchall()
        page = [StoredValue(str(k), "", int(s), int(u)) for k, s, u in rows[:limit]]
        return page, len(rows) > limit

    def usage(self, plugin_id: str) -> tuple[int, int]:
        """(keys, bytes) the plugin keeps."""
        with self._lock:
            return self._usage(plugin_id)

    def _usage(self, plugin_id: str) -> tuple[int, int]:
        row = self._db.execute("SELECT keys, bytes FROM usage WHERE plugin_id = ?", (plugin_id,)).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

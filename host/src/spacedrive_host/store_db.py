"""A SQLite file of the data directory that checks itself and fails in typed errors.

Every store (``library.db``, ``jobs.db``, ``vault.db``) opens through `open_db`:
it runs ``PRAGMA quick_check`` on open (on files up to `QUICK_CHECK_MAX_BYTES`:
its cost grows with the file, ~0.7 s for a 66 MiB library; larger files get a
read of the schema, and `spacedrive doctor` checks them in full) and brings the
schema up to date under
``BEGIN IMMEDIATE`` (the version re-read inside the write lock, so concurrent
first starts on one fresh data directory migrate once; the others wait and find
the work done). Any ``sqlite3.DatabaseError`` later, from a truncated page or a
garbage file, is raised as `DamagedStore`, which names the file and what to do
(``spacedrive doctor --repair``); "database is locked" past the busy timeout is
`Unavailable`. Nothing else of sqlite3 leaks to a caller.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import DamagedStore, Unavailable

__all__ = ["BUSY_TIMEOUT_S", "REPAIR_HINT", "GuardedConnection", "damaged", "guarded", "migrate", "open_db"]

BUSY_TIMEOUT_S = 30.0
QUICK_CHECK_MAX_BYTES = 16 << 20
REPAIR_HINT = (
    "run `spacedrive doctor` to check it, `spacedrive doctor --repair` to set it aside and start afresh"
)


def damaged(path: Path, what: str, problem: object) -> DamagedStore:
    """The typed error for a damaged store file."""
    return DamagedStore(f"{path} ({what}) is damaged: {problem}; {REPAIR_HINT}")


class StoreBusy(Unavailable):
    """Locked by another process past the busy timeout (not damage): retry."""


def translate(path: Path, what: str, exc: sqlite3.Error) -> Exception:
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return StoreBusy(f"{path} ({what}) is busy (locked by another process); retry")
    return damaged(path, what, exc)


@contextmanager
def guarded(path: Path, what: str) -> Iterator[None]:
    """Turns any sqlite3 error inside into `DamagedStore` (or `Unavailable` when locked)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(path, what, exc) from None


class _GuardedCursor(sqlite3.Cursor):
    """Rows are read lazily, so a damaged page can surface while fetching: guarded too."""

    where: tuple[Path, str] = (Path("?"), "?")

    def fetchone(self) -> Any:
        with guarded(*self.where):
            return super().fetchone()

    def fetchall(self) -> list[Any]:
        with guarded(*self.where):
            return super().fetchall()

    def __next__(self) -> Any:
        with guarded(*self.where):
            return super().__next__()


class GuardedConnection(sqlite3.Connection):
    """A connection whose every statement and fetch raises typed errors, never sqlite3's."""

    where: tuple[Path, str] = (Path("?"), "?")

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        with guarded(*self.where):
            cursor = self.cursor(_GuardedCursor)
            cursor.where = self.where
            cursor.execute(sql, parameters)
            return cursor

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        with guarded(*self.where):
            return super().executemany(sql, parameters)

    def executescript(self, script: str, /) -> sqlite3.Cursor:
        with guarded(*self.where):
            return super().executescript(script)

    def close(self) -> None:
        with guarded(*self.where):
            super().close()


def statements(script: str) -> list[str]:
    """A script's statements, one by one (``executescript`` would commit the open transaction)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def migrate(db: sqlite3.Connection, migrations: Sequence[str], path: Path, what: str) -> int:
    """Brings ``db`` to ``len(migrations)``; each step runs once, under the write lock."""
    db.execute("BEGIN IMMEDIATE")  # waits (busy timeout) while another process migrates
    try:
        (current,) = db.execute("PRAGMA user_version").fetchone()
        if current > len(migrations):
            raise DamagedStore(
                f"{path} ({what}) has schema version {current}, newer than this host knows "
                f"({len(migrations)}); use a newer host, or {REPAIR_HINT}"
            )
        for number, script in enumerate(migrations[current:], start=current + 1):
            for statement in statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return len(migrations)


def open_db(
    path: Path,
    what: str,
    migrations: Sequence[str],
    *,
    synchronous: str = "NORMAL",
    check: bool | None = None,
) -> GuardedConnection:
    """Opens (or creates) ``path``, checks it, and migrates it. `DamagedStore` if it is not sound.

    ``check``: run ``quick_check`` (True), only read the schema (False), or decide by the
    file's size (None, the default)."""
    if path.exists() and not path.is_file():
        raise damaged(path, what, "it is not a regular file")
    # SQLite answers "locked" without waiting in a few cases (another connection
    # switching a fresh file to WAL, or recovering its WAL): retry those, bounded.
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.005
    while True:
        db = _connect(path, what)
        try:
            with guarded(path, what):
                if _full_check(path, check):
                    problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
                    if problems != ["ok"]:
                        raise damaged(path, what, "; ".join(map(str, problems[:3])))
                else:  # reads the header and the whole schema: garbage and a bad schema fail here
                    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA foreign_keys = ON")
                db.execute(f"PRAGMA synchronous = {synchronous}")
                migrate(db, migrations, path, what)
        except StoreBusy:
            db.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
            continue
        except BaseException:
            db.close()
            raise
        return db


def _full_check(path: Path, check: bool | None) -> bool:
    if check is not None:
        return check
    try:
        return path.stat().st_size <= QUICK_CHECK_MAX_BYTES
    except OSError:
        return True


def _connect(path: Path, what: str) -> GuardedConnection:
    try:
        db = sqlite3.connect(
            path,
            check_same_thread=False,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_S,
            factory=GuardedConnection,
        )
    except sqlite3.Error as exc:
        raise translate(path, what, exc) from None
    assert isinstance(db, GuardedConnection)
    db.where = (path, what)
    return db

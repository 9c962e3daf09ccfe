"""Job records in ``<data>/jobs.db`` (SQLite, WAL, synchronous FULL). A step's
checkpoint is committed while the next step runs, once the step's sidecar
writes are durable (`JobRunner`): a crash loses at most the step in flight and
the one before it."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import DamagedStore, NotFound, PluginError
from ..store_db import damaged, open_db

__all__ = ["JobRecord", "JobState", "JobStore"]

log = logging.getLogger("spacedrive.jobs")


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"
    FAILED = "failed"


FINISHED = frozenset({JobState.CANCELLED, JobState.DONE, JobState.FAILED})


@dataclass(frozen=True)
class JobRecord:
    id: str
    plugin_id: str
    name: str
    input: Any
    state: JobState
    checkpoint: Any
    progress: float
    steps: int
    output: Any
    error: str | None
    message: str | None
    created_ns: int
    updated_ns: int


_COLUMNS = (
    "id, plugin_id, name, input, state, checkpoint, progress, steps, output, error, message, "
    "created_ns, updated_ns"
)


WHAT = "the job store"
# IF NOT EXISTS: databases from before user_version was kept have the table at version 0.
MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, plugin_id TEXT NOT NULL, "
    "name TEXT NOT NULL, input TEXT NOT NULL, state TEXT NOT NULL, checkpoint TEXT NOT NULL, "
    "progress REAL NOT NULL, steps INTEGER NOT NULL, output TEXT NOT NULL, error TEXT, message TEXT, "
    "created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL);",
)


def _record(path: Path, row: tuple[Any, ...]) -> JobRecord:
    """A row as a record; a row that does not decode is `DamagedStore` naming the job."""
    try:
        record = JobRecord(
            str(row[0]),
            str(row[1]),
            str(row[2]),
            json.loads(row[3]),
            JobState(row[4]),
            json.loads(row[5]),
            float(row[6]),
            int(row[7]),
            json.loads(row[8]),
            None if row[9] is None else str(row[9]),
            None if row[10] is None else str(row[10]),
            int(row[11]),
            int(row[12]),
        )
    except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
        raise damaged(path, WHAT, f"the record of job {str(row[0])[:64]!r} does not decode ({exc})") from None
    return record


class JobStore:
    def __init__(self, data_dir: Path, *, check: bool | None = None) -> None:
        self.path = data_dir / "jobs.db"
        # synchronous FULL: a checkpoint must survive a crash.
        self._db = open_db(self.path, WHAT, MIGRATIONS, synchronous="FULL", check=check)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def damaged_rows(self) -> list[tuple[str, str]]:
        """Every job whose record does not decode, with why (for `spacedrive doctor`)."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM jobs").fetchall()
        bad = []
        for row in rows:
            try:
                _record(self.path, row)
            except PluginError as exc:
                bad.append((str(row[0]), exc.message))
        return bad

    def delete(self, job_id: str) -> bool:
        with self._lock:
            return bool(self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,)).rowcount)

    def create(self, plugin_id: str, name: str, input: Any) -> JobRecord:
        now = time.time_ns()
        job_id = str(uuid.uuid4())
        with self._lock:
            self._db.execute(
                f"INSERT INTO jobs ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, 'null', 0, 0, 'null', NULL, NULL, ?, ?)",
                (job_id, plugin_id, name, json.dumps(input), JobState.QUEUED.value, now, now),
            )
        return self.get(job_id)

    def get(self, job_id: str) -> JobRecord:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise NotFound(f"no job {job_id}")
        return _record(self.path, row)

    def all(self, plugin_id: str | None = None) -> list[JobRecord]:
        """Every job (of ``plugin_id``); records that do not decode are logged and left out
        (`damaged_rows` lists them, `spacedrive doctor --repair` removes them)."""
        query = f"SELECT {_COLUMNS} FROM jobs"
        args: tuple[str, ...] = ()
        if plugin_id is not None:
            query += " WHERE plugin_id = ?"
            args = (plugin_id,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY created_ns, id", args).fetchall()
        out = []
        for row in rows:
            # One damaged record must not hide (or stop the resume of) every other job.
            try:
                out.append(_record(self.path, row))
            except DamagedStore as exc:
                log.warning("%s (left out)", exc.message)
        return out

    def set_state(
        self,
        job_id: str,
        state: JobState,
        *,
        only_from: frozenset[JobState] | None = None,
        error: str | None = None,
    ) -> bool:
        """Moves a job to ``state`` (if it is in one of ``only_from``); returns whether it moved."""
        query = "UPDATE jobs SET state = ?, error = coalesce(?, error), updated_ns = ? WHERE id = ?"
        args: list[Any] = [state.value, error, time.time_ns(), job_id]
        if only_from is not None:
            query += f" AND state IN ({', '.join('?' * len(only_from))})"
            args += [s.value for s in only_from]
        with self._lock:
            return bool(self._db.execute(query, args).rowcount)

    def save_step(
        self, job_id: str, checkpoint: Any, progress: float, message: str | None, done: bool, output: Any
    ) -> None:
        """Commits one step: its checkpoint is durable before the next step starts."""
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET checkpoint = ?, progress = ?, message = ?, steps = steps + 1, output = ?, "
                "state = CASE WHEN ? THEN 'done' ELSE state END, updated_ns = ? WHERE id = ?",
                (json.dumps(checkpoint), progress, message, json.dumps(output), done, time.time_ns(), job_id),
            )

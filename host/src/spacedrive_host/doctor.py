"""`spacedrive doctor`: check every store of a data directory (a full ``quick_check``
whatever the file's size); with ``repair``, set damaged files aside and start them afresh.

A file that does not open as a sound store is *quarantined*: renamed to
``<name>.damaged-<UTC time>`` (with its ``-wal`` and ``-shm`` companions), never
deleted, and recreated empty. A record that does not decode (a job, a
credential) is removed from its store after the whole file was copied aside the
same way. A damaged ``vault.key`` quarantines ``vault.db`` with it: without the
key its credentials can never be decrypted again, so they must be stored anew.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .credentials.vault import KEY_FILE, Vault
from .errors import PluginError
from .jobs.store import JobStore
from .library.store import LibraryStore
from .net import HttpProxy, NetPolicy
from .storage import FILE as STORAGE_FILE
from .storage import PluginStorage

__all__ = ["Finding", "check"]

Status = Literal["ok", "missing", "damaged", "repaired"]


@dataclass(frozen=True)
class Finding:
    file: Path
    status: Status
    detail: str


def _stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def quarantine(path: Path, *, copy: bool = False) -> Path:
    """Renames (or copies) ``path`` and its SQLite companions aside; returns the new name."""
    aside = path.with_name(f"{path.name}.damaged-{_stamp()}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{_stamp()}-{n}")
    for suffix in ("", "-wal", "-shm"):
        src = path.with_name(path.name + suffix)
        if src.exists() or src.is_symlink():
            dst = aside.with_name(aside.name + suffix)
            if copy:
                shutil.copy2(src, dst) if src.is_file() else None
            else:
                src.rename(dst)
    return aside


def _proxy() -> HttpProxy:
    return HttpProxy(NetPolicy(), max_response_bytes=1)  # never used: doctor does not refresh tokens


def _open_store(root: Path, name: str) -> Callable[[], list[str]]:
    """What checking one store file means: open it (which checks it), then its records."""

    def library() -> list[str]:
        LibraryStore(root, check=True).close()
        return []

    def jobs() -> list[str]:
        store = JobStore(root, check=True)
        try:
            return [f"job {job}: {why}" for job, why in store.damaged_rows()]
        finally:
            store.close()

    def vault() -> list[str]:
        http = _proxy()
        store = Vault(root, http, check=True)
        try:
            return [f"credential {p}/{n}: {why}" for p, n, why in store.damaged_rows()]
        finally:
            store.close()
            http.close()

    def storage() -> list[str]:
        PluginStorage(root, check=True).close()
        return []

    return {"library.db": library, "jobs.db": jobs, "vault.db": vault, STORAGE_FILE: storage}[name]


def _drop_rows(root: Path, name: str) -> int:
    if name == "jobs.db":
        jobs = JobStore(root)
        try:
            return sum(jobs.delete(job) for job, _ in jobs.damaged_rows())
        finally:
            jobs.close()
    http = _proxy()
    vault = Vault(root, http)
    try:
        return sum(vault.delete(p, n) for p, n, _ in vault.damaged_rows())
    finally:
        vault.close()
        http.close()


def _check_key(root: Path, repair: bool) -> list[Finding]:
    key = root / KEY_FILE
    if not key.exists() and not key.is_symlink():
        return [Finding(key, "missing", "created on first start")]
    problem = None
    if key.is_symlink() or not key.is_file():
        problem = "not a regular file"
    elif key.stat().st_size != 32:
        problem = f"{key.stat().st_size} bytes, not a 32-byte key"
    if problem is None:
        return [Finding(key, "ok", "32-byte key")]
    if not repair:
        return [
            Finding(key, "damaged", f"{problem}; --repair sets it and vault.db aside (credentials are lost)")
        ]
    aside = quarantine(key)
    out = [Finding(key, "repaired", f"{problem}; moved to {aside.name}, a new key is made on first start")]
    db = root / "vault.db"
    if db.exists():
        out.append(Finding(db, "repaired", f"its key was damaged; moved to {quarantine(db).name}"))
    return out


def check(root: Path, *, repair: bool = False) -> list[Finding]:
    """Checks every store under ``root``; with ``repair`` quarantines and recreates what is damaged."""
    findings = _check_key(root, repair)
    for name in ("library.db", "jobs.db", "vault.db", STORAGE_FILE):
        path = root / name
        if not path.exists() and not path.is_symlink():
            findings.append(Finding(path, "missing", "created on first start"))
            continue
        try:
            bad_rows = _open_store(root, name)()
        except PluginError as exc:
            if not repair:
                findings.append(Finding(path, "damaged", exc.message))
                continue
            aside = quarantine(path)
            try:
                _open_store(root, name)()
            except PluginError as again:
                findings.append(Finding(path, "damaged", f"set aside as {aside.name}, but: {again.message}"))
                continue
            findings.append(
                Finding(path, "repaired", f"{exc.message} -> moved to {aside.name}, recreated empty")
            )
            continue
        if not bad_rows:
            findings.append(Finding(path, "ok", "opens, passes quick_check, every record decodes"))
        elif not repair:
            findings.append(Finding(path, "damaged", "; ".join(bad_rows[:5])))
        else:
            aside = quarantine(path, copy=True)
            dropped = _drop_rows(root, name)
            findings.append(
                Finding(path, "repaired", f"removed {dropped} damaged record(s) (a copy is {aside.name})")
            )
    return findings

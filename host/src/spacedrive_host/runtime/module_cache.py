"""Compiled modules cached on disk, verified before use.

`Module.deserialize` trusts its input (a crafted artifact is native code), so
an entry is used only when the host can show it wrote it: a record beside it,
signed under a key private to this data directory, names the artifact's MAC and
the file's identity (`cache_record`, which argues the threat model). A file
that still has that identity is mapped as is (``deserialize_file``: a Python
plugin's 35 MB load in ~15 ms, not 0.3 s of reading and hashing); any other is
read and checked in full first. The entry's name is the wasm's SHA-256 plus the
wasmtime version and engine settings. A corrupt, truncated or foreign entry is
recompiled and replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import mmap
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import wasmtime
from wasmtime import component as wc

from .. import fs
from ..errors import LoadError, PluginError
from .cache_record import RECORD_LEN, content_mac, identity_of, record, record_matches

__all__ = ["CacheOutcome", "Compiled", "ModuleCache", "compile_component", "compile_module", "is_component"]

#: A compiled plugin: a core module (ABI v1) or a component (the plugin world).
Compiled = wasmtime.Module | wc.Component

log = logging.getLogger("spacedrive.runtime.cache")

T = TypeVar("T")

#: Most bytes of an entry (a larger file is no entry of ours).
_MAX_ENTRY = 1 << 30
#: wasmtime maps an entry by path: this one reaches the descriptor already checked.
_FD_PATH = "/proc/self/fd/{}"
_HAS_FD_PATHS = os.path.isdir("/proc/self/fd")
# The component-model binary header (layer 1); core modules have layer 0.
_COMPONENT_PREAMBLE = b"\x00asm\x0d\x00\x01\x00"


class CacheOutcome(StrEnum):
    HIT = "hit"
    MISS = "miss"
    REPLACED = "replaced"  # an entry existed but failed verification
    DISABLED = "disabled"


def compile_module(engine: wasmtime.Engine, wasm: bytes, *, source: str) -> wasmtime.Module:
    """Compiles a core module, turning wasmtime's errors into `LoadError`."""
    if wasm.startswith(_COMPONENT_PREAMBLE):
        raise LoadError(f'{source} is a component; say "kind": "component" in its manifest')
    if not wasm.startswith(b"\x00asm"):
        raise LoadError(f"{source} is not a WebAssembly module (bad magic bytes)")
    return _compiled(lambda: wasmtime.Module(engine, wasm), source, "invalid module")


def _compiled(make: Callable[[], T], source: str, fallback: str) -> T:
    """``make()``, with wasmtime's compile error as a `LoadError` naming ``source``."""
    try:
        return make()
    except wasmtime.WasmtimeError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else fallback
        raise LoadError(f"{source} failed to compile: {first}") from None


def is_component(wasm: bytes) -> bool:
    """Whether ``wasm`` is a component (rather than a core module)."""
    return wasm.startswith(_COMPONENT_PREAMBLE)


def compile_component(engine: wasmtime.Engine, wasm: bytes, *, source: str) -> wc.Component:
    """Compiles a component, turning wasmtime's errors into `LoadError`."""
    if not wasm.startswith(b"\x00asm"):
        raise LoadError(f"{source} is not a WebAssembly component (bad magic bytes)")
    if not is_component(wasm):
        raise LoadError(f'{source} is a core module, but the manifest says "kind": "component"')
    return _compiled(lambda: wc.Component(engine, wasm), source, "invalid component")


def _deserialize(engine: wasmtime.Engine, fd: int, component: bool) -> Compiled:
    """The artifact open as ``fd``, mapped by wasmtime from that very file."""
    path = _FD_PATH.format(fd)
    if component:
        return wc.Component.deserialize_file(engine, path)
    return wasmtime.Module.deserialize_file(engine, path)


def _deserialize_blob(engine: wasmtime.Engine, blob: bytes, component: bool) -> Compiled:
    """The artifact from bytes in memory (where descriptors have no path)."""
    if component:
        return wc.Component.deserialize(engine, blob)
    return wasmtime.Module.deserialize(engine, blob)


@contextmanager
def _mapped(fd: int, size: int) -> Iterator[mmap.mmap | bytes]:
    """The file's bytes without reading them into Python (a read-only map)."""
    if size == 0:
        yield b""
        return
    view = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
    try:
        yield view
    finally:
        view.close()


class ModuleCache:
    """A directory of verified, serialized modules for one engine configuration."""

    def __init__(self, engine: wasmtime.Engine, directory: Path | None, fingerprint: str) -> None:
        self._engine = engine
        self._dir = directory
        self._config_tag = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
        self._key: bytes | None = None
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
                _check_private(os.stat(directory, follow_symlinks=False), directory, 0o022, "directory")
                self._key = self._load_or_create_key(directory / "hmac.key")
            except (OSError, _NotPrivate) as exc:  # a cache only saves time: run without it
                log.warning("compile cache in %s disabled: %s", directory, exc)
                self._dir = None

    @staticmethod
    def _load_or_create_key(path: Path) -> bytes:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            pass
        else:
            with os.fdopen(fd, "rb") as fh:
                st = os.fstat(fh.fileno())
                # A key another user could have written (or read) signs nothing.
                _check_private(st, path, 0o077, "file")
                key = fh.read(33)
            if len(key) == 32:
                return key
        key = secrets.token_bytes(32)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".key")  # 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        os.replace(tmp, path)
        return key

    def entry_path(self, wasm: bytes) -> Path | None:
        if self._dir is None:
            return None
        return self._dir / f"{hashlib.sha256(wasm).hexdigest()}-{self._config_tag}.cwasm"

    def load(self, wasm: bytes, *, source: str) -> tuple[wasmtime.Module, CacheOutcome]:
        """The compiled module for ``wasm``, from the cache when a valid entry exists."""
        module, outcome = self._load(wasm, source=source, component=False)
        assert isinstance(module, wasmtime.Module)
        return module, outcome

    def load_component(self, wasm: bytes, *, source: str) -> tuple[wc.Component, CacheOutcome]:
        """The compiled component for ``wasm``, from the cache when a valid entry
        exists (a cold compile of a Python plugin takes 15-35 s, a cached load ms)."""
        component, outcome = self._load(wasm, source=source, component=True)
        assert isinstance(component, wc.Component)
        return component, outcome

    def _load(self, wasm: bytes, *, source: str, component: bool) -> tuple[Compiled, CacheOutcome]:
        compile_ = compile_component if component else compile_module
        path = self.entry_path(wasm)
        if path is None:
            return compile_(self._engine, wasm, source=source), CacheOutcome.DISABLED
        outcome = CacheOutcome.MISS
        try:  # never a blocking open or a link followed; a bounded size
            with fs.open_file(path.parent, path.name, max_bytes=_MAX_ENTRY) as (fd, st):
                module = self._verified(path, fd, st, component)
        except PluginError:  # missing, or not a regular file: compiled afresh
            pass
        else:
            if module is not None:
                return module, CacheOutcome.HIT
            log.warning("compile cache entry %s failed verification; recompiling", path.name)
            outcome = CacheOutcome.REPLACED
        module = compile_(self._engine, wasm, source=source)
        self._store(path, bytes(module.serialize()))
        return module, outcome

    def _record(self, path: Path) -> bytes | None:
        try:
            return fs.read_file(path.parent, _record_name(path), max_bytes=RECORD_LEN)
        except PluginError:
            return None

    def _verified(self, path: Path, fd: int, st: os.stat_result, component: bool) -> Compiled | None:
        """The entry open as ``fd``, if its record shows the host wrote it; None if not."""
        assert self._key is not None
        if not _is_private(st, 0o022):  # a file another user could rewrite after the check
            return None
        identity = identity_of(st)
        signed, claimed = record_matches(self._key, path.name, self._record(path), identity)
        try:
            if signed and _HAS_FD_PATHS:  # the file the host wrote, untouched since: mapped unread
                return _deserialize(self._engine, fd, component)
            if claimed is None:
                return None
            with _mapped(fd, st.st_size) as data:  # changed identity: every byte checked
                content = content_mac(self._key, path.name, data)
                if not hmac.compare_digest(content, claimed):
                    return None
                if not _HAS_FD_PATHS:
                    return _deserialize_blob(self._engine, bytes(data), component)
            module = _deserialize(self._engine, fd, component)
        except (wasmtime.WasmtimeError, OSError, ValueError):
            # Authentic but incompatible (e.g. written by another wasmtime build), or unreadable.
            return None
        self._write_record(path, record(self._key, path.name, content, identity))  # for the next load
        return module

    def _store(self, path: Path, artifact: bytes) -> None:
        """Writes the entry and, bound to the file just written, its record."""
        assert self._key is not None
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cwasm")
            with os.fdopen(fd, "wb") as fh:
                fh.write(artifact)
                fh.flush()
                os.replace(tmp, path)
                identity = identity_of(os.fstat(fh.fileno()))  # after the rename: it moves ctime
        except OSError as exc:  # a read-only cache only costs speed
            log.warning("cannot write compile cache entry %s: %s", path.name, exc)
            return
        content = content_mac(self._key, path.name, artifact)
        self._write_record(path, record(self._key, path.name, content, identity))

    def _write_record(self, path: Path, data: bytes) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sig")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path.parent / _record_name(path))
        except OSError as exc:
            log.warning("cannot write compile cache record for %s: %s", path.name, exc)


class _NotPrivate(Exception):
    """A cache directory or key that someone other than this user could change."""


def _is_private(st: os.stat_result, forbidden: int) -> bool:
    """Owned by this user, with none of the ``forbidden`` mode bits (e.g. group/other write)."""
    return st.st_uid == os.geteuid() and not st.st_mode & forbidden


def _check_private(st: os.stat_result, path: Path, forbidden: int, kind: str) -> None:
    want = stat.S_ISDIR if kind == "directory" else stat.S_ISREG
    if not want(st.st_mode):
        raise _NotPrivate(f"{path} is not a {kind}")
    if not _is_private(st, forbidden):
        raise _NotPrivate(
            f"{path} is owned by uid {st.st_uid} with mode {stat.S_IMODE(st.st_mode):o}; "
            f"it must be this user's (uid {os.geteuid()}) and not writable by others"
        )


def _record_name(entry: Path) -> str:
    """The record beside entry ``x.cwasm``: ``x.sig``."""
    return entry.with_suffix(".sig").name

"""Compiled modules cached on disk, verified before use.

`Module.deserialize` trusts its input (a crafted artifact is native code), so
an entry is used only if its HMAC, under a key private to this data directory,
matches. The key is the wasm's SHA-256 plus the wasmtime version and engine
settings. A corrupt, truncated or foreign entry is recompiled and replaced,
never trusted.
"""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import logging
import os
import secrets
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime import component as wc

from .. import fs
from ..errors import LoadError, PluginError

__all__ = ["CacheOutcome", "Compiled", "ModuleCache", "compile_component", "compile_module", "is_component"]

#: A compiled plugin: a core module (ABI v1) or a component (the plugin world).
Compiled = wasmtime.Module | wc.Component

log = logging.getLogger("spacedrive.runtime.cache")

T = TypeVar("T")

_MAGIC = b"SDMC\x01"
_MAC_LEN = 32
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


def _deserialize_component(engine: wasmtime.Engine, blob: bytes, offset: int) -> wc.Component:
    """`Component.deserialize` of ``blob[offset:]`` without the two copies wasmtime-py
    makes (a slice, then a ctypes array): wasmtime reads the verified bytes in place."""
    base = ctypes.cast(ctypes.c_char_p(blob), ctypes.c_void_p).value
    assert base is not None
    out = ctypes.POINTER(ffi.wasmtime_component_t)()
    start = ctypes.cast(base + offset, ctypes.POINTER(ctypes.c_uint8))
    error = ffi.wasmtime_component_deserialize(engine.ptr(), start, len(blob) - offset, ctypes.byref(out))
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)
    return wc.Component._from_ptr(out)


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
                self._key = self._load_or_create_key(directory / "hmac.key")
            except OSError as exc:  # e.g. a directory where the key should be: a cache only saves time
                log.warning("compile cache in %s disabled: %s", directory, exc)
                self._dir = None

    @staticmethod
    def _load_or_create_key(path: Path) -> bytes:
        try:
            key = path.read_bytes()
            if len(key) == 32:
                return key
        except FileNotFoundError:
            pass
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return key

    def entry_path(self, wasm: bytes) -> Path | None:
        if self._dir is None:
            return None
        return self._dir / f"{hashlib.sha256(wasm).hexdigest()}-{self._config_tag}.cwasm"

    def _mac(self, artifact: bytes | memoryview) -> bytes:
        assert self._key is not None
        return hmac.digest(self._key, artifact, "sha256")

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
        try:  # never a blocking open or a link followed; a bounded read
            blob = fs.read_file(path.parent, path.name, max_bytes=1 << 30)
        except PluginError:  # missing, or not a regular file: compiled afresh
            blob = None
        if blob is not None:
            module = self._verified(blob, component)
            if module is not None:
                return module, CacheOutcome.HIT
            log.warning("compile cache entry %s failed verification; recompiling", path.name)
            outcome = CacheOutcome.REPLACED
        module = compile_(self._engine, wasm, source=source)
        self._store(path, bytes(module.serialize()))
        return module, outcome

    def _verified(self, blob: bytes, component: bool) -> Compiled | None:
        head = len(_MAGIC) + _MAC_LEN
        if len(blob) <= head or not blob.startswith(_MAGIC):
            return None
        # A view, not a slice: a component's artifact is ~35 MB, and every copy shows in its load.
        mac, artifact = blob[len(_MAGIC) : head], memoryview(blob)[head:]
        if not hmac.compare_digest(mac, self._mac(artifact)):
            return None
        try:
            if component:
                return _deserialize_component(self._engine, blob, head)
            return wasmtime.Module.deserialize(self._engine, bytes(artifact))
        except wasmtime.WasmtimeError:
            # Authentic but incompatible (e.g. written by another wasmtime build).
            return None

    def _store(self, path: Path, artifact: bytes) -> None:
        data = _MAGIC + self._mac(artifact) + artifact
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cwasm")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:  # a read-only cache only costs speed
            log.warning("cannot write compile cache entry %s: %s", path.name, exc)

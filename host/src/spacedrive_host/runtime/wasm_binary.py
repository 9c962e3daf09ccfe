"""What a wasm binary says about itself before it is compiled: whether it is a core
module or a component (its header), and the initial memory it asks for (its memory
limits; a component's, those of the core modules inside it).

A load and `plugin check` both refuse a plugin from these, with the manifest field
to change, instead of the engine's "exceeds memory limits" at instantiation or a
compile error."""

from __future__ import annotations

from pathlib import Path

from ..errors import LimitExceeded, LoadError
from ..manifest import Manifest

__all__ = ["WasmReader", "binary_kind", "check_binary", "initial_memory_bytes", "skip_import"]

_MAGIC = b"\0asm"
_MODULE_VERSION = b"\x01\x00\x00\x00"
_COMPONENT_VERSION = b"\x0d\x00\x01\x00"
_PAGE = 1 << 16
_MIB = 1 << 20

# Core module sections.
_SECTION_IMPORT = 2
_SECTION_MEMORY = 5
_IMPORT_MEMORY = 2
# Component sections holding core modules.
_SECTION_CORE_MODULE = 1
_SECTION_COMPONENT = 4


class WasmReader:
    """LEB128 and names over a wasm binary."""

    def __init__(self, data: bytes | memoryview, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def byte(self) -> int:
        b = self.data[self.pos]
        self.pos += 1
        return b

    def leb(self, *, signed: bool = False) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result - (1 << shift) if signed and b & 0x40 else result

    def uleb(self) -> int:
        return self.leb()

    def name(self) -> str:
        n = self.uleb()
        self.pos += n
        return bytes(self.data[self.pos - n : self.pos]).decode("utf-8", "replace")

    def skip_name(self) -> None:
        n = self.uleb()
        self.pos += n

    def skip_limits(self) -> None:
        self.memory_limits()

    def memory_limits(self) -> int:
        """Reads limits (with a memory's page size); returns the minimum in bytes."""
        flags = self.byte()
        minimum = self.uleb()
        if flags & 1:
            self.uleb()
        page = 1 << self.uleb() if flags & 8 else _PAGE  # custom-page-sizes
        return minimum * page


def binary_kind(wasm: bytes | memoryview) -> str | None:
    """``"module"``, ``"component"``, or None for anything else."""
    if bytes(wasm[:4]) != _MAGIC:
        return None
    return {_MODULE_VERSION: "module", _COMPONENT_VERSION: "component"}.get(bytes(wasm[4:8]))


def skip_import(r: WasmReader, kind: int) -> int:
    """Skips an import's description; a memory's minimum in bytes, else 0."""
    if kind == 0:  # func: type index
        r.uleb()
    elif kind == 1:  # table: reftype + limits
        r.byte()
        r.skip_limits()
    elif kind == _IMPORT_MEMORY:
        return r.memory_limits()
    elif kind == 3:  # global: valtype + mutability
        r.byte()
        r.byte()
    else:  # tag: attribute + type index
        r.byte()
        r.uleb()
    return 0


def _module_memory(r: WasmReader, end: int) -> int:
    need = 0
    while r.pos < end:
        section, size = r.byte(), r.uleb()
        section_end = r.pos + size
        if section == _SECTION_IMPORT:
            for _ in range(r.uleb()):
                r.skip_name()
                r.skip_name()
                need = max(need, skip_import(r, r.byte()))
        elif section == _SECTION_MEMORY:
            for _ in range(r.uleb()):
                need = max(need, r.memory_limits())
        r.pos = section_end
    return need


def _component_memory(r: WasmReader, end: int) -> int:
    need = 0
    while r.pos < end:
        section, size = r.byte(), r.uleb()
        section_end = r.pos + size
        if section in (_SECTION_CORE_MODULE, _SECTION_COMPONENT):
            need = max(need, _memory(r.data[r.pos : section_end]))
        r.pos = section_end
    return need


def _memory(wasm: bytes | memoryview) -> int:
    kind = binary_kind(wasm)
    if kind is None:
        return 0
    r = WasmReader(wasm, 8)
    return _module_memory(r, len(wasm)) if kind == "module" else _component_memory(r, len(wasm))


def initial_memory_bytes(wasm: bytes) -> int:
    """The largest initial size of any memory the binary defines or imports (0 if
    none, or if it cannot be read: the compiler then says what is wrong)."""
    try:
        return _memory(memoryview(wasm))  # nested modules read in place, not copied
    except (IndexError, UnicodeError):
        return 0


def check_binary(manifest: Manifest, wasm: bytes, wasm_path: Path) -> None:
    """Refuses a binary of the other kind than the manifest's ``kind``, and one whose
    initial memory is above ``permissions.max_memory_mb``; each error names the field."""
    # Before the compile cache is asked (it would find the other kind's entry "failed
    # verification"); worded as the compilers word it (`runtime/module_cache.py`).
    kind = binary_kind(wasm)
    if kind == "component" and manifest.kind == "module":
        raise LoadError(
            f'{wasm_path} is a component; say "kind": "component" in its manifest', plugin=manifest.id
        )
    if kind == "module" and manifest.kind == "component":
        raise LoadError(
            f'{wasm_path} is a core module, but the manifest says "kind": "component"', plugin=manifest.id
        )
    need, limit_mb = initial_memory_bytes(wasm), manifest.permissions.max_memory_mb
    if need > limit_mb * _MIB:
        mib = -(-need // _MIB)
        raise LimitExceeded(
            f"{wasm_path} needs {mib} MiB initial memory; permissions.max_memory_mb is {limit_mb} "
            f"(raise it to at least {mib})",
            plugin=manifest.id,
        )

"""Reads a constant out of a core wasm module without running it: the value an
exported ``() -> i32`` function returns when its body is just ``i32.const N``
(what `spacedrive_abi_version` compiles to)."""

from __future__ import annotations

from ..runtime.wasm_binary import WasmReader, skip_import

__all__ = ["constant_export"]

_SECTION_IMPORT = 2
_SECTION_FUNCTION = 3
_SECTION_EXPORT = 7
_SECTION_CODE = 10
_EXPORT_FUNC = 0
_I32_CONST = 0x41
_END = 0x0B


def constant_export(wasm: bytes, name: str) -> int | None:
    """``N`` if ``name`` is an exported function whose body is ``i32.const N; end``, else None.

    Assumes a module that compiled (callers check that first); any surprise gives None."""
    try:
        return _constant_export(wasm, name)
    except (IndexError, UnicodeError):
        return None


def _constant_export(wasm: bytes, name: str) -> int | None:
    r = WasmReader(wasm, 8)
    imported_funcs = 0
    func_index: int | None = None
    while r.pos < len(wasm):
        section = r.byte()
        size = r.uleb()
        end = r.pos + size
        if section == _SECTION_IMPORT:
            for _ in range(r.uleb()):
                r.name()
                r.name()
                kind = r.byte()
                imported_funcs += kind == 0
                skip_import(r, kind)
        elif section == _SECTION_EXPORT:
            for _ in range(r.uleb()):
                export_name, kind, index = r.name(), r.byte(), r.uleb()
                if export_name == name and kind == _EXPORT_FUNC:
                    func_index = index
        elif section == _SECTION_CODE:
            if func_index is None or func_index < imported_funcs:
                return None
            wanted = func_index - imported_funcs
            count = r.uleb()
            for i in range(count):
                body_size = r.uleb()
                body_end = r.pos + body_size
                if i == wanted:
                    for _ in range(r.uleb()):  # local declarations: count + type
                        r.uleb()
                        r.byte()
                    if r.byte() != _I32_CONST:
                        return None
                    value = r.leb(signed=True)
                    return value if r.pos == body_end - 1 and r.byte() == _END else None
                r.pos = body_end
            return None
        r.pos = end
    return None

"""Test helpers: inline-WAT guests (a minimal ABI v1 module whose parts a test can
replace) and copies of built plugins with edited manifests."""

from __future__ import annotations

import json
from pathlib import Path

import wasmtime

IMPORTS = """
  (import "spacedrive" "spacedrive_call" (func $call (param i32 i32 i32 i32 i32) (result i32)))
  (import "spacedrive" "spacedrive_log" (func $log (param i32 i32 i32)))
"""

# A bump allocator: enough for tests, and easy to make misbehave.
ALLOC = """
  (global $heap (mut i32) (i32.const 65536))
  (func $alloc (export "wasm_alloc") (param $size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $heap))
    (global.set $heap (i32.and (i32.add (i32.add (local.get $ptr) (local.get $size)) (i32.const 7)) (i32.const -8)))
    (block $ok
      (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
      (if (i32.eq (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))) (i32.const -1))
        (then (global.set $heap (local.get $ptr)) (return (i32.const 0)))))
    (local.get $ptr))
  (func (export "wasm_free") (param i32 i32))
"""

# Echoes the request message back as an ok response block.
HANDLE_ECHO = """
  (func (export "plugin_handle") (param $mp i32) (param $ml i32) (param $pp i32) (param $pl i32) (result i64)
    (local $b i32)
    (local.set $b (call $alloc (i32.add (local.get $pl) (i32.const 5))))
    (i32.store (local.get $b) (i32.add (local.get $pl) (i32.const 1)))
    (i32.store8 (i32.add (local.get $b) (i32.const 4)) (i32.const 0))
    (memory.copy (i32.add (local.get $b) (i32.const 5)) (local.get $pp) (local.get $pl))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32))
            (i64.extend_i32_u (i32.add (local.get $pl) (i32.const 5)))))
"""


def relay_handle(method_ptr: int, method_len: int, lib_ptr: int, payload_ptr: int, payload_len: int) -> str:
    """A plugin_handle that makes one spacedrive_call with these raw arguments and
    returns the host's response block as its own."""
    return f"""
  (func (export "plugin_handle") (param i32 i32 i32 i32) (result i64)
    (local $b i32)
    (local.set $b (call $call (i32.const {method_ptr}) (i32.const {method_len}) (i32.const {lib_ptr})
                              (i32.const {payload_ptr}) (i32.const {payload_len})))
    (if (i32.eqz (local.get $b)) (then (return (i64.const 0))))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32))
            (i64.extend_i32_u (i32.add (i32.const 4) (i32.load (local.get $b))))))
"""


def module(
    *,
    handle: str = HANDLE_ECHO,
    init: str = '(func (export "plugin_init") (result i32) (i32.const 0))',
    abi_version: int = 1,
    alloc: str = ALLOC,
    imports: str = IMPORTS,
    memory: str = '(memory (export "memory") 2)',
    data: str = "",
    extra: str = "",
) -> bytes:
    text = f"""(module
  {imports}
  {memory}
  {data}
  {alloc}
  (func (export "spacedrive_abi_version") (result i32) (i32.const {abi_version}))
  {init}
  {handle}
  {extra}
)"""
    return bytes(wasmtime.wat2wasm(text))


def write_plugin(directory: Path, wasm: bytes, **manifest: object) -> Path:
    """Lays out a plugin directory; ``manifest`` overrides the defaults."""
    directory.mkdir(parents=True, exist_ok=True)
    doc: dict[str, object] = {
        "id": directory.name,
        "name": directory.name,
        "version": "0.1.0",
        "wasm_file": "plugin.wasm",
        "permissions": {"methods": ["core."]},
        "provides": [{"name": "run"}],
    }
    doc.update(manifest)
    (directory / "manifest.json").write_text(json.dumps(doc))
    (directory / str(doc["wasm_file"])).write_bytes(wasm)
    return directory


def plugin_copy(source: Path, dest: Path, **manifest: object) -> Path:
    """A copy of a built plugin under a new directory, its manifest updated with
    ``manifest`` (a new ``id``, other ``permissions`` ...)."""
    import shutil

    copy = Path(shutil.copytree(source, dest))
    doc = json.loads((copy / "manifest.json").read_text())
    doc.update(manifest)
    (copy / "manifest.json").write_text(json.dumps(doc))
    return copy

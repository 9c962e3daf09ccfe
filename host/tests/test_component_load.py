"""A component plugin is refused at load, with the reason, when its manifest's
kind does not match the file or when it is not of the plugin world."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import wasmtime

from spacedrive_host import Host
from spacedrive_host.errors import LoadError

NOT_OUR_WORLD = """(component
  (core module $m (func (export "run")))
  (core instance $i (instantiate $m))
  (func (export "run") (canon lift (core func $i "run"))))"""


def plugin_dir(where: Path, wasm: bytes, *, kind: str) -> Path:
    where.mkdir(parents=True)
    (where / "plugin.wasm").write_bytes(wasm)
    manifest = {"id": "probe", "name": "Probe", "version": "0.1.0", "wasm_file": "plugin.wasm", "kind": kind}
    (where / "manifest.json").write_text(json.dumps(manifest))
    return where


def test_a_core_module_under_kind_component_is_refused(
    host: Host, built_plugins: Path, tmp_path: Path
) -> None:
    wasm = (built_plugins / "hello" / "hello.wasm").read_bytes()
    with pytest.raises(LoadError, match='is a core module, but the manifest says "kind": "component"'):
        host.plugins.load(plugin_dir(tmp_path / "p", wasm, kind="component"))


def test_a_component_under_kind_module_is_refused(host: Host, tmp_path: Path) -> None:
    wasm = bytes(wasmtime.wat2wasm(NOT_OUR_WORLD))
    with pytest.raises(LoadError, match='is a component; say "kind": "component" in its manifest'):
        host.plugins.load(plugin_dir(tmp_path / "p", wasm, kind="module"))


def test_a_component_of_another_world_is_refused_naming_what_it_lacks(host: Host, tmp_path: Path) -> None:
    wasm = bytes(wasmtime.wat2wasm(NOT_OUR_WORLD))
    lacks = "it does not export init, handle, cleanup"
    with pytest.raises(LoadError, match=rf"not a component of the spacedrive:plugin@1\.0\.0 world: {lacks}"):
        host.plugins.load(plugin_dir(tmp_path / "p", wasm, kind="component"))
    assert host.plugins.info("probe").status == "failed"


#: The world's exports, but ``handle`` as the world's first draft had it (no ``library``).
EARLIER_DRAFT = """(component
  (core module $m
    (func (export "unit"))
    (func (export "handle") (param i32 i32 i32)))
  (core instance $i (instantiate $m))
  (func (export "init") (canon lift (core func $i "unit")))
  (func (export "cleanup") (canon lift (core func $i "unit")))
  (func (export "handle") (param "method" u32) (param "json" u32) (param "tail" u32)
    (canon lift (core func $i "handle"))))"""


def test_a_component_of_an_earlier_draft_of_the_world_is_refused(host: Host, tmp_path: Path) -> None:
    wasm = bytes(wasmtime.wat2wasm(EARLIER_DRAFT))
    takes = r"its handle takes \(method, json, tail\), not \(method, library, json, tail\)"
    with pytest.raises(LoadError, match=rf"spacedrive:plugin@1\.0\.0 world: {takes}.*rebuild it"):
        host.plugins.load(plugin_dir(tmp_path / "p", wasm, kind="component"))


def test_an_unknown_kind_is_a_manifest_error(host: Host, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="kind"):
        host.plugins.load(plugin_dir(tmp_path / "p", b"\0asm\1\0\0\0", kind="script"))
    shutil.rmtree(tmp_path / "p")

"""A broken module is refused with a load error that says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from wat import HANDLE_ECHO, IMPORTS, module, write_plugin

from spacedrive_host import Host, LimitExceeded, LoadError


def load(host: Host, tmp_path: Path, wasm: bytes, **manifest: object) -> None:
    host.plugins.load(write_plugin(tmp_path / "broken", wasm, **manifest))


def test_a_well_formed_wat_plugin_loads_and_echoes(host: Host, tmp_path: Path) -> None:
    load(host, tmp_path, module())
    out = host.call_plugin("broken", "run", {"x": 1}, tail=b"abc")
    assert out.data()["output"] == {"x": 1}
    assert out.tail == b"abc"


def test_missing_export_is_named(host: Host, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"does not export `plugin_handle` \(i32, i32, i32, i32\) -> \(i64\)"):
        load(host, tmp_path, module(handle=""))


def test_export_with_wrong_signature(host: Host, tmp_path: Path) -> None:
    wrong = '(func (export "plugin_handle") (param i32 i32 i32 i32) (result i32) (i32.const 0))'
    with pytest.raises(LoadError, match="exports `plugin_handle` with the wrong type"):
        load(host, tmp_path, module(handle=wrong))


def test_missing_memory_export(host: Host, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="does not export its linear memory"):
        load(host, tmp_path, module(memory="(memory 1)"))


def test_wrong_abi_version(host: Host, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="built for ABI version 2; this host speaks version 1"):
        load(host, tmp_path, module(abi_version=2))


def test_unexpected_import(host: Host, tmp_path: Path) -> None:
    imports = IMPORTS + '(import "env" "fd_write" (func (param i32) (result i32)))'
    with pytest.raises(LoadError, match=r"imports env\.fd_write, which this host does not provide"):
        load(host, tmp_path, module(imports=imports))


def test_import_with_wrong_type(host: Host, tmp_path: Path) -> None:
    imports = (
        '(import "spacedrive" "spacedrive_log" (func $log (param i32)))'
        '(import "spacedrive" "spacedrive_call" (func $call (param i32 i32 i32 i32 i32) (result i32)))'
    )
    with pytest.raises(LoadError, match=r"imports spacedrive\.spacedrive_log with the wrong type"):
        load(host, tmp_path, module(imports=imports, handle=HANDLE_ECHO))


@pytest.mark.parametrize(
    ("wasm", "message"),
    [
        (b"", "not a WebAssembly module"),
        (b"MZ\x90\x00", "not a WebAssembly module"),
        (b"\0asm\x01\0\0\0\x01\xff", "failed to compile"),
        (b"\0asm\x0d\0\x01\0", "is a component"),
    ],
)
def test_invalid_bytes(host: Host, tmp_path: Path, wasm: bytes, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        load(host, tmp_path, wasm)


def test_init_failure_reports_the_logged_reason(host: Host, tmp_path: Path) -> None:
    init = """(func (export "plugin_init") (result i32)
        (call $log (i32.const 4) (i32.const 100) (i32.const 14)) (i32.const 3))"""
    wasm = module(init=init, data='(data (i32.const 100) "no credentials")')
    with pytest.raises(LoadError, match="plugin_init returned 3: no credentials"):
        load(host, tmp_path, wasm)


def test_init_trap(host: Host, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="plugin_init trapped"):
        load(host, tmp_path, module(init='(func (export "plugin_init") (result i32) unreachable)'))


def test_init_infinite_loop_is_stopped(host: Host, tmp_path: Path) -> None:
    init = '(func (export "plugin_init") (result i32) (loop $l (br $l)) (i32.const 0))'
    with pytest.raises(Exception, match="time limit") as info:
        load(host, tmp_path, module(init=init), permissions={"call_timeout_ms": 50})
    assert info.value.__class__.__name__ == "Timeout"


def test_initial_memory_above_the_limit(host: Host, tmp_path: Path) -> None:
    # Refused before compiling, naming the field to change (the engine would say
    # "memory minimum size of 32 pages exceeds memory limits").
    with pytest.raises(LimitExceeded, match=r"needs 2 MiB initial memory; permissions\.max_memory_mb is 1 "):
        load(
            host,
            tmp_path,
            module(memory='(memory (export "memory") 32)'),
            permissions={"max_memory_mb": 1},
        )


def test_failed_loads_leave_other_plugins_serving(host: Host, tmp_path: Path, built_plugins: Path) -> None:
    host.plugins.load(built_plugins / "echo")
    with pytest.raises(LoadError):
        load(host, tmp_path, module(abi_version=7))
    assert host.call_plugin("echo", "echo", "ok").data()["output"] == "ok"

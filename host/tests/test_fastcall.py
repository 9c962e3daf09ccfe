"""The C API fast path and the public-API path give identical results, and the
fast path only turns on for the exact wasmtime-py release it was written for."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import wasmtime

from spacedrive_host import Host, HostLimits, PluginError
from spacedrive_host.runtime import fastcall, native
from spacedrive_host.runtime.core import CoreInstance

CALLS: list[tuple[str, str, Any, bytes]] = [
    ("echo", "echo", {"a": [1, 2.5, None, "ü"]}, b""),
    ("echo", "echo", None, bytes(range(256)) * 300),
    ("echo", "relay", {"method": "query:core.echo.v1", "input": {"value": 7}}, b"tail"),
    ("echo", "relay", {"method": "query:core.version.v1"}, b""),
    ("echo", "nope", {}, b""),
    ("hostile", "raw_call", {"method_ptr": 0xFFFF0000}, b""),
    ("hostile", "raw_call", {"payload_ptr": 0xFFFFFFF0, "payload_len": 32}, b""),
    ("hostile", "oversized_payload", {"size": 2 << 20}, b""),
    ("hostile", "panic", None, b""),
    ("hostile", "spin", None, b""),
    ("hostile", "memory_bomb", None, b""),
    ("hostile", "echo", "after the faults", b""),
    ("abi-probe", "stats", None, b""),
    ("abi-probe", "host_calls", {"n": 50, "size": 300}, b""),
    ("abi-probe", "host_calls", {"n": 3, "size": 20, "tail": 70_000}, b""),
    ("abi-probe", "decode_block", None, b"\x06\x00\x00\x00\x00\x02\x00\x00\x00{}"),
]


def outcome(host: Host, plugin: str, method: str, payload: Any, tail: bytes) -> Any:
    try:
        out = host.plugins.call(plugin, method, json.dumps(payload).encode(), tail)
    except PluginError as err:
        return ("error", type(err).__name__, err.message, err.origin)
    return ("ok", json.loads(out[0]), out[1])


# SPACEDRIVE_FASTCALL: the C trampoline on the ctypes path, the ctypes path alone, the public API.
PATHS = ("1", "ctypes", "0")


@pytest.fixture
def hosts(tmp_path: Path, built_plugins: Path) -> Iterator[dict[str, Host]]:
    made = {}
    for path in PATHS:
        os.environ["SPACEDRIVE_FASTCALL"] = path
        host = Host(data_dir=tmp_path / path, limits=HostLimits(max_payload_bytes=1 << 20))
        for name in ("echo", "hostile", "abi-probe"):
            host.plugins.load(built_plugins / name)
        made[path] = host
    os.environ.pop("SPACEDRIVE_FASTCALL")
    yield made
    for host in made.values():
        host.close()


def test_the_pinned_wasmtime_has_the_fast_path() -> None:
    # Fails when wasmtime-py is bumped without re-checking fastcall.py against it.
    assert fastcall.SUPPORTED
    # `nox -s tests` installs the trampoline (host/native), so the suite runs on it.
    assert native.installed()


def test_all_paths_give_identical_results(hosts: dict[str, Host]) -> None:
    echo = {path: host.plugins.instance("echo") for path, host in hosts.items()}
    assert {path: host.plugins.call_path.name for path, host in hosts.items()} == {
        "1": "trampoline",
        "ctypes": "ctypes",
        "0": "public",
    }
    assert all(
        isinstance(e, CoreInstance) and e.call_path is hosts[p].plugins.call_path for p, e in echo.items()
    )
    for call in CALLS:
        outcomes = {path: outcome(host, *call) for path, host in hosts.items()}
        assert outcomes["1"] == outcomes["ctypes"] == outcomes["0"], call
    for host in hosts.values():
        assert host.plugins.info("hostile").faults == 2  # the panic and the spin


def test_fast_path_is_refused_for_another_wasmtime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastcall, "version", lambda _: "51.0.0")
    assert not fastcall._supported()


def test_fast_path_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPACEDRIVE_FASTCALL", "0")
    assert not fastcall.enabled()
    assert not native.enabled()
    monkeypatch.setenv("SPACEDRIVE_FASTCALL", "ctypes")
    assert fastcall.enabled()
    assert not native.enabled()


def test_a_callers_context_is_its_stores() -> None:
    # Host functions are handed their store's context instead of asking wasmtime
    # on every call: sound because a caller's context is its store's, which this
    # checks for the pinned release (no `context=` below: wasmtime is asked).
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    linker = wasmtime.Linker(engine)
    seen: list[int] = []
    keep = fastcall.define_host_func(linker, "h", "f", (), (), seen.append)
    module = wasmtime.Module(engine, '(module (import "h" "f" (func $f)) (func (export "go") (call $f)))')
    func = linker.instantiate(store, module).exports(store)["go"]
    assert isinstance(func, wasmtime.Func)
    go = fastcall.export(func, (), (), fast=True)
    ctx = fastcall.store_context(store, fast=True)
    go(ctx)
    go(ctx)
    assert seen == [ctx, ctx], keep

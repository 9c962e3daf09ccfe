"""Benchmarks of Python plugins (componentize-py components): a host call from
a Python guest against a Rust guest's and against a trivial WAT component's
(the floor of any component call); a 1 MiB tail (random, and ASCII) through a
Python guest against two plain copies; a cached load against a cold compile; and the RSS of an idle
loaded Python plugin.

The components come precompiled from build/component-cache (`nox -s build`);
only the cold-compile row compiles, and only in a full run."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import wasmtime
from harness import Case
from spacedrive_host import Host
from spacedrive_host.data_dir import DataDir
from spacedrive_host.runtime import component_bytes
from spacedrive_host.runtime.engine import EngineSettings, Runtime
from spacedrive_host.runtime.module_cache import ModuleCache, compile_component
from wasmtime import _ffi as ffi
from wasmtime import component as wc

PAYLOAD = 200
HOST_CALLS = 200

#: The floor: an export that calls one host import, with no guest language in between.
FLOOR_COMPONENT = """(component
  (import "f" (func $f))
  (core func $f_lowered (canon lower (func $f)))
  (core module $m
    (import "host" "f" (func $f))
    (func (export "run") (param $n i32)
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (call $f)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))))
  (core instance $i (instantiate $m (with "host" (instance (export "f" (func $f_lowered))))))
  (func (export "run") (param "n" u32) (canon lift (core func $i "run"))))"""


#: What wasmtime itself costs to carry bytes across a component boundary: a string and a
#: list<u8> echoed by a core module that only hands its argument back.
ECHO_COMPONENT = """(component
  (core module $m
    (memory (export "mem") 160)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $bump))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
      (i32.store (i32.const 8) (local.get $ptr))
      (i32.store (i32.const 12) (local.get $len))
      (global.set $bump (i32.const 1024))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (func (export "string") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory (core memory $i "mem"))
      (realloc (core func $i "realloc")) string-encoding=utf8))
  (func (export "bytes") (param "s" (list u8)) (result (list u8))
    (canon lift (core func $i "echo") (memory (core memory $i "mem"))
      (realloc (core func $i "realloc")))))"""


def seeded_data_dir(plugins: Path, where: Path) -> Path:
    """A data directory whose compile cache holds the built components."""
    cache = plugins.parent / "component-cache"
    target = DataDir(where).module_cache
    if cache.is_dir():
        shutil.copytree(cache, target, dirs_exist_ok=True)
    return where


class PythonFixture:
    """A host with the Python echo and the Rust abi-probe loaded, and the floor component."""

    def __init__(self, plugins: Path, workdir: Path) -> None:
        self.plugins, self.workdir = plugins, workdir
        self.stack = ExitStack()
        self.host = self.stack.enter_context(Host(data_dir=seeded_data_dir(plugins, workdir / "py-data")))
        for name in ("py-echo", "abi-probe"):
            self.host.plugins.load(plugins / name)
        engine = wasmtime.Engine()
        self.floor_store = wasmtime.Store(engine)
        linker = wc.Linker(engine)
        with linker.root() as root:
            root.add_func("f", lambda _store: None)
        self.floor = linker.instantiate(self.floor_store, wc.Component(engine, FLOOR_COMPONENT))
        run = self.floor.get_func(self.floor_store, "run")
        assert run is not None
        self.floor_run = run
        self.echo_store = wasmtime.Store(engine)
        self.echo = wc.Linker(engine).instantiate(self.echo_store, wc.Component(engine, ECHO_COMPONENT))

    def c_echo(self, name: str, data: bytes) -> Callable[[], None]:
        """One echo of ``data`` through the echo component's ``name`` export with its
        argument prebuilt as C values (the list's by component_bytes' fill): wasmtime's
        own lowering and lifting, no Python conversion."""
        func = self.echo.get_func(self.echo_store, name)
        assert func is not None
        arg, result = ffi.wasmtime_component_val_t(), ffi.wasmtime_component_val_t()
        keep = ctypes.create_string_buffer(data, len(data))
        if name == "string":
            arg.kind = ffi.WASMTIME_COMPONENT_STRING
            arg.of.string.size = len(data)
            arg.of.string.data = ctypes.cast(keep, ctypes.POINTER(ffi.wasm_byte_t))
        else:
            raw = ffi.wasmtime_component_vallist_t()
            component_bytes._fill(raw, data)
            arg.kind = ffi.WASMTIME_COMPONENT_LIST
            arg.of.list = raw  # wasmtime's allocation (the string's is ours: not deleted)
            self.stack.callback(ffi.wasmtime_component_val_delete, ctypes.byref(arg))
        ctx, fn = self.echo_store._context(), ctypes.byref(func._func)

        def run(_keep: object = keep) -> None:
            error = ffi.wasmtime_component_func_call(fn, ctx, ctypes.byref(arg), 1, ctypes.byref(result), 1)
            assert not error, "the echo component failed"
            ffi.wasmtime_component_val_delete(ctypes.byref(result))

        return run

    def close(self) -> None:
        self.stack.close()


def calls(fx: PythonFixture) -> list[Case]:
    host = fx.host
    body = json.dumps({"n": HOST_CALLS, "size": PAYLOAD}).encode()
    store, run = fx.floor_store, fx.floor_run
    return [
        Case(
            "Python guest: host call round trip (core.echo, 200 B)",
            "python",
            lambda: host.plugins.call("py-echo", "host_calls", body),
            ops_per_run=HOST_CALLS,
            baseline="Rust guest: host call round trip (core.echo, 200 B)",
            note=f"{HOST_CALLS} host calls in one plugin call, per call",
        ),
        Case(
            "Python guest: host call round trip, vs the floor",
            "python",
            lambda: host.plugins.call("py-echo", "host_calls", body),
            ops_per_run=HOST_CALLS,
            baseline="floor: WAT component, export + 1 host import",
            note="the same row, against a component call with no guest language",
        ),
        Case(
            "Rust guest: host call round trip (core.echo, 200 B)",
            "python",
            lambda: host.plugins.call("abi-probe", "host_calls", body),
            ops_per_run=HOST_CALLS,
        ),
        Case(
            "floor: WAT component, export + 1 host import",
            "python",
            lambda: (run(store, 1), run.post_return(store)),
            repeat=200,
        ),
        Case(
            "Python guest: no-op handle (echo null)",
            "python",
            lambda: host.plugins.call("py-echo", "echo", b"null"),
            repeat=20,
            baseline="floor: WAT component, export + 1 host import",
        ),
    ]


def tails(fx: PythonFixture, size: int) -> list[Case]:
    data = os.urandom(size)
    label = f"{size >> 10} KiB" if size < 1 << 20 else f"{size >> 20} MiB"

    # Into buffers allocated once: a fresh 1 MiB allocation may be a fresh mapping whose
    # page faults cost ~20x the copy, which would make the baseline (and ratio) noise.
    first, second = bytearray(size), bytearray(size)

    def copies() -> None:
        first[:] = data
        second[:] = first

    # Printable ASCII, not starting with a space: octets carry it as it is.
    text = bytes(0x21 + b % 0x5E for b in data)

    baseline = f"two plain copies, {label} (python rows)"
    return [
        Case(baseline, "python", copies, repeat=8, payload=size),
        Case(
            f"Python guest: echo tail, {label}",
            "python",
            lambda: fx.host.plugins.call("py-echo", "echo", b"null", data),
            payload=size,
            baseline=baseline,
            note="random bytes: hex octets each way, written and read in C by the host (component.c) "
            "and by CPython's bytes.hex/fromhex in the guest (~3 ms of a 1 MiB tail's time)",
        ),
        Case(
            f"wasmtime alone: {label} string echo (C values)",
            "python",
            fx.c_echo("string", text),
            payload=size,
            baseline=baseline,
            note="a WAT component hands its argument back; lowered into it and lifted out, no Python",
        ),
        Case(
            f"wasmtime alone: {label} list<u8> echo (C values)",
            "python",
            fx.c_echo("bytes", data),
            payload=size,
            baseline=baseline,
            note="the same as a list: wasmtime's C API converts and lowers it one value per byte",
        ),
        Case(
            f"Python guest: echo ASCII tail, {label}",
            "python",
            lambda: fx.host.plugins.call("py-echo", "echo", b"null", text),
            payload=size,
            baseline=baseline,
            note="ASCII octets cross as they are: no codec, only the string's copies through wasmtime "
            "and componentize-py",
        ),
    ]


def loads(fx: PythonFixture, *, cold: bool) -> list[Case]:
    runtime = Runtime()
    fx.stack.callback(runtime.close)
    wasm = (fx.plugins / "py-hello" / "hello.wasm").read_bytes()
    cache_dir = fx.workdir / "py-cache"
    shutil.copytree(fx.plugins.parent / "component-cache", cache_dir, dirs_exist_ok=True)
    cache = ModuleCache(runtime.engine, cache_dir, EngineSettings().fingerprint())
    # Compiled here only if the build's cache lacks it; the copy is verified in full and
    # re-signed for its new inode here, so the rows time what every later load does.
    cache.load_component(wasm, source="bench")
    mib = len(wasm) >> 20
    out = [
        Case(
            "Python plugin: cached load (py-hello)",
            "python-load",
            lambda: cache.load_component(wasm, source="bench"),
            baseline=f"Python plugin: cold compile (py-hello, {mib} MiB)" if cold else None,
            note="signed identity checked, the file mapped by wasmtime; goal <= 50 ms",
        )
    ]
    if cold:  # 15-35 s: a full run only
        out.append(
            Case(
                f"Python plugin: cold compile (py-hello, {mib} MiB)",
                "python-load",
                lambda: compile_component(runtime.engine, wasm, source="bench"),
            )
        )
    return out


def idle_rss_per_python_plugin(plugins: Path, workdir: Path, count: int) -> float:
    """KiB of resident memory per idle loaded Python plugin (py-hello), over ``count`` copies."""

    def rss() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        data = seeded_data_dir(plugins, Path(tmp) / "data")
        before = rss()
        with Host(data_dir=data) as host:
            for i in range(count):
                copy = shutil.copytree(plugins / "py-hello", Path(tmp) / f"py-hello{i}")
                manifest = json.loads((copy / "manifest.json").read_text())
                (copy / "manifest.json").write_text(json.dumps({**manifest, "id": f"py-hello{i}"}))
                host.plugins.load(copy)
            return (rss() - before) / count / 1024

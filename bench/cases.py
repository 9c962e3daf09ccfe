"""Every benchmark case, built against real objects: our host with plugins
built from this repository, raw wasmtime, and Extism's Python host."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import wasmtime
from harness import Case
from spacedrive_host import Host
from spacedrive_host.runtime import fastcall
from spacedrive_host.runtime.engine import EngineSettings, Runtime
from spacedrive_host.runtime.memory import GuestMemory
from spacedrive_host.runtime.module_cache import ModuleCache, compile_module
from spacedrive_host.wire.rate_limit import RateLimiter

HERE = Path(__file__).resolve().parent
PAYLOAD = 200
FLOOR_WAT = """(module
  (import "host" "empty" (func $empty))
  (memory (export "memory") 1)
  (func (export "empty"))
  (func (export "call_import") (param $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (call $empty)
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l))))
  (func (export "spin") (param $n i32) (result i32) (local $i i32)
    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))"""


def json_payload(size: int) -> dict[str, str]:
    return {"value": "x" * max(0, size - 12)}  # about `size` bytes as JSON


class Fixture:
    """The objects the cases run against, and their clean-up."""

    def __init__(self, plugins: Path, workdir: Path) -> None:
        self.plugins = plugins
        self.workdir = workdir
        self.stack = ExitStack()
        self.host = self.stack.enter_context(Host(data_dir=workdir / "data"))
        for name in ("echo", "abi-probe", "hello"):
            self.host.plugins.load(plugins / name)
        self.extism = self._extism()

    def _extism(self) -> Any:
        # Extism turns on a wasmtime disk cache in ~/.cache unless told where: keep it here.
        cache = self.workdir / "extism-cache"
        cache.mkdir(exist_ok=True)
        config = self.workdir / "extism-cache.toml"
        config.write_text(f'[cache]\ndirectory = "{cache}"\n')
        os.environ["EXTISM_CACHE_CONFIG"] = str(config)
        import extism

        @extism.host_fn(name="host_echo", namespace="extism:host/user")
        def host_echo(data: bytes) -> bytes:
            return data

        self.extism_wasm = bytes(wasmtime.wat2wasm((HERE / "extism_echo.wat").read_text()))
        self.extism_functions = [host_echo]
        return extism.Plugin(self.extism_wasm, wasi=False, functions=self.extism_functions)

    def close(self) -> None:
        self.stack.close()


def floors() -> list[Case]:
    """The raw costs under everything else, through wasmtime-py's public API and
    over the C API as `spacedrive_host.runtime.fastcall` does it."""

    def nothing() -> None:
        return None

    out = [Case("python call", "floor", nothing, repeat=2000, note="an empty Python function")]
    for fast in (False, True):
        tag = "C API" if fast else "public API"
        engine = wasmtime.Engine()
        store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        keep: object = None
        if fast:
            keep = fastcall.define_host_func(linker, "host", "empty", (), (), lambda ctx: None)
        else:
            linker.define_func("host", "empty", wasmtime.FuncType([], []), nothing)
        exports = linker.instantiate(store, wasmtime.Module(engine, FLOOR_WAT)).exports(store)
        ctx = fastcall.store_context(store, fast=fast)
        empty = fastcall.export(exports["empty"], (), (), fast=fast)
        call_import = fastcall.export(exports["call_import"], ("i32",), (), fast=fast)
        memory = GuestMemory(exports["memory"], fast=fast)
        out += [
            Case(
                f"wasm export, empty ({tag})",
                "floor",
                lambda empty=empty, ctx=ctx: empty(ctx),
                repeat=500,
                baseline="python call",
            ),
            Case(
                f"wasm -> host import, empty ({tag})",
                "floor",
                # `alive`: what the raw addresses point into.
                lambda call_import=call_import, ctx=ctx, alive=(store, linker, keep): call_import(ctx, 1000),
                ops_per_run=1000,
                note="a guest loop calling an empty Python host function",
            ),
            Case(
                f"guest memory read, 200 B ({tag})",
                "floor",
                lambda memory=memory, ctx=ctx: memory.read(ctx, 1024, PAYLOAD, what="b", limit=1 << 20),
                repeat=1000,
            ),
            Case(
                f"guest memory write, 200 B ({tag})",
                "floor",
                lambda memory=memory, ctx=ctx, data=b"m" * PAYLOAD: memory.write(ctx, 1024, data, what="b"),
                repeat=1000,
            ),
        ]
    return out


def ours_and_peer(fx: Fixture) -> list[Case]:
    host, ext = fx.host, fx.extism
    body = json.dumps(json_payload(PAYLOAD)).encode()
    n = 200
    calls_in = json.dumps({"n": n, "size": PAYLOAD}).encode()
    calls_zero = json.dumps({"n": 0, "size": PAYLOAD}).encode()
    raw = b"x" * PAYLOAD
    return [
        Case(
            "spacedrive_call round trip (core.echo, 200 B)",
            "call",
            lambda: host.plugins.call("abi-probe", "host_calls", calls_in),
            ops_per_run=n,
            baseline="Extism echo (200 B)",  # the target: 0.67x of it or better
            note=f"a Rust SDK guest making {n} host calls in one plugin call, per call",
        ),
        Case(
            "(the enclosing plugin call, n=0)",
            "call",
            lambda: host.plugins.call("abi-probe", "host_calls", calls_zero),
            repeat=20,
            note="what the row above amortises over its calls",
        ),
        Case(
            "plugin_handle echo (200 B)",
            "call",
            lambda: host.plugins.call("echo", "echo", body),
            repeat=50,
            baseline="Extism echo (200 B)",
        ),
        Case(
            "action:plugins.call.v1 echo (200 B)",
            "call",
            lambda: host.call_plugin("echo", "echo", json_payload(PAYLOAD)),
            repeat=50,
            baseline="Extism echo (200 B)",
            note="the same through the wire, as the CLI and API call",
        ),
        Case("Extism echo (200 B)", "call", lambda: ext.call("echo", raw), repeat=50),
        Case("Extism host function (200 B)", "call", lambda: ext.call("call_host", raw), repeat=50),
    ]


def payloads(fx: Fixture, sizes: list[int]) -> list[Case]:
    out = []
    for size in sizes:
        data = os.urandom(size)
        label = f"{size >> 10} KiB" if size < 1 << 20 else f"{size >> 20} MiB"
        repeat = max(1, (1 << 20) // max(size, 1) // 4)
        calls = max(16, (4 << 20) // size)  # host calls per plugin call: the message is framed once
        tail_calls = json.dumps({"n": calls, "size": 16, "tail": size}).encode()

        def copies(data: bytes = data) -> None:
            bytes(bytearray(data))

        out += [
            Case(f"two plain copies, {label}", "payload", copies, repeat=repeat, payload=size),
            Case(
                f"ours: echo tail, {label}",
                "payload",
                lambda data=data: fx.host.plugins.call("echo", "echo", b"null", data),
                repeat=repeat,
                payload=size,
                baseline=f"two plain copies, {label}",
                note="plugin_handle: into the guest, the guest's reply, out: three copies",
            ),
            Case(
                f"ours: spacedrive_call echo tail, {label}",
                "payload",
                lambda body=tail_calls: fx.host.plugins.call("abi-probe", "host_calls", body),
                ops_per_run=calls,
                payload=size,
                baseline=f"two plain copies, {label}",
                note="a guest sending a framed tail to query:core.echo.v1 and reading the reply in place",
            ),
            Case(
                f"Extism: echo, {label}",
                "payload",
                lambda data=data: fx.extism.call("echo", data),
                repeat=repeat,
                payload=size,
                baseline=f"two plain copies, {label}",
            ),
        ]
    return out


def loads(fx: Fixture) -> list[Case]:
    runtime = Runtime()
    fx.stack.callback(runtime.close)
    cases = []
    for name in ("hello", "abi-probe"):
        wasm = (fx.plugins / name / f"{name.replace('-', '_')}.wasm").read_bytes()
        cache = ModuleCache(runtime.engine, fx.workdir / f"cache-{name}", EngineSettings().fingerprint())
        cache.load(wasm, source=name)
        kib = len(wasm) >> 10
        cases += [
            Case(
                f"cold compile, {name} ({kib} KiB)",
                "load",
                lambda wasm=wasm: compile_module(runtime.engine, wasm, source="bench"),
            ),
            Case(
                f"cached load, {name}",
                "load",
                lambda wasm=wasm, cache=cache: cache.load(wasm, source="bench"),
                repeat=5,
                baseline=f"cold compile, {name} ({kib} KiB)",
            ),
        ]
    hello = fx.host.plugins.get("hello")
    cases.append(
        Case(
            "instantiate + plugin_init, hello",
            "load",
            lambda: fx.host.plugins._instantiate(hello.manifest, hello.module, deque()).close(),
            repeat=5,
        )
    )
    cases.append(
        Case(
            "Extism: plugin from its cache",
            "load",
            lambda: __import__("extism").Plugin(fx.extism_wasm, wasi=False, functions=fx.extism_functions),
            repeat=3,
        )
    )
    return cases


def costs() -> list[Case]:
    """What epoch interruption and rate-limit accounting add."""
    out = []
    for epoch in (False, True):
        config = wasmtime.Config()
        config.epoch_interruption = epoch
        engine = wasmtime.Engine(config)
        store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        linker.define_func("host", "empty", wasmtime.FuncType([], []), lambda: None)
        exports = linker.instantiate(store, wasmtime.Module(engine, FLOOR_WAT)).exports(store)
        empty, spin = exports["empty"], exports["spin"]
        tag = "with epoch" if epoch else "no epoch"

        def call(store: wasmtime.Store = store, empty: Any = empty, epoch: bool = epoch) -> None:
            if epoch:
                store.set_epoch_deadline(1000)
            empty(store)

        def loop(store: wasmtime.Store = store, spin: Any = spin, epoch: bool = epoch) -> None:
            if epoch:
                store.set_epoch_deadline(1000)
            spin(store, 100_000)

        out += [
            Case(
                f"empty call, {tag}",
                "cost",
                call,
                repeat=500,
                baseline="empty call, no epoch" if epoch else None,
            ),
            Case(
                f"tight guest loop (100k), {tag}",
                "cost",
                loop,
                repeat=3,
                baseline="tight guest loop (100k), no epoch" if epoch else None,
            ),
        ]
    limiter = RateLimiter()
    out.append(
        Case(
            "rate-limit check",
            "cost",
            lambda: limiter.try_acquire("p", 10**9),
            repeat=2000,
            baseline="python call",
        )
    )
    return out


def _load_copies(host: Host, source: Path, workdir: Path, count: int) -> list[str]:
    """Loads ``count`` copies of a built plugin under ids ``<name>0``, ``<name>1`` ..."""
    ids = []
    for i in range(count):
        plugin_id = f"{source.name}{i}"
        copy = shutil.copytree(source, workdir / plugin_id)
        manifest = json.loads((copy / "manifest.json").read_text())
        (copy / "manifest.json").write_text(json.dumps({**manifest, "id": plugin_id}))
        host.plugins.load(copy)
        ids.append(plugin_id)
    return ids


def idle_rss_per_plugin(fx: Fixture, count: int) -> float:
    """KiB of resident memory per idle loaded plugin (hello), over `count` copies."""

    def rss() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    before = rss()
    with tempfile.TemporaryDirectory(dir=fx.workdir) as tmp, Host(data_dir=Path(tmp) / "data") as host:
        _load_copies(host, fx.plugins / "hello", Path(tmp), count)
        return (rss() - before) / count / 1024


def concurrency(fx: Fixture, seconds: float) -> dict[int, float]:
    """Calls per second with 1, 2 and 4 plugins, each on its own thread."""
    out = {}
    with tempfile.TemporaryDirectory(dir=fx.workdir) as tmp, Host(data_dir=Path(tmp) / "data") as host:
        _load_copies(host, fx.plugins / "echo", Path(tmp), 4)
        body = json.dumps(json_payload(PAYLOAD)).encode()
        for threads in (1, 2, 4):
            counts = [0] * threads
            stop = threading.Event()

            def work(i: int, counts: list[int] = counts, stop: threading.Event = stop) -> None:
                while not stop.is_set():
                    host.plugins.call(f"echo{i}", "echo", body)
                    counts[i] += 1

            workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
            for w in workers:
                w.start()
            time.sleep(seconds)
            stop.set()
            for w in workers:
                w.join()
            out[threads] = sum(counts) / seconds
    return out

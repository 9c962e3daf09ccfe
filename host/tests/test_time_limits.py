"""Time accounting: a plugin's per-call time limit counts the guest's own
execution, never the time the host spends serving its requests; one
wall-clock bound covers the whole call (docs/concepts/security.md)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field
from wat import plugin_copy

from spacedrive_host import Context, Host, HostLimits, Registry, Timeout
from spacedrive_host.net import NetPolicy
from spacedrive_host.ops import register_builtin
from spacedrive_host.runtime.deadline import GuestDeadline
from spacedrive_host.wire.registry import Model

# The hostile plugin's manifest: a 500 ms time limit per call.
TIME_LIMIT_S = 0.5


class Nap(Model):
    ms: int = Field(ge=0, le=60_000)


class Slept(Model):
    slept_ms: int


def registry() -> Registry:
    reg = register_builtin(Registry())

    @reg.query("test.sleep")
    def sleep(ctx: Context, nap: Nap) -> Slept:
        """A slow host operation (think OCR, or an HTTP answer that takes its time)."""
        time.sleep(nap.ms / 1000)
        return Slept(slept_ms=nap.ms)

    return reg


def _host(tmp_path: Path, built_plugins: Path, **limits: float) -> Host:
    host = Host(data_dir=tmp_path / "data", registry=registry(), limits=HostLimits(**limits))  # type: ignore[arg-type]
    host.plugins.load(built_plugins / "hostile")
    return host


@pytest.fixture
def host(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with _host(tmp_path, built_plugins) as h:
        yield h


def nap(host: Host, ms: int) -> object:
    call = {"method": "query:test.sleep.v1", "input": {"ms": ms}}
    return host.call_plugin("hostile", "call", call).data()["output"]


def test_a_host_call_longer_than_the_time_limit_succeeds(host: Host) -> None:
    started = time.monotonic()
    assert nap(host, int(TIME_LIMIT_S * 1000 * 2.5)) == {"slept_ms": 1250}
    assert time.monotonic() - started > TIME_LIMIT_S  # the host's time really did pass inside the call
    assert host.plugins.info("hostile").faults == 0


def test_host_calls_adding_up_past_the_limit_succeed(host: Host) -> None:
    # Each under the limit, together past it: only guest time counts, so still fine.
    for _ in range(4):
        assert nap(host, int(TIME_LIMIT_S * 1000 * 0.6)) == {"slept_ms": 300}
    assert host.plugins.info("hostile").faults == 0


def test_a_spinning_guest_still_times_out_after_a_slow_host_call(host: Host) -> None:
    assert nap(host, 700) == {"slept_ms": 700}
    with pytest.raises(
        Timeout, match=r"plugin_handle ran past its 500 ms time limit \(permissions\.call_timeout_ms\)"
    ):
        host.call_plugin("hostile", "spin")
    assert host.plugins.info("hostile").faults == 1
    assert nap(host, 10) == {"slept_ms": 10}  # a fresh instance serves


def test_the_wall_clock_bound_ends_a_call_that_the_host_keeps_busy(
    tmp_path: Path, built_plugins: Path
) -> None:
    with _host(tmp_path, built_plugins, max_call_wall_s=0.3) as host:
        with pytest.raises(Timeout, match=r"ran past the 0.3 s wall-clock bound of one call"):
            nap(host, 600)
        assert host.plugins.info("hostile").faults == 1
        assert nap(host, 0) == {"slept_ms": 0}


class SlowServer:
    """A loopback HTTP server that answers after ``delay_s`` (well inside every proxy bound)."""

    def __init__(self, delay_s: float) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                time.sleep(delay_s)
                body = b"late but fine"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/slow"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_slow_http_answer_through_spacedrive_http_succeeds(tmp_path: Path, built_plugins: Path) -> None:
    server = SlowServer(delay_s=1.0)
    policy = NetPolicy(allow_http=True, allow_loopback=True)
    try:
        with Host(data_dir=tmp_path / "data", net_policy=policy) as host:
            permissions = {"methods": ["http."], "http_hosts": ["127.0.0.1"], "call_timeout_ms": 300}
            host.plugins.load(
                plugin_copy(built_plugins / "echo", tmp_path / "web", id="web", permissions=permissions)
            )
            out = host.call_plugin("web", "fetch", {"method": "GET", "url": server.url})
            assert out.data()["output"]["status"] == 200
            assert out.tail == b"late but fine"
            assert host.plugins.info("web").faults == 0
    finally:
        server.close()


class FakeClock:
    def __init__(self) -> None:
        self.ticks = 0

    @staticmethod
    def deadline_ticks(timeout_ms: int) -> int:
        return timeout_ms // 10


# Steps: ("guest", n) runs the guest for n ticks, ("host", n) serves a host call of n ticks.
steps = st.lists(st.tuples(st.sampled_from(["guest", "host"]), st.integers(0, 40)), max_size=30)
BUDGET = 100  # ticks: FakeClock.deadline_ticks(1000)


def ticks_left(plan: list[tuple[str, int]]) -> int:
    """Guest ticks left before wasmtime would interrupt, after running ``plan``."""
    clock, armed = FakeClock(), []
    deadline = GuestDeadline(lambda n: armed.append(clock.ticks + n), clock, timeout_ms=1000, wall_s=3600)
    deadline.arm()
    for who, ticks in plan:
        started = deadline.host_started() if who == "host" else 0
        clock.ticks += ticks
        if who == "host":
            deadline.host_done(started)
    return armed[-1] - clock.ticks  # wasmtime's deadline is absolute: armed tick + what was set


@given(steps)
def test_host_ticks_never_spend_the_guest_budget(plan: list[tuple[str, int]]) -> None:
    guest = sum(t for who, t in plan if who == "guest")
    if guest < BUDGET:
        assert ticks_left(plan) == BUDGET - guest == ticks_left([s for s in plan if s[0] == "guest"])
    else:
        assert ticks_left(plan) <= 1  # out of budget: interrupted at its next check

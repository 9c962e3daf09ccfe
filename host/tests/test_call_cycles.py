"""Calls between plugins never wait in a circle (issue 12, class 1): A calling
B on one thread while B calls A on another ends in a typed error for one side,
at once, and the other side completes; neither plugin stays stuck."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import JsonValue
from wat import plugin_copy

from spacedrive_host import Context, Host, PluginError, Registry, Unavailable
from spacedrive_host.ops import register_builtin
from spacedrive_host.runtime.callgraph import CallGraph
from spacedrive_host.wire.registry import Model

BARRIER_S = 10.0


class Relay(Model):
    plugin: str
    method: str
    input: JsonValue = None


class Relayed(Model):
    output: JsonValue = None


def registry(barrier: threading.Barrier) -> Registry:
    reg = register_builtin(Registry())

    @reg.action("test.meet_then_call")
    def meet_then_call(ctx: Context, relay: Relay) -> Relayed:
        """Waits until every side holds its own plugin, then calls the other."""
        barrier.wait(BARRIER_S)
        out, _ = ctx.services.plugins.call(relay.plugin, relay.method, b"{}")
        return Relayed(output=out.decode())

    return reg


@pytest.fixture
def barrier() -> threading.Barrier:
    return threading.Barrier(2)


@pytest.fixture
def host(tmp_path: Path, built_plugins: Path, barrier: threading.Barrier) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data", registry=registry(barrier)) as h:
        for pid in ("a", "b"):
            h.plugins.load(plugin_copy(built_plugins / "hostile", tmp_path / pid, id=pid))
        yield h


def call_other(host: Host, me: str, other: str, results: dict[str, Any]) -> None:
    relay = {"method": "action:test.meet_then_call.v1", "input": {"plugin": other, "method": "echo"}}
    try:
        results[me] = host.call_plugin(me, "call", relay).data()["output"]
    except PluginError as exc:
        results[me] = exc


def test_a_call_cycle_across_threads_fails_one_side_and_completes_the_other(host: Host) -> None:
    results: dict[str, Any] = {}
    threads = [
        threading.Thread(target=call_other, args=(host, "a", "b", results)),
        threading.Thread(target=call_other, args=(host, "b", "a", results)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a plugin is stuck"
    errors = [r for r in results.values() if isinstance(r, PluginError)]
    answers = [r for r in results.values() if not isinstance(r, PluginError)]
    assert len(errors) == 1, results
    assert errors[0].code == "unavailable"
    assert errors[0].message in ("call cycle a -> b -> a", "call cycle b -> a -> b"), errors[0].message
    assert answers == [{"output": "{}"}]
    # Neither plugin is stuck or faulted: both answer at once.
    for pid in ("a", "b"):
        assert host.call_plugin(pid, "echo", {"pid": pid}).data()["output"] == {"pid": pid}
        assert host.plugins.info(pid).faults == 0


def test_a_longer_cycle_is_named_whole() -> None:
    graph = CallGraph(wait_s=5)
    locks = {p: threading.Lock() for p in "abc"}
    ready, done = threading.Barrier(3), threading.Event()
    seen: list[str] = []

    def hold_then_want(holds: str, wants: str) -> None:
        with graph.inside(holds, locks[holds]):
            ready.wait(5)
            try:
                with graph.inside(wants, locks[wants]):
                    pass
            except Unavailable as exc:
                seen.append(exc.message)
                done.set()
                return
            done.wait(5)

    threads = [threading.Thread(target=hold_then_want, args=pair) for pair in (("a", "b"), ("b", "c"))]
    for t in threads:
        t.start()
    with graph.inside("c", locks["c"]):
        ready.wait(5)
        # a waits for b, b waits for c (held here): wanting a closes the circle.
        while len(graph._waits) < 2:
            threading.Event().wait(0.01)
        with (
            pytest.raises(Unavailable, match=r": call cycle c -> a -> b -> c \("),
            graph.inside("a", locks["a"]),
        ):
            pass
        done.set()
    for t in threads:
        t.join(10)
    assert seen == []


def test_a_wait_is_bounded() -> None:
    graph = CallGraph(wait_s=0.2)
    lock = threading.Lock()
    lock.acquire()  # held elsewhere, forever
    with pytest.raises(Unavailable, match=r"stayed busy for 0\.2 s"), graph.inside("p", lock):
        pass

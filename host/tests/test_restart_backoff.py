"""A plugin whose restarts keep failing is held in a failed state with backoff
instead of being re-initialised on every call."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from wat import HANDLE_ECHO, module, write_plugin

from spacedrive_host import (
    Context,
    Empty,
    Host,
    HostLimits,
    LoadError,
    PluginStatus,
    Registry,
    TrapError,
    Unavailable,
)
from spacedrive_host.ops import register_builtin
from spacedrive_host.runtime.manager import restart_delay

# plugin_init asks the host's test.gate operation; an error response means "refuse to start".
INIT_ASKS_GATE = """
  (data (i32.const 100) "query:test.gate.v1")
  (data (i32.const 200) "\\02\\00\\00\\00{}")
  (func (export "plugin_init") (result i32)
    (i32.load8_u (i32.add (call $call (i32.const 100) (i32.const 18) (i32.const 0) (i32.const 200) (i32.const 6))
                          (i32.const 4))))
"""
# "trap" traps; anything else echoes.
TRAP_ON_TRAP = HANDLE_ECHO.replace(
    "(local $b i32)", "(local $b i32) (if (i32.eq (local.get $ml) (i32.const 4)) (then unreachable))"
)


class Gate:
    def __init__(self) -> None:
        self.open = True
        self.asked = 0


@pytest.fixture
def gate() -> Gate:
    return Gate()


@pytest.fixture
def host(tmp_path: Path, gate: Gate) -> Iterator[Host]:
    reg = register_builtin(Registry())

    @reg.query("test.gate")
    def ask(ctx: Context, _: Empty) -> Empty:
        gate.asked += 1
        if not gate.open:
            raise Unavailable("gate closed")
        return Empty()

    limits = HostLimits(restart_backoff_s=0.2, restart_backoff_max_s=0.4)
    with Host(data_dir=tmp_path / "data", registry=reg, limits=limits) as h:
        write_plugin(
            tmp_path / "gated",
            module(init=INIT_ASKS_GATE, handle=TRAP_ON_TRAP),
            permissions={"methods": ["test.gate"]},
            provides=[{"name": "run"}, {"name": "trap"}],
        )
        h.plugins.load(tmp_path / "gated")
        yield h


def test_failing_restarts_back_off(host: Host, gate: Gate) -> None:
    assert gate.asked == 1
    with pytest.raises(TrapError):
        host.call_plugin("gated", "trap")
    gate.open = False
    # The restart fails with the reason init gave...
    with pytest.raises(LoadError, match="plugin_init returned 1"):
        host.call_plugin("gated", "run", 1)
    assert gate.asked == 2
    # ...then calls are refused without touching the plugin until the backoff passes.
    for _ in range(20):
        with pytest.raises(Unavailable, match="failed to restart 1 time"):
            host.call_plugin("gated", "run", 1)
    assert gate.asked == 2
    info = host.plugins.info("gated")
    assert info.status is PluginStatus.FAILED
    assert info.error is not None
    assert "plugin_init returned 1" in info.error
    listed = host.execute("query:plugins.list.v1").data()["plugins"]
    assert listed[0]["status"] == "failed"
    # Once the gate opens and the backoff has passed, the plugin recovers.
    gate.open = True
    time.sleep(0.25)
    assert host.call_plugin("gated", "run", 7).data()["output"] == 7
    assert host.plugins.info("gated").status is PluginStatus.READY


def test_backoff_doubles_up_to_the_cap() -> None:
    limits = HostLimits(restart_backoff_s=0.5, restart_backoff_max_s=60)
    assert [restart_delay(n, limits) for n in (1, 2, 3, 4, 8, 20)] == [0.5, 1, 2, 4, 60, 60]


def test_each_failed_attempt_is_counted(host: Host, gate: Gate) -> None:
    with pytest.raises(TrapError):
        host.call_plugin("gated", "trap")
    gate.open = False
    for attempt in (1, 2, 3):
        with pytest.raises(LoadError):
            host.call_plugin("gated", "run", 1)
        info = host.plugins.info("gated")
        assert info.error is not None
        assert f"restart failed {attempt} time(s)" in info.error
        assert info.retry_in_s is not None
        time.sleep(info.retry_in_s + 0.01)
    assert gate.asked == 4

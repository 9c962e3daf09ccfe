"""Hostile plugins, built from test-plugins/ by `nox -s build`: each attack ends in
a typed error naming its cause, while a well-behaved sibling keeps answering."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from pydantic import BaseModel
from wat import plugin_copy

from spacedrive_host import (
    AbiViolation,
    Context,
    Empty,
    Host,
    HostLimits,
    InvalidInput,
    LimitExceeded,
    LoadError,
    NotFound,
    PermissionDenied,
    PluginError,
    Registry,
    Scope,
    Timeout,
    TrapError,
    Unavailable,
)
from spacedrive_host.ops import register_builtin

GRANTED_LIBRARY = "11111111-1111-1111-1111-111111111111"
PAYLOAD_LIMIT = 1 << 20


class LibraryEcho(BaseModel):
    library: str


def registry() -> Registry:
    reg = register_builtin(Registry())

    @reg.query("test.library_echo", scope=Scope.LIBRARY)
    def library_echo(ctx: Context, _: Empty) -> LibraryEcho:
        """Returns the library id it ran against."""
        return LibraryEcho(library=str(ctx.library_id))

    return reg


@pytest.fixture
def host(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    limits = HostLimits(max_payload_bytes=PAYLOAD_LIMIT, log_burst=200, log_lines_per_second=10)
    with Host(data_dir=tmp_path / "data", registry=registry(), limits=limits) as h:
        h.plugins.load(built_plugins / "echo")
        h.plugins.load(built_plugins / "hostile")
        yield h
        # The sibling answers, whatever happened.
        assert h.call_plugin("echo", "echo", {"after": "attack"}).data()["output"] == {"after": "attack"}


def attack(host: Host, method: str, payload: Any = None) -> PluginError:
    with pytest.raises(PluginError) as info:
        host.call_plugin("hostile", method, payload)
    return info.value


def still_serving(host: Host) -> None:
    assert host.call_plugin("hostile", "echo", [1, 2]).data()["output"] == [1, 2]


# (name, method, payload, error class, message pattern)
BAD_REQUESTS = [
    (
        "out-of-bounds pointer",
        "raw_call",
        {"method_ptr": 0xFFFF0000},
        InvalidInput,
        r"method name at \[0xffff0000, \+18\) lies outside guest memory",
    ),
    (
        "ptr + len wraps u32",
        "raw_call",
        {"payload_ptr": 0xFFFFFFF0, "payload_len": 32},
        InvalidInput,
        r"payload at \[0xfffffff0, \+32\) lies outside",
    ),
    (
        "library pointer out of bounds",
        "raw_call",
        {"library_ptr": 0xFFFFFFF8},
        InvalidInput,
        r"library id at \[0xfffffff8, \+16\)",
    ),
    (
        "invalid UTF-8 method",
        "raw_call",
        {"method_bytes": list(b"query:\xff\xfe.echo.v1")},
        InvalidInput,
        "method name is not valid UTF-8",
    ),
    (
        "overlong method",
        "raw_call",
        {"method_bytes": list(b"q" * 300)},
        InvalidInput,
        "method name is 300 bytes; the limit is 256",
    ),
    (
        "oversized payload",
        "oversized_payload",
        {"size": 2 * PAYLOAD_LIMIT},
        LimitExceeded,
        f"payload is {2 * PAYLOAD_LIMIT + 6} bytes; the limit is {PAYLOAD_LIMIT}",
    ),
    (
        "unknown library",
        "call",
        {"method": "query:test.library_echo.v1", "library": str(UUID(int=7))},
        PermissionDenied,
        "may not use library 00000000-0000-0000-0000-000000000007",
    ),
    (
        "re-entering itself",
        "call",
        {"method": "action:plugins.call.v1", "input": {"plugin": "hostile", "method": "echo", "input": 1}},
        Unavailable,
        "re-entrant call into plugin 'hostile'",
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "payload", "cls", "pattern"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS]
)
def test_bad_requests_are_answered_with_typed_errors(
    host: Host, name: str, method: str, payload: Any, cls: type[PluginError], pattern: str
) -> None:
    err = attack(host, method, payload)
    assert type(err) is cls, err
    assert re.search(pattern, err.message), err.message
    assert err.origin == "plugin"  # the guest got an error response and passed it on
    assert host.plugins.info("hostile").faults == 0
    still_serving(host)


SLIPS = [
    ("query:core.echox.v1", PermissionDenied),  # `core.echo` never covers `core.echox`
    ("query:core.ech.v1", PermissionDenied),
    ("query:core.version.v1", PermissionDenied),
    ("query:plugins.list.v1", PermissionDenied),
    ("action:plugins.callx.v1", PermissionDenied),
    ("query:core.echo.v1 ", InvalidInput),
    ("query:core..echo.v1", InvalidInput),
    ("query:core.echo.v1\u0000", InvalidInput),
    ("QUERY:core.echo.v1", InvalidInput),
    ("query:core.echo", InvalidInput),
    # Operation `core.echo.v1`: covered by `core.echo` at a dot boundary, and not registered.
    ("query:core.echo.v1.v1", NotFound),
]


@pytest.mark.parametrize(("method", "cls"), SLIPS, ids=[repr(m) for m, _ in SLIPS])
def test_method_names_cannot_slip_past_the_permission_rule(
    host: Host, method: str, cls: type[PluginError]
) -> None:
    err = attack(host, "call", {"method": method})
    assert type(err) is cls, err


def test_granted_calls_still_work_for_contrast(host: Host) -> None:
    out = host.call_plugin(
        "hostile", "call", {"method": "query:test.library_echo.v1", "library": GRANTED_LIBRARY}
    )
    assert out.data()["output"] == {"library": GRANTED_LIBRARY}
    out = host.call_plugin("hostile", "call", {"method": "query:core.echo.v1", "input": {"value": 3}})
    assert out.data()["output"] == {"value": 3}


def test_rate_limit_answers_rate_limited_and_never_blocks(host: Host) -> None:
    counts = host.call_plugin("hostile", "flood_calls", {"n": 700}).data()["output"]
    assert counts["ok"] >= 600  # the manifest's 600 a minute, as a burst
    assert counts["rate_limited"] >= 1
    assert counts["ok"] + counts["rate_limited"] == 700


FAULTS = [
    ("infinite loop", "spin", None, Timeout, "ran past its 500 ms time limit"),
    ("deep recursion", "recurse", {"depth": 10_000_000}, TrapError, "stack overflow"),
    ("allocation bomb", "alloc_bomb", {"mb": 64}, TrapError, "unreachable executed"),
    ("panic", "panic", None, TrapError, "hostile plugin panicked on purpose"),
]


@pytest.mark.parametrize(("name", "method", "payload", "cls", "pattern"), FAULTS, ids=[c[0] for c in FAULTS])
def test_faults_poison_the_instance_and_the_next_call_gets_a_fresh_one(
    host: Host, name: str, method: str, payload: Any, cls: type[PluginError], pattern: str
) -> None:
    err = attack(host, method, payload)
    assert type(err) is cls, err
    assert pattern in err.message
    assert err.plugin == "hostile"
    assert host.plugins.info("hostile").faults == 1
    still_serving(host)


def test_memory_bomb_is_stopped_inside_the_guest_at_max_memory(host: Host) -> None:
    out = host.call_plugin("hostile", "memory_bomb").data()["output"]
    assert out["pages"] * 65536 == 16 << 20  # max_memory_mb = 16: memory.grow returned -1 there
    assert out["grown_pages"] > 0
    assert host.plugins.info("hostile").faults == 0
    still_serving(host)


def load_hostile_copy(
    host: Host, built: Path, tmp_path: Path, plugin_id: str, *, call_timeout_ms: int
) -> None:
    """Loads the hostile plugin again as ``plugin_id`` with another per-call time limit."""
    permissions = json.loads((built / "hostile" / "manifest.json").read_text())["permissions"]
    permissions = {**permissions, "call_timeout_ms": call_timeout_ms}
    host.plugins.load(
        plugin_copy(built / "hostile", tmp_path / plugin_id, id=plugin_id, permissions=permissions)
    )


def test_log_flood_is_rate_limited_and_counted(host: Host, built_plugins: Path, tmp_path: Path) -> None:
    # A copy with room in its time limit: the subject is the log limit, and 2000 host
    # calls can outlast hostile's 500 ms on a loaded machine (its epochs tick in wall time).
    load_hostile_copy(host, built_plugins, tmp_path, "flood", call_timeout_ms=20_000)
    out = host.call_plugin("flood", "log_flood", {"n": 2000, "size": 10_000}).data()["output"]
    assert out == {"logged": 2000}
    info = host.plugins.info("flood")
    assert 1500 <= info.logs_dropped <= 1800  # burst of 200 passes (plus a trickle of refill)
    assert all(len(r.message) <= 4096 + 40 for r in info.recent_logs)  # each line capped
    still_serving(host)


def test_a_spinning_plugin_does_not_stall_the_others(host: Host, built_plugins: Path, tmp_path: Path) -> None:
    load_hostile_copy(host, built_plugins, tmp_path, "slow", call_timeout_ms=3000)
    outcome: list[BaseException] = []

    def spin() -> None:
        try:
            host.call_plugin("slow", "spin")
        except BaseException as exc:  # handed to the main thread
            outcome.append(exc)

    spinner = threading.Thread(target=spin)
    spinner.start()
    answered = [host.call_plugin("echo", "echo", i).data()["output"] for i in range(50)]
    assert answered == list(range(50))
    assert spinner.is_alive()  # all 50 answers came while "slow" was still spinning
    spinner.join()
    assert len(outcome) == 1
    assert isinstance(outcome[0], Timeout)


WAT_CASES = [
    ("wat-alloc-zero", LimitExceeded, "could not allocate"),
    ("wat-alloc-oob", AbiViolation, "returned 0xffffff00, outside guest memory"),
    ("wat-alloc-overlap", AbiViolation, "overlapping the live request buffer"),
    ("wat-reentrant-alloc", AbiViolation, "re-entrant"),
    ("wat-handle-lies", AbiViolation, "declares 6 bytes but plugin_handle reported 16"),
    ("wat-handle-oob", AbiViolation, "outside memory"),
]


@pytest.mark.parametrize(("plugin", "cls", "pattern"), WAT_CASES, ids=[c[0] for c in WAT_CASES])
def test_protocol_breakers_are_contained(
    host: Host, built_plugins: Path, plugin: str, cls: type[PluginError], pattern: str
) -> None:
    host.plugins.load(built_plugins / plugin)
    with pytest.raises(PluginError) as info:
        host.call_plugin(plugin, "run", {})
    assert type(info.value) is cls, info.value
    assert pattern in info.value.message


LOAD_CASES = [
    ("wat-init-trap", LoadError, "plugin_init trapped: unreachable executed"),
    ("wat-wrong-abi", LoadError, "built for ABI version 2"),
    ("wat-missing-export", LoadError, "does not export `plugin_handle`"),
    ("wat-unexpected-import", LoadError, "imports wasi_snapshot_preview1.fd_write"),
    ("wat-memory-too-big", LimitExceeded, "needs 64 MiB initial memory; permissions.max_memory_mb is 16"),
]


@pytest.mark.parametrize(("plugin", "cls", "pattern"), LOAD_CASES, ids=[c[0] for c in LOAD_CASES])
def test_broken_modules_are_refused_at_load(
    host: Host, built_plugins: Path, plugin: str, cls: type[PluginError], pattern: str
) -> None:
    with pytest.raises(PluginError) as info:
        host.plugins.load(built_plugins / plugin)
    assert type(info.value) is cls, info.value
    assert pattern in info.value.message
    assert info.value.plugin == plugin

"""Every guest (ptr, len) is checked; a bad request gets a typed error response,
a broken protocol discards the instance; the host and other plugins keep serving."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from wat import ALLOC, HANDLE_ECHO, module, relay_handle, write_plugin

from spacedrive_host import (
    AbiViolation,
    Host,
    HostLimits,
    InvalidInput,
    LimitExceeded,
    PluginError,
    Timeout,
    TrapError,
)
from spacedrive_host.runtime.core import CoreInstance

METHOD = b"query:core.version.v1"
# Data: a method at 100, an empty JSON message at 200, bad UTF-8 at 300, a lying message at 400.
DATA = f"""
  (data (i32.const 100) "{METHOD.decode()}")
  (data (i32.const 200) "\\02\\00\\00\\00{{}}")
  (data (i32.const 300) "query:\\ff\\fe.x.v1")
  (data (i32.const 400) "\\ff\\00\\00\\00{{}}")
"""
MEM = 2 * 65536


@pytest.fixture
def sibling_host(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data", limits=HostLimits(max_payload_bytes=4096)) as host:
        host.plugins.load(built_plugins / "echo")
        yield host
        # Whatever the guest did, the sibling still answers.
        assert host.call_plugin("echo", "echo", {"still": "here"}).data()["output"] == {"still": "here"}


def run(
    host: Host, tmp_path: Path, handle: str, *, alloc: str = ALLOC, name: str = "guest"
) -> PluginError | None:
    plugin = write_plugin(
        tmp_path / name,
        module(handle=handle, alloc=alloc, data=DATA),
        provides=[{"name": "run"}, {"name": "trap"}, {"name": "spin"}],
    )
    host.plugins.load(plugin)
    try:
        host.call_plugin(name, "run", {})
    except PluginError as exc:
        return exc
    return None


@pytest.mark.parametrize(
    ("args", "cls", "message"),
    [
        ((MEM - 4, 21, 0, 200, 6), InvalidInput, "method name at .* lies outside guest memory"),
        ((-16, 32, 0, 200, 6), InvalidInput, r"method name at \[0xfffffff0, \+32\) lies outside"),
        ((100, -1, 0, 200, 6), InvalidInput, "method name is 4294967295 bytes"),
        ((300, 15, 0, 200, 6), InvalidInput, "not valid UTF-8"),
        ((100, 21, MEM - 8, 200, 6), InvalidInput, "library id at .* outside guest memory"),
        ((100, 21, -8, 200, 6), InvalidInput, r"library id at \[0xfffffff8"),
        ((100, 21, 0, -16, 32), InvalidInput, r"payload at \[0xfffffff0.* outside guest memory"),
        ((100, 21, 0, 200, MEM), LimitExceeded, "payload is 131072 bytes; the limit is 4096"),
        ((100, 21, 0, 400, 6), InvalidInput, "malformed payload: json_len 255 exceeds"),
        ((100, 21, 0, 200, 3), InvalidInput, "malformed payload: frame truncated"),
    ],
)
def test_bad_requests_get_typed_error_responses(
    sibling_host: Host, tmp_path: Path, args: tuple[int, ...], cls: type[PluginError], message: str
) -> None:
    err = run(sibling_host, tmp_path, relay_handle(*args))
    assert isinstance(err, cls), err
    assert err.origin == "plugin"  # the guest received it as an error response
    assert re.search(message, err.message), err.message
    assert sibling_host.plugins.info("guest").faults == 0  # no protocol break, instance kept


def test_a_good_relay_for_contrast(sibling_host: Host, tmp_path: Path) -> None:
    host = sibling_host
    plugin = write_plugin(
        tmp_path / "guest",
        module(handle=relay_handle(100, 21, 0, 200, 6), data=DATA),
        permissions={"methods": ["core.version"]},
    )
    host.plugins.load(plugin)
    assert host.call_plugin("guest", "run", {}).data()["output"]["abi_version"] == 1


def test_alloc_returning_out_of_bounds_discards_the_instance(sibling_host: Host, tmp_path: Path) -> None:
    # Serves the host's request buffer, then hands out a pointer past the end.
    alloc = ALLOC.replace("(global $heap", "(global $n (mut i32) (i32.const 0)) (global $heap").replace(
        "(local $ptr i32)",
        "(local $ptr i32)"
        " (global.set $n (i32.add (global.get $n) (i32.const 1)))"
        " (if (i32.ge_u (global.get $n) (i32.const 2)) (then (return (i32.const -64))))",
    )
    err = run(sibling_host, tmp_path, relay_handle(100, 21, 0, 200, 6), alloc=alloc)
    assert isinstance(err, AbiViolation), err
    assert "wasm_alloc(" in err.message
    assert "0xffffffc0" in err.message
    assert sibling_host.plugins.info("guest").faults == 1


def test_alloc_returning_zero_is_a_limit(sibling_host: Host, tmp_path: Path) -> None:
    alloc = '(func $alloc (export "wasm_alloc") (param i32) (result i32) (i32.const 0)) (func (export "wasm_free") (param i32 i32))'
    err = run(sibling_host, tmp_path, HANDLE_ECHO, alloc=alloc)
    assert isinstance(err, LimitExceeded)
    assert "could not allocate" in err.message


def test_reentrant_call_from_wasm_alloc(sibling_host: Host, tmp_path: Path) -> None:
    alloc = ALLOC.replace(
        "(local $ptr i32)",
        "(local $ptr i32) (drop (call $call (i32.const 100) (i32.const 21) (i32.const 0) (i32.const 200) (i32.const 6)))",
    )
    err = run(sibling_host, tmp_path, relay_handle(100, 21, 0, 200, 6), alloc=alloc)
    assert isinstance(err, AbiViolation)
    assert "re-entrant" in err.message


def _returning(packed: str, setup: str = "") -> str:
    return f"""(func (export "plugin_handle") (param i32 i32 i32 i32) (result i64) {setup} {packed})"""


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        # A block at 1024 whose header says 6 body bytes, while the packed size says 20.
        (
            _returning("(i64.const 0x0000040000000014)", "(i32.store (i32.const 1024) (i32.const 6))"),
            "declares 6 bytes but plugin_handle reported 16",
        ),
        # A block that starts past the end of memory.
        (_returning("(i64.const 0xfffffff000000010)"), "outside memory"),
        # A block that starts inside memory but whose body runs past its end.
        (
            _returning("(i64.const 0x0001fffc00000100)", "(i32.store (i32.const 0x1fffc) (i32.const 0xfc))"),
            "outside memory",
        ),
        # Status byte 9.
        (
            _returning(
                "(i64.const 0x000004000000000a)",
                "(i32.store (i32.const 1024) (i32.const 6)) (i32.store8 (i32.const 1028) (i32.const 9))",
            ),
            "unknown response status 9",
        ),
        # An error response whose JSON is not {code, message}.
        (
            _returning(
                "(i64.const 0x000004000000000b)",
                "(i32.store (i32.const 1024) (i32.const 7)) (i32.store8 (i32.const 1028) (i32.const 1))"
                "(i32.store (i32.const 1029) (i32.const 2)) (i32.store16 (i32.const 1033) (i32.const 0x5d5b))",
            ),
            "error response is not",
        ),
    ],
)
def test_lying_response_blocks_are_abi_violations(
    sibling_host: Host, tmp_path: Path, handle: str, message: str
) -> None:
    err = run(sibling_host, tmp_path, handle)
    assert isinstance(err, AbiViolation), err
    assert message in err.message
    assert sibling_host.plugins.info("guest").faults == 1


def test_response_larger_than_the_payload_limit(sibling_host: Host, tmp_path: Path) -> None:
    handle = _returning("(i64.const 0x0000040000002004)", "(i32.store (i32.const 1024) (i32.const 0x2000))")
    err = run(sibling_host, tmp_path, handle)
    assert isinstance(err, LimitExceeded)
    assert "the limit is 4096" in err.message


TRAP_OR_ECHO = HANDLE_ECHO.replace(
    "(local $b i32)",
    "(local $b i32)\n"
    "(if (i32.eq (local.get $ml) (i32.const 4)) (then (if (i32.eq (i32.load8_u (local.get $mp)) (i32.const 115)) (then (loop $l (br $l)))) (unreachable)))",
)


def test_trap_discards_the_instance_and_the_next_call_gets_a_fresh_one(
    sibling_host: Host, tmp_path: Path
) -> None:
    host = sibling_host
    write_plugin(
        tmp_path / "guest",
        module(handle=TRAP_OR_ECHO),
        provides=[{"name": "run"}, {"name": "trap"}, {"name": "spin"}],
        permissions={"call_timeout_ms": 100},
    )
    host.plugins.load(tmp_path / "guest")
    with pytest.raises(TrapError, match="plugin_handle trapped"):
        host.call_plugin("guest", "trap", {})
    assert host.call_plugin("guest", "run", [1]).data()["output"] == [1]
    with pytest.raises(Timeout, match="ran past its 100 ms time limit"):
        host.call_plugin("guest", "spin", {})
    assert host.call_plugin("guest", "run", [2]).data()["output"] == [2]
    assert host.plugins.info("guest").faults == 2


@pytest.mark.parametrize("size", [64, 64 << 10])  # a small and a large message
def test_messages_are_read_checked(sibling_host: Host, size: int) -> None:
    from spacedrive_host.runtime.abi import FrameError, encode_message
    from spacedrive_host.runtime.memory import OutOfBounds

    inst = sibling_host.plugins.instance("echo")
    assert isinstance(inst, CoreInstance)
    ptr = inst.guest_alloc(size + 16)
    tail = bytes(range(256)) * (size // 256)
    message = encode_message(b'{"k":1}', tail[: size - 11])
    inst.write_memory(ptr, message)
    view = inst._memory.view(inst._ctx)
    assert view.read_message(ptr, len(message), what="m", limit=1 << 20) == (b'{"k":1}', tail[: size - 11])
    inst.write_memory(ptr, (len(message)).to_bytes(4, "little"))  # json_len past the end
    with pytest.raises(FrameError, match="json_len"):
        view.read_message(ptr, len(message), what="m", limit=1 << 20)
    with pytest.raises(FrameError, match="truncated"):
        view.read_message(ptr, 3, what="m", limit=1 << 20)
    with pytest.raises(OutOfBounds):
        view.read_message(view.size - 8, 16, what="m", limit=1 << 20)
    with pytest.raises(LimitExceeded):
        view.read_message(ptr, len(message), what="m", limit=len(message) - 1)
    inst.guest_free(ptr, size + 16)


def test_alloc_trapping_inside_a_host_call_discards_the_instance(sibling_host: Host, tmp_path: Path) -> None:
    # Serves the host's request buffer, then traps when asked for the response block.
    alloc = ALLOC.replace("(global $heap", "(global $n (mut i32) (i32.const 0)) (global $heap").replace(
        "(local $ptr i32)",
        "(local $ptr i32)"
        " (global.set $n (i32.add (global.get $n) (i32.const 1)))"
        " (if (i32.ge_u (global.get $n) (i32.const 2)) (then (unreachable)))",
    )
    err = run(sibling_host, tmp_path, relay_handle(100, 21, 0, 200, 6), alloc=alloc)
    assert isinstance(err, TrapError), err
    assert err.message.startswith("wasm_alloc trapped: unreachable executed"), err.message
    assert sibling_host.plugins.info("guest").faults == 1

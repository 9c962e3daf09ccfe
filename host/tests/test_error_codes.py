"""Wrong inputs and wrong answers get the right error code, never `internal`
(issue 12, classes 7 and 5): number inputs have documented ranges, a guest's
malformed error response is an `abi_violation` that discards its instance, and
a plugin's output that is not JSON is the callee's error, not its caller's fault."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wat import module, write_plugin

from spacedrive_host import AbiViolation, Host, InvalidInput, LimitExceeded, NotFound, PluginError, Registry
from spacedrive_host.ops import register_builtin
from spacedrive_host.wire.registry import MAX_SAFE_INT, unbounded_numbers

DATA_AT = 1024  # below the test allocator's heap (64 KiB)


def test_every_integer_an_operation_takes_has_a_range() -> None:
    unbounded = {op.method: unbounded_numbers(op.input) for op in register_builtin(Registry())}
    assert {m: f for m, f in unbounded.items() if f} == {}


@pytest.fixture(scope="module")
def lib_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Host, UUID]]:
    root = tmp_path_factory.mktemp("lib")
    (root / "a.txt").write_bytes(b"hello")
    with Host(data_dir=tmp_path_factory.mktemp("data")) as host:
        lib = host.library.create("l", root)
        host.library.index(lib.id)
        yield host, lib.id


HUGE = ["9223372036854775808", "18446744073709551616", "1e20", "-1", "1e400", str(MAX_SAFE_INT + 1)]


@given(st.sampled_from(HUGE), st.sampled_from(["offset", "length"]))
def test_huge_offsets_and_lengths_are_invalid_input(
    lib_host: tuple[Host, UUID], number: str, field: str
) -> None:
    host, lib = lib_host
    payload = f'{{"path": "a.txt", "{field}": {number}}}'
    with pytest.raises(InvalidInput, match=field):
        host.execute("query:vdfs.files.read.v1", payload, library_id=lib)
    with pytest.raises(InvalidInput, match="offset"):
        host.execute("query:vdfs.entries.list.v1", f'{{"offset": {number}}}', library_id=lib)


@given(st.integers(0, MAX_SAFE_INT), st.none() | st.integers(0, MAX_SAFE_INT))
def test_offsets_in_range_are_served_or_refused_by_name(
    lib_host: tuple[Host, UUID], offset: int, length: int | None
) -> None:
    host, lib = lib_host
    request = {"path": "a.txt", "offset": offset, "length": length}
    if offset > 5 or (length or 0) > host.limits.max_payload_bytes:
        # Past the end, or more than a response holds: refused, by name.
        with pytest.raises((InvalidInput, LimitExceeded)):
            host.execute("query:vdfs.files.read.v1", request, library_id=lib)
        return
    out = host.execute("query:vdfs.files.read.v1", request, library_id=lib)
    assert out.tail == b"hello"[offset:][:length]


def _block(status: int, body: bytes) -> bytes:
    return (5 + len(body)).to_bytes(4, "little") + bytes([status]) + len(body).to_bytes(4, "little") + body


def _answering(directory: Path, status: int, body: bytes) -> Path:
    """A guest whose plugin_handle answers with this response block, whatever it is asked."""
    block = _block(status, body)
    escaped = "".join(f"\\{b:02x}" for b in block)
    handle = (
        '(func (export "plugin_handle") (param i32 i32 i32 i32) (result i64)'
        f" (i64.const {(DATA_AT << 32) | len(block)}))"
    )
    wasm = module(handle=handle, data=f'(data (i32.const {DATA_AT}) "{escaped}")')
    return write_plugin(directory, wasm, provides=[{"name": "run"}])


@pytest.fixture
def host(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data") as h:
        h.plugins.load(built_plugins / "hostile")
        yield h


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 20000 + b"]" * 20000,  # deeper than any recursion limit
        b'{"code": ' * 5000 + b"1" + b"}" * 5000,
        b'{"code": "internal", "message": 7}',
        b'["internal", "boom"]',
        b'{"code": "internal"',
        b'"\\ud800"',
    ],
    ids=["deep-array", "deep-object", "message-not-str", "not-an-object", "truncated", "lone-surrogate"],
)
def test_a_malformed_error_response_is_an_abi_violation(host: Host, tmp_path: Path, body: bytes) -> None:
    host.plugins.load(_answering(tmp_path / "guest", 1, body))
    with pytest.raises(AbiViolation, match="error response is not"):
        host.plugins.call("guest", "run", b"{}")
    assert host.plugins.info("guest").faults == 1  # discarded, like every protocol fault


@pytest.mark.parametrize(
    "body",
    [b'"\\ud800"', b'{"k": "\\udc00x"}', b"[" * 20000 + b"]" * 20000, b"{"],
    ids=["lone-high", "lone-low", "deep", "broken"],
)
def test_output_that_is_not_json_is_the_callees_error(host: Host, tmp_path: Path, body: bytes) -> None:
    host.plugins.load(_answering(tmp_path / "guest", 0, body))
    with pytest.raises(AbiViolation, match="'guest' answered with invalid JSON") as info:
        host.call_plugin("guest", "run", {})
    assert info.value.plugin == "guest"
    # A plugin calling it gets that error as an answer; its own instance is not at fault.
    hostile = dict(host.plugins.get("hostile").manifest.permissions.model_dump())
    assert "plugins.call" in hostile["methods"]
    call = {"method": "action:plugins.call.v1", "input": {"plugin": "guest", "method": "run", "input": None}}
    with pytest.raises(PluginError) as relayed:
        host.call_plugin("hostile", "call", call)
    assert relayed.value.code == "abi_violation", relayed.value
    assert host.plugins.info("hostile").faults == 0
    assert host.call_plugin("hostile", "echo", {"still": "here"}).data()["output"] == {"still": "here"}


def test_a_guest_error_response_keeps_its_code(host: Host, tmp_path: Path) -> None:
    body = json.dumps({"code": "not_found", "message": "no such thing"}).encode()
    host.plugins.load(_answering(tmp_path / "guest", 1, body))
    with pytest.raises(NotFound, match="no such thing"):
        host.plugins.call("guest", "run", b"{}")
    assert host.plugins.info("guest").faults == 0

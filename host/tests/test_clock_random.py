"""Clock and randomness: host functions a wasm32-unknown-unknown guest needs, as
the SDK exposes them (`spacedrive_sdk::time`, `spacedrive_sdk::random`)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from spacedrive_host import Host


def probe(host: Host, length: int) -> tuple[dict[str, int], bytes]:
    out = host.call_plugin("abi-probe", "clock_random", {"len": length})
    return out.data()["output"], out.tail


def test_clocks_come_from_the_host(host: Host, built_plugins: Path) -> None:
    host.plugins.load(built_plugins / "abi-probe")
    before = time.time_ns()
    first, _ = probe(host, 0)
    after = time.time_ns()
    assert before <= first["now_ns"] <= after  # the host's own wall clock, read during the call
    second, _ = probe(host, 0)
    assert second["monotonic_ns"] >= first["monotonic_ns"]


@pytest.mark.parametrize("length", [1, 32, 65536, 65536 * 2 + 7])
def test_random_bytes_fill_the_buffer(host: Host, built_plugins: Path, length: int) -> None:
    host.plugins.load(built_plugins / "abi-probe")
    _, a = probe(host, length)
    _, b = probe(host, length)
    assert len(a) == len(b) == length
    if length >= 32:
        assert a != b  # 2^-256 odds of a false failure
        assert len(set(a)) > 1


@pytest.mark.parametrize(
    ("ptr", "length"),
    [(0xFFFFFFF0, 32), (0, 0x10001), (0xFFFF0000, 16)],
)
def test_random_into_bad_ranges_is_refused(host: Host, built_plugins: Path, ptr: int, length: int) -> None:
    host.plugins.load(built_plugins / "hostile")
    host.plugins.load(built_plugins / "echo")
    out = host.call_plugin("hostile", "random_into", {"ptr": ptr, "len": length}).data()["output"]
    assert out == {"status": 1}
    assert host.plugins.info("hostile").faults == 0
    assert host.call_plugin("echo", "echo", "fine").data()["output"] == "fine"

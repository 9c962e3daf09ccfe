"""The generated Python guest client against a real host's wire."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_type_hints
from uuid import UUID

import pytest
from spacedrive_guest import HostError, ops, set_transport

from spacedrive_host import Host, PluginError


@pytest.fixture
def wired(host: Host, built_plugins: Path) -> Iterator[Host]:
    host.plugins.load(built_plugins / "echo")

    def transport(method: str, library: str | None, payload: bytes, tail: bytes) -> tuple[bytes, bytes]:
        try:
            out = host.execute(method, payload, library_id=UUID(library) if library else None, tail=tail)
        except PluginError as err:
            raise HostError(err.code.value, err.message) from None
        return out.json(), out.tail

    set_transport(transport)
    yield host
    set_transport(None)


def required_keys(typed_dict: Any) -> set[str]:
    return set(typed_dict.__required_keys__)


def test_results_have_the_generated_shapes(wired: Host) -> None:
    version = ops.core_version()
    assert set(version) == set(get_type_hints(ops.VersionInfo))
    assert version["abi_version"] == 1
    listed = ops.plugins_list()
    assert [p["id"] for p in listed["plugins"]] == ["echo"]
    assert required_keys(ops.PluginSummary) <= set(listed["plugins"][0])
    details = ops.plugins_info({"id": "echo"})
    assert details["status"] == "ready"
    assert set(details) == set(get_type_hints(ops.PluginDetails))


def test_tails_travel_both_ways(wired: Host) -> None:
    assert ops.core_echo({"value": [1, "two"]}, b"\x00\xff") == ({"value": [1, "two"]}, b"\x00\xff")
    out, tail = ops.plugins_call({"plugin": "echo", "method": "echo", "input": {"k": 1}}, b"raw")
    assert out == {"output": {"k": 1}}
    assert tail == b"raw"


def test_errors_arrive_with_their_code(wired: Host) -> None:
    with pytest.raises(HostError) as info:
        ops.plugins_info({"id": "missing"})
    assert info.value.code == "not_found"


def test_without_a_transport_calls_fail_clearly() -> None:
    set_transport(None)
    with pytest.raises(HostError, match="no host transport"):
        ops.core_version()

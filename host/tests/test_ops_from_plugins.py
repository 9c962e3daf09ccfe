"""The library, sidecar and job operations called from inside a real wasm plugin
(a copy of `echo`, whose `relay` makes any host call), with the plugin-side
rules: no library paths, own namespaces, own jobs only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from wat import plugin_copy

from spacedrive_host import Host, NotFound, PermissionDenied


@pytest.fixture
def agent(tmp_path: Path, built_plugins: Path) -> Iterator[tuple[Host, str]]:
    root = tmp_path / "files"
    root.mkdir()
    (root / "a.txt").write_text("alpha")
    with Host(data_dir=tmp_path / "host") as host:
        lib = host.execute("action:libraries.create.v1", {"name": "files", "root": str(root)}).data()["id"]
        permissions = {"methods": ["libraries.", "vdfs.", "jobs."], "libraries": ["*"]}
        host.plugins.load(
            plugin_copy(built_plugins / "echo", tmp_path / "agent", id="agent", permissions=permissions)
        )
        host.plugins.load(built_plugins / "counter")
        yield host, lib


def relay(host: Host, method: str, input: Any = None, library: str | None = None, tail: bytes = b"") -> Any:
    payload = {"method": method, "input": input or {}, "library": library}
    out = host.call_plugin("agent", "relay", payload, tail=tail)
    return out.data()["output"], out.tail


def test_libraries_from_a_plugin(agent: tuple[Host, str]) -> None:
    host, lib = agent
    listed, _ = relay(host, "query:libraries.list.v1")
    assert listed["libraries"] == [
        {"id": lib, "name": "files", "root": None, "created_ns": listed["libraries"][0]["created_ns"]}
    ]
    report, _ = relay(host, "action:libraries.index.v1", library=lib)
    assert report["added"] == 1
    with pytest.raises(PermissionDenied, match="created by the user"):
        relay(host, "action:libraries.create.v1", {"name": "all", "root": "/"})


def test_entries_and_sidecars_from_a_plugin(agent: tuple[Host, str]) -> None:
    host, lib = agent
    relay(host, "action:libraries.index.v1", library=lib)
    entry, _ = relay(host, "query:vdfs.entries.get.v1", {"path": "a.txt"}, library=lib)
    h = entry["content_hash"]
    written, _ = relay(host, "action:vdfs.sidecars.write.v1", {"content_hash": h, "kind": "note"}, lib, b"n1")
    assert written["size"] == 2
    listed, _ = relay(host, "query:vdfs.sidecars.list.v1", {"content_hash": h}, library=lib)
    assert [s["kind"] for s in listed["sidecars"]] == ["note"]
    _, data = relay(host, "query:vdfs.sidecars.read.v1", {"content_hash": h, "kind": "note"}, library=lib)
    assert data == b"n1"
    gone, _ = relay(host, "action:vdfs.sidecars.delete.v1", {"content_hash": h, "kind": "note"}, library=lib)
    assert gone == {"deleted": True}
    with pytest.raises(NotFound, match="no library"):
        relay(host, "query:vdfs.entries.list.v1", library=str(UUID(int=1)))


def test_jobs_from_a_plugin_are_its_own(agent: tuple[Host, str]) -> None:
    host, _ = agent
    job = host.execute(
        "action:jobs.start.v1", {"job": "sum_squares", "input": {"n": 10, "chunk": 5}, "plugin": "counter"}
    )
    job_id = job.data()["id"]
    host.jobs.wait(job_id, timeout=30)
    assert relay(host, "query:jobs.list.v1")[0] == {"jobs": []}
    with pytest.raises(NotFound, match="no job"):
        relay(host, "query:jobs.status.v1", {"id": job_id})
    for action in ("cancel", "pause", "resume"):
        with pytest.raises(NotFound, match="no job"):
            relay(host, f"action:jobs.{action}.v1", {"id": job_id})
    with pytest.raises(PermissionDenied, match="cannot use the jobs of 'counter'"):
        relay(host, "action:jobs.start.v1", {"job": "sum_squares", "plugin": "counter"})
    with pytest.raises(NotFound, match="declares no job"):
        relay(host, "action:jobs.start.v1", {"job": "sum_squares"})

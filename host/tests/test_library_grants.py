"""Portable library access: a manifest asks for `"granted"` libraries, the operator
grants them by name or id (CLI, stored in the data directory), and the library a
call is made for reaches the plugin (`Call::library`) on every call path."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from test_cli import spacedrive

from spacedrive_host import Host, ManifestError, PluginError
from spacedrive_host.cli.exit_codes import exit_code
from spacedrive_host.errors import ErrorCode
from spacedrive_host.manifest import parse_manifest
from spacedrive_host.wire.caller import Caller


def make_library(host: Host, tmp_path: Path, name: str, files: int) -> UUID:
    root = tmp_path / f"root-{name}-{files}"
    root.mkdir()
    for i in range(files):
        (root / f"f{i}.txt").write_text(f"file {i}")
    lib = host.library.create(name, root)
    host.library.index(lib.id)
    return lib.id


@pytest.fixture
def notes(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data") as host:
        host.plugins.load(built_plugins / "notes")
        yield host


def library_call(host: Host, library: UUID | None) -> Any:
    return host.call_plugin("notes", "library", None, library_id=library).data()["output"]


def test_a_plugin_reaches_a_library_only_when_asked_and_granted(notes: Host, tmp_path: Path) -> None:
    lib = make_library(notes, tmp_path, "photos", 3)
    with pytest.raises(PluginError) as err:
        library_call(notes, lib)
    assert err.value.code == ErrorCode.PERMISSION_DENIED
    assert "'notes'" in err.value.message
    assert str(lib) in err.value.message
    assert "spacedrive plugin grant notes --library" in err.value.message

    granted = notes.execute("action:libraries.grant.v1", {"plugin": "notes", "library": "photos"}).data()
    assert granted["changed"]
    assert granted["library"]["id"] == str(lib)
    assert library_call(notes, lib) == {"library": str(lib), "entries": 3}
    assert library_call(notes, None) == {"library": None, "entries": None}

    notes.execute("action:libraries.revoke.v1", {"plugin": "notes", "library": str(lib)})
    with pytest.raises(PluginError) as err:
        library_call(notes, lib)
    assert err.value.code == ErrorCode.PERMISSION_DENIED


def test_a_grant_is_for_one_library_and_one_plugin(notes: Host, tmp_path: Path) -> None:
    mine = make_library(notes, tmp_path, "mine", 1)
    other = make_library(notes, tmp_path, "other", 2)
    notes.execute("action:libraries.grant.v1", {"plugin": "notes", "library": "mine"})
    notes.execute("action:libraries.grant.v1", {"plugin": "someone", "library": "other"})
    assert library_call(notes, mine)["entries"] == 1
    with pytest.raises(PluginError) as err:
        library_call(notes, other)
    assert err.value.code == ErrorCode.PERMISSION_DENIED
    assert str(other) in err.value.message
    listed = notes.execute("query:libraries.grants.v1", {"plugin": "notes"}).data()["grants"]
    assert [(g["plugin"], g["library"]["name"]) for g in listed] == [("notes", "mine")]


def test_names_that_several_libraries_share_need_an_id(notes: Host, tmp_path: Path) -> None:
    a = make_library(notes, tmp_path, "twin", 1)
    b = make_library(notes, tmp_path, "twin", 2)
    with pytest.raises(PluginError) as err:
        notes.execute("action:libraries.grant.v1", {"plugin": "notes", "library": "twin"})
    assert err.value.code == ErrorCode.INVALID_INPUT
    assert str(a) in err.value.message
    assert str(b) in err.value.message
    with pytest.raises(PluginError) as err:
        notes.execute("action:libraries.grant.v1", {"plugin": "notes", "library": "nowhere"})
    assert err.value.code == ErrorCode.NOT_FOUND
    assert "nowhere" in err.value.message


def test_plugins_cannot_grant(notes: Host, tmp_path: Path) -> None:
    make_library(notes, tmp_path, "l", 1)
    caller = Caller.plugin(notes.plugins.info("notes").manifest)  # type: ignore[arg-type]
    for method in ("action:libraries.grant.v1", "action:libraries.revoke.v1"):
        with pytest.raises(PluginError) as err:
            notes.execute(method, {"plugin": "notes", "library": "l"}, caller=caller)
        assert err.value.code == ErrorCode.PERMISSION_DENIED


def test_the_caller_of_a_plugin_needs_the_library_too(notes: Host, tmp_path: Path) -> None:
    lib = make_library(notes, tmp_path, "l", 1)
    notes.execute("action:libraries.grant.v1", {"plugin": "notes", "library": "l"})
    relay = parse_manifest(
        {
            "id": "relay",
            "name": "r",
            "version": "1.0.0",
            "wasm_file": "r.wasm",
            "permissions": {"methods": ["plugins.call"], "libraries": ["granted"]},
        }
    )
    payload = {"plugin": "notes", "method": "library", "library": str(lib)}
    with pytest.raises(PluginError) as err:
        notes.execute("action:plugins.call.v1", payload, caller=Caller.plugin(relay))
    assert err.value.code == ErrorCode.PERMISSION_DENIED
    assert "'relay'" in err.value.message
    notes.execute("action:libraries.grant.v1", {"plugin": "relay", "library": "l"})
    out = notes.execute("action:plugins.call.v1", payload, caller=Caller.plugin(relay)).data()
    assert out["output"] == {"library": str(lib), "entries": 1}


def test_manifest_library_forms(tmp_path: Path) -> None:
    base = {"id": "m", "name": "m", "version": "1.0.0", "wasm_file": "m.wasm"}
    lib = "550e8400-e29b-41d4-a716-446655440000"
    for libraries in (["*"], ["granted"], [lib.upper()], ["granted", lib]):
        parsed = parse_manifest({**base, "permissions": {"libraries": libraries}})
        assert parsed.permissions.libraries == tuple(x.lower() for x in libraries)
    with pytest.raises(ManifestError) as err:
        parse_manifest({**base, "permissions": {"libraries": ["photos"]}})
    assert "permissions.libraries" in err.value.message
    assert '"granted"' in err.value.message


def test_star_and_uuid_lists_keep_their_meaning(tmp_path: Path, built_plugins: Path) -> None:
    # librarian's manifest says `"libraries": ["*"]`: no grant needed.
    with Host(data_dir=tmp_path / "data") as host:
        host.plugins.load(built_plugins / "librarian")
        lib = make_library(host, tmp_path, "any", 2)
        out = host.call_plugin("librarian", "summarize", {"library": str(lib)}).data()["output"]
        assert out["files"] == 2
        listed = parse_manifest(
            {
                "id": "listed",
                "name": "l",
                "version": "1.0.0",
                "wasm_file": "l.wasm",
                "permissions": {"methods": ["vdfs."], "libraries": [str(lib)]},
            }
        )
        page = host.execute("query:vdfs.entries.list.v1", library_id=lib, caller=Caller.plugin(listed))
        assert page.data()["total"] == 2
        other = make_library(host, tmp_path, "other", 1)
        host.execute("action:libraries.grant.v1", {"plugin": "listed", "library": "other"})
        with pytest.raises(PluginError) as err:  # a grant does not widen a UUID list
            host.execute("query:vdfs.entries.list.v1", library_id=other, caller=Caller.plugin(listed))
        assert err.value.code == ErrorCode.PERMISSION_DENIED
        assert "does not list it" in err.value.message


def test_cli_grant_call_with_library_and_revoke(tmp_path: Path, built_plugins: Path) -> None:
    data = tmp_path / "data"
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.txt").write_text("a")
    assert spacedrive(data, "library", "create", "docs", str(root)).returncode == 0
    with Host(data_dir=data) as host:
        lib = host.library.find("docs")
        host.library.index(lib.id)
    notes = str(built_plugins / "notes")

    res = spacedrive(data, "plugin", "call", notes, "library", "--library", "docs")
    assert res.returncode == exit_code(ErrorCode.PERMISSION_DENIED)
    assert "error[permission_denied]" in res.stderr
    assert "notes" in res.stderr

    res = spacedrive(data, "plugin", "grant", "notes", "--library", "docs")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["library"]["id"] == str(lib.id)
    res = spacedrive(data, "plugin", "grants")
    assert [g["library"]["name"] for g in json.loads(res.stdout)["grants"]] == ["docs"]

    for ref in ("docs", str(lib.id)):
        res = spacedrive(data, "plugin", "call", notes, "library", "--library", ref)
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout) == {"library": str(lib.id), "entries": 1}
    res = spacedrive(data, "plugin", "call", notes, "library", "--library", "nope")
    assert res.returncode == exit_code(ErrorCode.NOT_FOUND)
    assert "error[not_found]" in res.stderr

    assert spacedrive(data, "plugin", "revoke", "notes", "--library", "docs").returncode == 0
    res = spacedrive(data, "plugin", "call", notes, "library", "--library", "docs")
    assert res.returncode == exit_code(ErrorCode.PERMISSION_DENIED)
    assert "error[permission_denied]" in res.stderr


# SPACEDRIVE_FASTCALL: the C trampoline, the ctypes path alone, the public API (as test_fastcall).
PATHS = ("1", "ctypes", "0")


def test_every_call_path_hands_the_library_to_the_plugin(tmp_path: Path, built_plugins: Path) -> None:
    outcomes, names = {}, {}
    for path in PATHS:
        os.environ["SPACEDRIVE_FASTCALL"] = path
        try:
            host = Host(data_dir=tmp_path / path)
        finally:
            os.environ.pop("SPACEDRIVE_FASTCALL")
        with host:
            host.plugins.load(built_plugins / "notes")
            names[path] = host.plugins.call_path.name
            lib = make_library(host, tmp_path / path, "l", 2)
            host.grants.grant("notes", "l")
            answer = library_call(host, lib)
            outcomes[path] = (answer["library"] == str(lib), answer["entries"], library_call(host, None))
    assert names == {"1": "trampoline", "ctypes": "ctypes", "0": "public"}
    assert list(outcomes.values()) == [(True, 2, {"library": None, "entries": None})] * len(PATHS)


def test_a_plugin_lists_only_the_libraries_it_may_use(tmp_path: Path) -> None:
    # Names and ids of other libraries are the user's business, not a plugin's.
    with Host(data_dir=tmp_path / "data") as host:
        mine = make_library(host, tmp_path, "mine", 1)
        make_library(host, tmp_path, "theirs", 1)
        granted = make_library(host, tmp_path, "shared", 1)

        def listed_by(libraries: list[str]) -> set[str]:
            manifest = parse_manifest(
                {
                    "id": "lister",
                    "name": "l",
                    "version": "1.0.0",
                    "wasm_file": "l.wasm",
                    "permissions": {"methods": ["libraries.list"], "libraries": libraries},
                }
            )
            out = host.execute("query:libraries.list.v1", caller=Caller.plugin(manifest)).data()
            return {lib["name"] for lib in out["libraries"]}

        assert listed_by([]) == set()
        assert listed_by([str(mine)]) == {"mine"}
        assert listed_by(["granted"]) == set()
        host.execute("action:libraries.grant.v1", {"plugin": "lister", "library": str(granted)})
        assert listed_by(["granted"]) == {"shared"}
        assert listed_by(["*"]) == {"mine", "theirs", "shared"}
        trusted = host.execute("query:libraries.list.v1").data()["libraries"]
        assert len(trusted) == 3

"""The author kit's pieces that need no cargo run: `plugin check` against a load,
the static ABI read, the scaffold's refusals, the SDK packaging, the docs' snippets
against the templates, and the pytest fixtures on a built plugin."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from components import component_cache, seed_cache

from spacedrive_host import (
    Host,
    InvalidInput,
    LimitExceeded,
    LoadError,
    ManifestError,
    NotFound,
    PluginError,
    Timeout,
)
from spacedrive_host.authoring import templates
from spacedrive_host.authoring.build import build_plugin
from spacedrive_host.authoring.check import check_plugin
from spacedrive_host.authoring.project import is_plugin_source, is_python_plugin
from spacedrive_host.authoring.python_methods import mismatches, registered
from spacedrive_host.authoring.scaffold import new_plugin
from spacedrive_host.authoring.sdk_registry import package_sdk
from spacedrive_host.authoring.wasm_static import constant_export
from spacedrive_host.data_dir import DataDir
from spacedrive_host.manifest import read_manifest
from spacedrive_host.runtime.wasm_binary import initial_memory_bytes
from spacedrive_host.testing import Library, PluginUnderTest

REPO = Path(__file__).resolve().parents[2]
REFUSED = ("wat-missing-export", "wat-unexpected-import", "wat-wrong-abi")


@pytest.mark.parametrize("plugin", REFUSED)
def test_check_refuses_with_the_message_of_a_load(plugin: str, built_plugins: Path, host: Host) -> None:
    with pytest.raises(LoadError) as by_load:
        host.plugins.load(built_plugins / plugin)
    with pytest.raises(LoadError) as by_check:
        check_plugin(built_plugins / plugin)
    assert by_check.value.message == by_load.value.message
    assert by_check.value.plugin == plugin


def test_check_accepts_a_built_plugin_without_running_it(built_plugins: Path) -> None:
    report = check_plugin(built_plugins / "hello")
    assert report.abi_version == 1
    assert "spacedrive.spacedrive_call" in report.imports
    assert {"plugin_init", "plugin_handle", "memory"} <= set(report.exports)


def test_the_abi_version_is_read_statically(built_plugins: Path) -> None:
    wasm = (built_plugins / "wat-wrong-abi" / "plugin.wasm").read_bytes()
    assert constant_export(wasm, "spacedrive_abi_version") == 2
    assert constant_export(wasm, "no_such_export") is None
    assert constant_export(b"\0asm\1\0\0\0\x07", "x") is None  # a truncated section


def test_a_bad_manifest_is_named(built_plugins: Path, tmp_path: Path) -> None:
    shutil.copytree(built_plugins / "hello", tmp_path / "p")
    (tmp_path / "p" / "manifest.json").write_text('{"id": "Hello"}')
    with pytest.raises(PluginError, match="id"):
        check_plugin(tmp_path / "p")


def test_a_python_plugin_is_scaffolded_as_a_folder_of_its_own(tmp_path: Path) -> None:
    made = new_plugin("my-notes", "python", tmp_path / "my-notes")
    names = {p.relative_to(made.directory).as_posix() for p in made.files}
    assert names == {"manifest.json", "plugin.py", "tests/test_my_notes.py", ".gitignore"}
    assert not made.in_repository
    assert made.workspace == made.directory
    manifest = json.loads((made.directory / "manifest.json").read_text())
    assert manifest["kind"] == "component"
    assert manifest["wasm_file"] == "my_notes.wasm"
    assert manifest["permissions"] == {"methods": ["core.version"], "libraries": []}
    compile((made.directory / "plugin.py").read_text(), "plugin.py", "exec")  # valid Python
    assert is_python_plugin(made.directory)
    assert is_plugin_source(made.directory)


def test_a_python_build_names_what_is_missing(tmp_path: Path) -> None:
    made = new_plugin("notes", "python", tmp_path / "notes")
    manifest = json.loads((made.directory / "manifest.json").read_text())
    del manifest["kind"]
    (made.directory / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(LoadError, match='add "kind": "component"'):
        build_plugin(made.directory)
    assert not (made.directory / "build").exists()


def test_a_call_for_a_library_reaches_a_component(built_plugins: Path, tmp_path: Path) -> None:
    # Refused `unavailable` while the world could not say the library (test_parity has the grants).
    cache = component_cache(built_plugins, tmp_path / "scratch")
    with Host(data_dir=seed_cache(tmp_path / "data", cache)) as host:
        host.plugins.load(built_plugins / "py-hello")
        for library in (uuid4(), None):
            assert (
                b"Hello, Ada!"
                in host.plugins.call("py-hello", "greet", b'{"name": "Ada"}', library=library)[0]
            )


@pytest.mark.parametrize(("name", "lang"), [("Notes", "rust"), ("n", "rust"), ("notes", "cobol")])
def test_bad_names_and_languages_are_refused(name: str, lang: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        new_plugin(name, lang, tmp_path / "x")


def test_an_existing_folder_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not empty"):
        new_plugin("notes", "rust", tmp_path / "notes")
    assert (tmp_path / "notes" / "keep.txt").read_text() == "mine"


def test_the_sdk_is_packaged_with_its_workspace_fields_filled_in(tmp_path: Path) -> None:
    entries = package_sdk(REPO, tmp_path)
    assert set(entries) == {"spacedrive-abi-0.1.0", "spacedrive-sdk-0.1.0"}
    sdk = tomllib.loads((entries["spacedrive-sdk-0.1.0"] / "Cargo.toml").read_text())
    assert sdk["package"]["edition"] == "2024"
    assert sdk["dependencies"]["spacedrive-abi"] == {"version": "0.1.0"}
    assert "derive" in sdk["dependencies"]["serde"]["features"]
    before = (entries["spacedrive-sdk-0.1.0"] / ".cargo-checksum.json").stat().st_mtime_ns
    package_sdk(REPO, tmp_path)  # unchanged sources: left as they are
    assert (entries["spacedrive-sdk-0.1.0"] / ".cargo-checksum.json").stat().st_mtime_ns == before


def _blocks(page: str, lang: str, run: str | None = None) -> list[str]:
    """A page's ``lang`` blocks: those marked ``<!-- run: RUN -->``, or (None) the unmarked."""
    text = (REPO / "docs" / page).read_text()
    found = re.findall(rf"(<!-- run: (\w+) -->\n)?```{lang}\n(.*?)```", text, flags=re.DOTALL)
    return [body for _, mark, body in found if mark == (run or "")]


def test_the_docs_show_the_scaffolds_code() -> None:
    fields = {"id": "notes", "crate": "notes", "struct": "Notes"}
    rust, host_test = templates.RUST_LIB.format(**fields), templates.HOST_TEST.format(**fields)
    for block in _blocks("getting-started-rust.md", "rust"):
        assert block in rust
    blocks = _blocks("guides/testing-plugins.md", "python")
    assert blocks
    for block in blocks:
        assert block in host_test
    python = templates.PYTHON_PLUGIN.format(**fields)
    blocks = _blocks("getting-started-python.md", "python")
    assert blocks
    for block in blocks:
        assert block in python


def test_the_fixtures_on_a_built_plugin(
    sd_host: Host, sd_library: Callable[..., Library], built_plugins: Path, tmp_path: Path
) -> None:
    hello = built_plugins / "hello"
    plugin = PluginUnderTest(sd_host.plugins.load(hello).id, hello, sd_host)
    out = plugin.call("greet", {"name": "Ada"})
    assert out["greeting"] == "Hello, Ada!"
    assert any("greeting Ada" in r.message for r in plugin.logs())
    assert plugin.jobs() == []
    library = sd_library({"a.txt": "hi", "sub/b.bin": b"\0\1"}, name="docs")
    assert (library.root / "sub" / "b.bin").read_bytes() == b"\0\1"
    listed = sd_host.execute("query:vdfs.entries.list.v1", {}, library_id=library.id).data()
    assert len(listed["entries"]) == 2


def test_the_job_recipes_of_the_testing_page_pass(sd_host: Host, built_plugins: Path) -> None:
    """testing-plugins.md's job tests, run as pytest would against `counter`."""
    counter = built_plugins / "counter"
    plugin = PluginUnderTest(sd_host.plugins.load(counter).id, counter, sd_host)
    (code,) = _blocks("guides/testing-plugins.md", "python", run="counter")
    namespace: dict[str, object] = {"PluginUnderTest": PluginUnderTest}
    exec(code, namespace)
    tests = [fn for name, fn in namespace.items() if name.startswith("test_") and callable(fn)]
    assert len(tests) == 2
    for test in tests:
        test(plugin)
    assert [job["state"] for job in plugin.jobs()] == ["done", "failed"]


def test_run_job_raises_timeout_for_a_job_that_has_not_ended(sd_host: Host, built_plugins: Path) -> None:
    counter = built_plugins / "counter"
    plugin = PluginUnderTest(sd_host.plugins.load(counter).id, counter, sd_host)
    ended = r"job 'sum_squares' \(.*\) has not ended within 0 s: it is (queued|running)"
    with pytest.raises(Timeout, match=ended):
        plugin.run_job("sum_squares", {"n": 10**9, "chunk": 1000, "work": 1000}, timeout=0)
    (job,) = plugin.jobs()
    sd_host.execute("action:jobs.cancel.v1", {"id": job["id"]})


def test_check_takes_a_component_through_the_plugin_world(built_plugins: Path, tmp_path: Path) -> None:
    cache = seed_cache(tmp_path / "data", component_cache(built_plugins, tmp_path / "scratch"))
    report = check_plugin(built_plugins / "py-hello", cache=DataDir(cache).module_cache)
    assert report.abi_version == 1
    assert {"call", "log"} <= set(report.imports)
    assert {"init", "handle", "cleanup"} <= set(report.exports)


def test_check_refuses_a_module_called_a_component(built_plugins: Path, host: Host, tmp_path: Path) -> None:
    shutil.copytree(built_plugins / "hello", tmp_path / "p")
    manifest = json.loads((tmp_path / "p" / "manifest.json").read_text())
    (tmp_path / "p" / "manifest.json").write_text(json.dumps({**manifest, "kind": "component"}))
    with pytest.raises(LoadError) as by_load:
        host.plugins.load(tmp_path / "p")
    with pytest.raises(LoadError) as by_check:
        check_plugin(tmp_path / "p", cache=tmp_path / "cache")
    assert by_check.value.message == by_load.value.message


def test_the_cli_names_every_scaffolded_language() -> None:
    from spacedrive_host.authoring.scaffold import LANGUAGES
    from spacedrive_host.cli.author_cmds import LANGS

    assert tuple(LANGUAGES) == LANGS


def test_a_name_the_workspace_already_has_is_refused_before_anything_is_written() -> None:
    from spacedrive_host.authoring.scaffold import _refuse_taken_name
    from spacedrive_host.errors import InvalidInput

    with pytest.raises(InvalidInput, match=r"already has a crate named 'echo' \(test-plugins/echo\)"):
        _refuse_taken_name(REPO, "echo")
    _refuse_taken_name(REPO, "no-such-crate-here")


def test_build_checks_the_source_manifest_before_building(tmp_path: Path) -> None:
    crate = tmp_path / "crate"
    crate.mkdir()
    (crate / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\n')
    fields = {"id": "c", "name": "C", "version": "0.1.0", "wasm_file": "c.wasm"}
    (crate / "manifest.json").write_text(json.dumps({**fields, "permissions": {"max_memory_mb": 0}}))
    with pytest.raises(ManifestError) as info:
        build_plugin(crate)  # no toolchain is prepared, no cargo runs
    assert info.value.message.startswith(f"{crate / 'manifest.json'}: permissions.max_memory_mb:")
    made = new_plugin("notes", "python", tmp_path / "notes")
    manifest = json.loads((made.directory / "manifest.json").read_text())
    manifest["permission"] = manifest.pop("permissions")
    (made.directory / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ManifestError) as info:
        build_plugin(made.directory)
    assert info.value.message == (
        f"{made.directory / 'manifest.json'}: permission: Extra inputs are not permitted "
        "(did you mean `permissions`?)"
    )
    assert not (made.directory / "build").exists()


def _with_manifest(source: Path, into: Path, **fields: object) -> Path:
    shutil.copytree(source, into)
    manifest = json.loads((into / "manifest.json").read_text())
    (into / "manifest.json").write_text(json.dumps({**manifest, **fields}))
    return into


def test_too_little_memory_for_a_component_is_refused_by_check_and_load_alike(
    built_plugins: Path, host: Host, tmp_path: Path
) -> None:
    wasm = (built_plugins / "py-hello" / "hello.wasm").read_bytes()
    need = initial_memory_bytes(wasm)  # the largest initial memory of its core modules
    assert 8 << 20 < need <= 16 << 20
    mib = -(-need // (1 << 20))
    small = _with_manifest(built_plugins / "py-hello", tmp_path / "p", permissions={"max_memory_mb": mib - 1})
    with pytest.raises(LimitExceeded) as by_load:
        host.plugins.load(small)
    with pytest.raises(LimitExceeded) as by_check:
        check_plugin(small, cache=tmp_path / "cache")
    assert by_check.value.message == by_load.value.message
    assert f"needs {mib} MiB initial memory; permissions.max_memory_mb is {mib - 1}" in by_load.value.message
    assert initial_memory_bytes(b"\0asm\1\0\0\0\x05\x05") == 0  # a truncated section: the compiler says


def test_a_component_called_a_module_is_named_before_the_compile_cache_is_asked(
    built_plugins: Path, host: Host, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = _with_manifest(built_plugins / "py-hello", tmp_path / "p", kind="module")
    with pytest.raises(LoadError) as by_load:
        host.plugins.load(wrong)
    assert 'hello.wasm is a component; say "kind": "component" in its manifest' in by_load.value.message
    assert not [r for r in caplog.records if "compile cache" in r.getMessage()]
    with pytest.raises(LoadError) as by_check:
        check_plugin(wrong, cache=tmp_path / "cache")
    assert by_check.value.message == by_load.value.message


def test_a_failed_call_under_pytest_shows_the_test_not_the_host(sd_host: Host, built_plugins: Path) -> None:
    hello = built_plugins / "hello"
    plugin = PluginUnderTest(sd_host.plugins.load(hello).id, hello, sd_host)
    with pytest.raises(InvalidInput) as info:
        plugin.call("greet", {"name": " "})
    frames = [entry for entry in info.traceback if not entry.ishidden(info)]
    assert [entry.path for entry in frames] == [Path(__file__)]
    with pytest.raises(NotFound, match="declares no job 'nope'") as not_a_job:
        plugin.run_job("nope")
    frames = [entry for entry in not_a_job.traceback if not entry.ishidden(not_a_job)]
    assert [entry.path for entry in frames] == [Path(__file__)]


def test_a_python_plugin_listing_a_method_it_does_not_handle_is_flagged(tmp_path: Path) -> None:
    made = new_plugin("notes", "python", tmp_path / "notes")
    manifest = json.loads((made.directory / "manifest.json").read_text())
    manifest["provides"].append({"name": "shout"})
    manifest["jobs"] = [{"name": "scan"}]
    (made.directory / "manifest.json").write_text(json.dumps(manifest))
    source, listed = made.directory / "plugin.py", made.directory / "manifest.json"
    assert mismatches(made.directory, read_manifest(made.directory)) == [
        f"{listed} lists 'shout' under `provides`, but {source} has no @plugin.handler(\"shout\")",
        f"{listed} lists 'scan' under `jobs`, but {source} has no @plugin.job(\"scan\")",
    ]
    code = source.read_text()
    # Names the source does not spell out are not guessed at: nothing is flagged.
    source.write_text(code + '\nNAME = "shout"\n\n\n@plugin.handler(NAME)\ndef shout(call): ...\n')
    assert registered(made.directory) is None
    source.write_text(code)
    (made.directory / "helpers.py").write_text("")
    assert registered(made.directory) is None


def test_the_toolchain_names_locked_crates_no_debian_package_provides(tmp_path: Path) -> None:
    from spacedrive_host.authoring.toolchain import _locked_but_absent

    lock = tmp_path / "Cargo.lock"
    lock.write_text(
        'version = 3\n[[package]]\nname = "cfg-if"\nversion = "1.0.4"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
        '[[package]]\nname = "serde"\nversion = "1.0.152"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
        '[[package]]\nname = "spacedrive-sdk"\nversion = "0.1.0"\n'
    )
    vendor = tmp_path / "vendor"
    (vendor / "serde-1.0.152").mkdir(parents=True)
    (vendor / "cfg-if-1.0.0").mkdir()  # an older rust-web-src's: not the locked one
    assert _locked_but_absent(lock, vendor) == ["cfg-if-1.0.4"]  # a path crate is not asked for
    assert _locked_but_absent(tmp_path / "none.lock", vendor) == []

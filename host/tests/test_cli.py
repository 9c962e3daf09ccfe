"""The `spacedrive` command line, run as a user would (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from spacedrive_host.cli.exit_codes import EXIT_CODES
from spacedrive_host.errors import ErrorCode


def spacedrive(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spacedrive_host", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_call_echo_by_path(data: Path, built_plugins: Path, tmp_path: Path) -> None:
    tail_in = tmp_path / "in.bin"
    tail_in.write_bytes(b"\x00\x01binary")
    tail_out = tmp_path / "out.bin"
    res = spacedrive(
        data,
        "plugin",
        "call",
        str(built_plugins / "echo"),
        "echo",
        "--payload",
        '{"a": [1, 2]}',
        "--tail-file",
        str(tail_in),
        "--tail-out",
        str(tail_out),
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {"a": [1, 2]}
    assert tail_out.read_bytes() == b"\x00\x01binary"


def test_call_hello_shows_plugin_logs(data: Path, built_plugins: Path) -> None:
    res = spacedrive(
        data,
        "plugin",
        "call",
        str(built_plugins / "hello"),
        "greet",
        "--payload",
        '{"name": "CLI"}',
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["greeting"] == "Hello, CLI!"
    assert "[hello] info: hello: greeting CLI (#1)" in res.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["relay", "--payload", '{"method": "query:core.version.v1"}'],
            "permission_denied",
            "not granted",
        ),
        (["nope"], "not_found", "provides no method 'nope'"),
        (["echo", "--payload", "{bad"], "invalid_input", "--payload is not valid JSON"),
    ],
)
def test_errors_print_code_and_exit_nonzero(
    data: Path, built_plugins: Path, args: list[str], code: str, message: str
) -> None:
    res = spacedrive(data, "plugin", "call", str(built_plugins / "echo"), *args)
    assert res.returncode == EXIT_CODES[ErrorCode(code)]
    assert f"error[{code}]" in res.stderr
    assert message in res.stderr
    assert res.stdout == ""


def test_bad_manifest_is_a_typed_error(data: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.json").write_text('{"id": "bad", "name": "B", "version": "x", "wasm_file": "b.wasm"}')
    res = spacedrive(data, "plugin", "call", str(bad), "run")
    assert res.returncode == EXIT_CODES[ErrorCode.INVALID_MANIFEST]
    assert "error[invalid_manifest]" in res.stderr
    assert "version: String should match pattern" in res.stderr


def test_load_installs_then_list_info_and_call_by_id(data: Path, built_plugins: Path) -> None:
    res = spacedrive(data, "plugin", "load", str(built_plugins / "hello"))
    assert res.returncode == 0, res.stderr
    assert (data / "plugins" / "hello" / "hello.wasm").is_file()
    again = spacedrive(data, "plugin", "load", str(built_plugins / "hello"))
    assert again.returncode == EXIT_CODES[ErrorCode.LOAD_FAILED]
    assert "pass --replace" in again.stderr
    assert spacedrive(data, "plugin", "load", "--replace", str(built_plugins / "hello")).returncode == 0

    listed = spacedrive(data, "plugin", "list", "--json")
    assert [p["id"] for p in json.loads(listed.stdout)["plugins"]] == ["hello"]
    info = json.loads(spacedrive(data, "plugin", "info", "hello").stdout)
    assert info["status"] == "ready"
    assert info["compile_cache"] == "hit"
    called = spacedrive(data, "plugin", "call", "hello", "greet", "--payload", '{"name": "id"}')
    assert json.loads(called.stdout)["plugins"] == ["hello"]
    assert spacedrive(data, "plugin", "remove", "hello").returncode == 0
    assert json.loads(spacedrive(data, "plugin", "list", "--json").stdout)["plugins"] == []


def test_op_call_uses_the_same_wire(data: Path) -> None:
    res = spacedrive(data, "op", "call", "query:core.version.v1")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["abi_version"] == 1
    bad = spacedrive(data, "op", "call", "query:core.version.v9")
    assert bad.returncode == EXIT_CODES[ErrorCode.NOT_FOUND]
    assert "error[not_found]" in bad.stderr


def test_data_dir_defaults_to_env(tmp_path: Path, built_plugins: Path) -> None:
    env_dir = tmp_path / "from-env"
    res = subprocess.run(
        [sys.executable, "-m", "spacedrive_host", "plugin", "load", str(built_plugins / "echo")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"SPACEDRIVE_DATA_DIR": str(env_dir), "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 0, res.stderr
    assert (env_dir / "plugins" / "echo" / "manifest.json").is_file()


def test_library_create_index_ls(data: Path, tmp_path: Path) -> None:
    root = tmp_path / "files"
    root.mkdir()
    (root / "note.txt").write_text("hello")
    created = spacedrive(data, "library", "create", "notes", str(root))
    assert created.returncode == 0, created.stderr
    lib_id = created.stdout.split()[3]
    indexed = spacedrive(data, "library", "index", lib_id)
    assert "1 added" in indexed.stdout
    assert "0 added, 0 updated, 0 removed, 1 unchanged" in spacedrive(data, "library", "index", lib_id).stdout
    listing = spacedrive(data, "library", "ls", lib_id)
    assert "note.txt" in listing.stdout
    assert "text/plain" in listing.stdout
    assert "notes" in spacedrive(data, "library", "ls").stdout
    bad = spacedrive(data, "library", "index", "not-a-uuid")
    assert bad.returncode == EXIT_CODES[ErrorCode.INVALID_INPUT]
    assert "error[invalid_input]" in bad.stderr


def test_job_start_follows_the_job_to_its_output(data: Path, built_plugins: Path) -> None:
    assert spacedrive(data, "plugin", "load", str(built_plugins / "counter")).returncode == 0
    res = spacedrive(data, "job", "start", "counter", "sum_squares", "--input", '{"n": 1000, "chunk": 100}')
    assert res.returncode == 0, res.stderr
    assert '"state": "done"' in res.stdout
    assert '"sum": 332833500' in res.stdout
    assert "counter/sum_squares" in res.stdout  # the progress bar's label
    table = spacedrive(data, "job", "status")
    assert "done" in table.stdout
    assert "no unfinished jobs" in spacedrive(data, "job", "resume").stdout


def _final_json(stdout: str) -> Any:
    """The JSON a job command prints after its progress bars."""
    return json.loads(stdout[stdout.index("\n{") + 1 :] if not stdout.startswith("{") else stdout)


def test_job_ids_are_shown_whole_and_taken_by_unique_prefix(data: Path, built_plugins: Path) -> None:
    assert spacedrive(data, "plugin", "load", str(built_plugins / "counter")).returncode == 0
    failed = spacedrive(data, "job", "start", "counter", "fail_at", "--input", '{"at": 1}')
    # A failed job exits with its error code's status (the counter fails it `internal`).
    assert failed.returncode == EXIT_CODES[ErrorCode.INTERNAL], failed.stderr
    job = _final_json(failed.stdout)
    assert job["state"] == "failed"
    assert f"counter/fail_at {job['id']}" in failed.stdout  # the progress bar names it in full
    # The job's input is named without a position in the host's step envelope.
    bad = spacedrive(data, "job", "start", "counter", "sum_squares", "--input", '{"n": 10}')
    assert bad.returncode == EXIT_CODES[ErrorCode.INVALID_INPUT]
    assert "bad input for job:sum_squares: missing field `chunk` (plugin" in _final_json(bad.stdout)["error"]
    assert "line 1 column" not in bad.stdout
    by_prefix = spacedrive(data, "job", "status", job["id"][:8])
    assert by_prefix.returncode == 0, by_prefix.stderr
    assert json.loads(by_prefix.stdout)["id"] == job["id"]
    every = spacedrive(data, "job", "status", "")  # a prefix of every id
    assert every.returncode == EXIT_CODES[ErrorCode.INVALID_INPUT]
    assert f"job id prefix '' matches 2 jobs: {job['id']}, " in every.stderr
    none = spacedrive(data, "job", "status", "zzz")
    assert none.returncode == EXIT_CODES[ErrorCode.NOT_FOUND]
    assert "no job zzz" in none.stderr
    # Into an 80-column pipe the table keeps every id whole, on one line.
    table = spacedrive(data, "job", "status")
    lines = table.stdout.splitlines()
    assert any(job["id"] in line and "fail_at" in line and "failed" in line for line in lines), table.stdout


def test_an_interrupted_job_is_explained_and_resume_prints_how_it_ended(
    data: Path, built_plugins: Path
) -> None:
    from spacedrive_host import Host

    assert spacedrive(data, "plugin", "load", str(built_plugins / "counter")).returncode == 0
    with Host(data_dir=data) as host:
        host.load_installed()
        # Closed at once: the host stops after the current step, the job unfinished.
        started = host.jobs.start("counter", "sum_squares", {"n": 20_000, "chunk": 1000, "work": 100})
    table = spacedrive(data, "--no-daemon", "job", "status")
    assert started.id in table.stdout
    # Another embedded host may still be running it: the note explains rather than guesses.
    assert "1 job(s) queued or running: no daemon serves this data directory" in table.stderr
    assert "`spacedrive job resume` continues them" in table.stderr
    one = spacedrive(data, "--no-daemon", "job", "status", started.id)
    assert json.loads(one.stdout)["state"] in ("queued", "running")
    assert "only the host that started them runs them" in one.stderr
    resumed = spacedrive(data, "--no-daemon", "job", "resume")
    assert resumed.returncode == 0, resumed.stderr
    (job,) = _final_json(resumed.stdout)["jobs"]
    assert (job["id"], job["state"], job["steps"]) == (started.id, "done", 20)
    assert "queued or running" not in spacedrive(data, "--no-daemon", "job", "status").stderr


@pytest.mark.parametrize("command", ["build", "test"])
def test_plugin_build_and_test_name_the_source_manifest_before_building(
    command: str, data: Path, tmp_path: Path
) -> None:
    crate = tmp_path / "crate"
    crate.mkdir()
    (crate / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\n')
    manifest = {"id": "c", "name": "C", "version": "0.1.0", "wasm_file": "c.wasm"}
    (crate / "manifest.json").write_text(json.dumps({**manifest, "permissions": {"max_memory_mb": 0}}))
    res = spacedrive(data, "plugin", command, str(crate))
    assert res.returncode == EXIT_CODES[ErrorCode.INVALID_MANIFEST]
    assert f"{crate / 'manifest.json'}: permissions.max_memory_mb:" in res.stderr
    assert "Compiling" not in res.stderr  # refused before cargo ran


def test_plugin_test_names_a_python_plugins_source_manifest_before_building(
    data: Path, tmp_path: Path
) -> None:
    from spacedrive_host.authoring.scaffold import new_plugin

    made = new_plugin("notes", "python", tmp_path / "notes")
    manifest = json.loads((made.directory / "manifest.json").read_text())
    manifest["permission"] = manifest.pop("permissions")
    (made.directory / "manifest.json").write_text(json.dumps(manifest))
    res = spacedrive(data, "plugin", "test", str(made.directory))
    assert res.returncode == EXIT_CODES[ErrorCode.INVALID_MANIFEST]
    assert f"{made.directory / 'manifest.json'}: permission: Extra inputs" in res.stderr
    assert not (made.directory / "build").exists()

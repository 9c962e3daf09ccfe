"""One registry, every surface (issue 16): the same operations through the Python API,
the CLI (embedded and via the daemon), JSON-RPC (Unix socket and HTTP), GraphQL and a
wasm plugin give the same results and the same error codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from daemon_helpers import post, widened_echo
from typer.testing import CliRunner

from spacedrive_host import PluginError
from spacedrive_host.cli.app import app
from spacedrive_host.cli.exit_codes import EXIT_CODES
from spacedrive_host.daemon.client import DaemonClient
from spacedrive_host.daemon.graphql import field_name
from spacedrive_host.daemon.serve import Daemon
from spacedrive_host.errors import ErrorCode

#: What a surface answers: ("ok", output) or ("error", code).
Outcome = tuple[str, Any]


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory, built_plugins: Path) -> Iterator[Daemon]:
    with Daemon(tmp_path_factory.mktemp("d"), http_port=0) as d:
        relay = widened_echo(built_plugins, tmp_path_factory.mktemp("relay"), ["core.", "jobs."])
        assert d.host is not None
        d.host.execute("action:daemon.plugins.load.v1", {"path": str(relay)})
        yield d


def python_api(d: Daemon, method: str, payload: Any) -> Outcome:
    assert d.host is not None
    try:
        return "ok", d.host.execute(method, payload).data()
    except PluginError as exc:
        return "error", exc.code.value


def unix_rpc(d: Daemon, method: str, payload: Any) -> Outcome:
    client = DaemonClient.connect(d.data_dir)
    assert client is not None
    with client:
        try:
            return "ok", client.execute(method, payload).data()
        except PluginError as exc:
            return "error", exc.code.value


def http_rpc(d: Daemon, method: str, payload: Any) -> Outcome:
    request = {"jsonrpc": "2.0", "id": 7, "method": method, "params": {"input": payload}}
    status, reply = post(d, "/rpc", json.dumps(request).encode())
    assert status == 200
    assert reply["id"] == 7
    if "error" in reply:
        return "error", reply["error"]["data"]["code"]
    return "ok", reply["result"]["output"]


def graphql(d: Daemon, method: str, payload: Any) -> Outcome:
    assert d.host is not None
    op = d.host.registry.get(method)
    if op is None:  # no field: GraphQL validation refuses the query before anything runs
        return "error", "not_found"
    root = "query" if op.kind.value == "query" else "mutation"
    query = f"{root} Q($input: JSON) {{ {field_name(op)}(input: $input) {{ json tail }} }}"
    status, reply = post(
        d, "/graphql", json.dumps({"query": query, "variables": {"input": payload}}).encode()
    )
    assert status == 200
    if reply.get("errors"):
        return "error", reply["errors"][0]["extensions"]["code"]
    return "ok", reply["data"][field_name(op)]["json"]


def _cli_outcome(status: int, stdout: str, stderr: str) -> Outcome:
    """A `--json` command's answer; a failure's exit status must be its code's."""
    if status == 0:
        return "ok", json.loads(stdout)
    code = json.loads(stderr)["error"]["code"]
    assert status == EXIT_CODES[ErrorCode(code)]
    return "error", code


def _cli(d: Daemon, method: str, payload: Any, *extra: str) -> Outcome:
    args = ["--data-dir", str(d.data_dir), "--json", *extra, "op", "call", method]
    res = CliRunner().invoke(app, [*args, "--payload", json.dumps(payload)])
    return _cli_outcome(res.exit_code, res.stdout, res.stderr)


def cli_daemon(d: Daemon, method: str, payload: Any) -> Outcome:
    return _cli(d, method, payload)


def cli_process(d: Daemon, method: str, payload: Any) -> Outcome:
    """The real command in its own process: served without typer (`cli/fast.py`)."""
    argv = ["--data-dir", str(d.data_dir), "--json", "op", "call", method, "--payload", json.dumps(payload)]
    res = subprocess.run(
        [sys.executable, "-m", "spacedrive_host", *argv], capture_output=True, text=True, check=False
    )
    return _cli_outcome(res.returncode, res.stdout, res.stderr)


def cli_embedded(d: Daemon, method: str, payload: Any) -> Outcome:
    return _cli(d, method, payload, "--no-daemon")


def wasm_plugin(d: Daemon, method: str, payload: Any) -> Outcome:
    """The echo plugin's `relay` makes the call from inside the sandbox, through its SDK."""
    assert d.host is not None
    try:
        return "ok", d.host.call_plugin("relay", "relay", {"method": method, "input": payload}).data()[
            "output"
        ]
    except PluginError as exc:
        return "error", exc.code.value


SURFACES: list[Callable[[Daemon, str, Any], Outcome]] = [
    python_api,
    unix_rpc,
    http_rpc,
    graphql,
    cli_daemon,
    cli_process,
    cli_embedded,
    wasm_plugin,
]

CASES: list[tuple[str, Any, str]] = [
    ("query:core.echo.v1", {"value": {"a": [1, "two", None, 3.5]}}, "ok"),
    ("query:core.version.v1", None, "ok"),
    ("query:jobs.list.v1", None, "ok"),
    ("query:core.echo.v1", {"bogus": 1}, "invalid_input"),
    ("query:jobs.status.v1", {"id": "no-such-job"}, "not_found"),
    ("query:core.nothing.v1", None, "not_found"),
]


@pytest.mark.parametrize(("method", "payload", "expected"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_every_surface_gives_the_same_answer(
    daemon: Daemon, method: str, payload: Any, expected: str
) -> None:
    outcomes = {surface.__name__: surface(daemon, method, payload) for surface in SURFACES}
    reference = outcomes["python_api"]
    assert reference[0] == "ok" if expected == "ok" else reference == ("error", expected)
    assert {name: o for name, o in outcomes.items() if o != reference} == {}


def test_graphql_has_a_field_for_every_operation(daemon: Daemon) -> None:
    """Generated, not hand-written: every registered operation, daemon ones included."""
    assert daemon.host is not None
    status, reply = post(
        daemon,
        "/graphql",
        b'{"query": "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }"}',
    )
    assert status == 200
    schema = reply["data"]["__schema"]
    fields = {f["name"] for t in ("queryType", "mutationType") for f in schema[t]["fields"]}
    assert fields == {field_name(op) for op in daemon.host.registry}
    assert "daemon_plugins_reload_v1" in fields


def test_binary_tails_cross_every_json_surface(daemon: Daemon) -> None:
    assert daemon.host is not None
    client = DaemonClient.connect(daemon.data_dir)
    assert client is not None
    with client:
        assert client.execute("query:core.echo.v1", {"value": 1}, tail=b"\x00\xffbin").tail == b"\x00\xffbin"
    query = '{ core_echo_v1(input: {value: 1}, tail: "AP9iaW4=") { tail } }'
    _, reply = post(daemon, "/graphql", json.dumps({"query": query}).encode())
    assert reply["data"]["core_echo_v1"]["tail"] == "AP9iaW4="


_IMPORTS = """
import sys
from spacedrive_host.cli.app import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    assert not done.code, done.code
heavy = ("wasmtime", "spacedrive_host.host", "spacedrive_host.ops", "spacedrive_host.wire.dispatch")
print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv", [["--help"], ["op", "call", "query:core.version.v1"]], ids=["help", "call-via-daemon"]
)
def test_help_and_a_daemon_call_load_no_host(daemon: Daemon, argv: list[str]) -> None:
    """Lazy imports: neither wasmtime nor the host's models and operations load."""
    res = subprocess.run(
        [sys.executable, "-c", _IMPORTS, "--data-dir", str(daemon.data_dir), *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip().splitlines()[-1] == "[]"
    if argv != ["--help"]:
        assert json.loads(res.stdout)["abi_version"] == 1

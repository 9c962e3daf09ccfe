"""The JSON-RPC and GraphQL pages' example sessions, replayed against a real daemon:
each documented reply is what the daemon answers, byte for byte."""

from __future__ import annotations

import contextlib
import http.client
import io
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon_helpers import connect, exchange_raw, post, post_raw

from spacedrive_host.daemon.serve import Daemon

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reference"


def session(page: str, heading: str = "## An example session") -> list[tuple[str, str]]:
    """The (sent, received) pairs of a page's example session."""
    sent, received = _lines(page, heading, "--> "), _lines(page, heading, "<-- ")
    assert sent
    assert len(sent) == len(received)
    return list(zip(sent, received, strict=True))


def _section(page: str, heading: str) -> str:
    text = (DOCS / page).read_text()
    assert heading in text
    return text.split(heading + "\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    with Daemon(tmp_path_factory.mktemp("d"), http_port=0) as d:
        yield d


@contextlib.contextmanager
def _ended_job(daemon: Daemon, built_plugins: Path) -> Iterator[str]:
    """The id of a counter job that has just ended (the pages' `JOB`)."""
    assert daemon.host is not None
    daemon.host.execute("action:daemon.plugins.load.v1", {"path": str(built_plugins / "counter")})
    job = daemon.host.execute(
        "action:jobs.start.v1",
        {"plugin": "counter", "job": "sum_squares", "input": {"n": 3000, "chunk": 1000, "work": 1}},
    ).data()
    try:
        daemon.host.jobs.wait(job["id"], timeout=120)
        yield str(job["id"])
    finally:  # the other sessions list no plugins
        daemon.host.execute("action:daemon.plugins.unload.v1", {"id": "counter"})


def _lines(page: str, heading: str, mark: str) -> list[str]:
    lines = _section(page, heading).splitlines()
    return [ln.removeprefix(mark).rstrip() for ln in lines if ln.startswith(mark)]


def test_the_jobs_watch_session(daemon: Daemon, built_plugins: Path) -> None:
    """One message sent, a notification and the reply received; `JOB` is the job's id."""
    heading = "## Job progress: `jobs.watch`"
    (request,) = _lines("jsonrpc.md", heading, "--> ")
    with _ended_job(daemon, built_plugins) as job, connect(daemon) as sock, sock.makefile("rb") as f:
        sock.sendall(request.replace("JOB", job).encode() + b"\n")
        for expected in _lines("jsonrpc.md", heading, "<-- "):
            assert f.readline().decode().rstrip("\n") == expected.replace("JOB", job)


def test_the_jobs_watch_subscription_session(daemon: Daemon, built_plugins: Path) -> None:
    """The GraphQL page's server-sent events for a job that has just ended."""
    assert daemon.http is not None
    heading = "## Job progress: the `jobs_watch` subscription"
    (request,) = _lines("graphql.md", heading, "--> ")
    with _ended_job(daemon, built_plugins) as job:
        conn = http.client.HTTPConnection(daemon.http.url.removeprefix("http://"), timeout=60)
        headers = {"Authorization": f"Bearer {daemon.token}", "Accept": "text/event-stream"}
        conn.request("POST", "/graphql", body=request.replace("JOB", job), headers=headers)
        answer = conn.getresponse().read().decode()
        conn.close()
    assert [ln.rstrip() for ln in answer.splitlines() if ln] == _lines("graphql.md", heading, "<-- ")


@pytest.mark.parametrize(("sent", "received"), session("jsonrpc.md"))
def test_the_jsonrpc_session(daemon: Daemon, sent: str, received: str) -> None:
    assert exchange_raw(daemon, sent.encode()).decode() == received


@pytest.mark.parametrize(("sent", "received"), session("graphql.md"))
def test_the_graphql_session(daemon: Daemon, sent: str, received: str) -> None:
    status, reply = post_raw(daemon, "/graphql", sent.encode())
    assert status == 200
    assert reply.decode() == received


@contextlib.contextmanager
def _echo_and_hello(daemon: Daemon, built_plugins: Path) -> Iterator[None]:
    """The plugins the pages' "Calling a plugin" sessions call, loaded for one session."""
    assert daemon.host is not None
    for plugin in ("echo", "hello"):
        daemon.host.execute("action:daemon.plugins.load.v1", {"path": str(built_plugins / plugin)})
    try:
        yield
    finally:  # the other sessions list no plugins
        for plugin in ("echo", "hello"):
            daemon.host.execute("action:daemon.plugins.unload.v1", {"id": plugin})


def test_the_jsonrpc_plugin_call_session(daemon: Daemon, built_plugins: Path) -> None:
    pairs = session("jsonrpc.md", "## Calling a plugin")
    with _echo_and_hello(daemon, built_plugins):
        for sent, received in pairs:
            assert exchange_raw(daemon, sent.encode()).decode() == received


def test_the_graphql_plugin_call_session_and_its_curl_example(daemon: Daemon, built_plugins: Path) -> None:
    heading = "## Calling a plugin"
    pairs = session("graphql.md", heading)
    (curl,) = re.findall(r"```console\n\$ (.*?)```", _section("graphql.md", heading), re.S)
    body = shlex.split(curl.replace("\\\n", " "))[-1]  # the -d argument
    with _echo_and_hello(daemon, built_plugins):
        for sent, received in pairs:
            status, reply = post_raw(daemon, "/graphql", sent.encode())
            assert (status, reply.decode()) == (200, received)
        status, answer = post(daemon, "/graphql", body.encode())
    assert status == 200
    assert answer["data"]["plugins_call_v1"]["json"]["output"]["greeting"] == "Hello, Ada!"


def test_a_plugin_call_sent_as_a_query_is_refused_as_the_page_says(daemon: Daemon) -> None:
    status, reply = post(daemon, "/graphql", b'{"query": "{ plugins_call_v1(input: {}) { json } }"}')
    assert status == 200
    assert reply["errors"][0]["message"].startswith("Cannot query field 'plugins_call_v1' on type 'Query'")
    assert "Cannot query field 'plugins_call_v1' on type 'Query'" in (DOCS / "graphql.md").read_text()


def test_the_shell_one_liner(daemon: Daemon) -> None:
    """The page's Python line, run by a shell in the data directory, prints the reply shown."""
    (block,) = re.findall(r"```console\n\$ (.*?)```", _section("jsonrpc.md", "## An example session"), re.S)
    command, shown, _ = block.rsplit("\n", 2)  # the command, its output, the closing newline
    done = subprocess.run(
        ["bash", "-c", command], cwd=daemon.data_dir, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown + "\n"


def test_the_python_client_example(daemon: Daemon) -> None:
    page = (DOCS / "jsonrpc.md").read_text()
    (code,) = re.findall(r"```python\n(.*?)```", page, re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {"data_dir": daemon.data_dir})
    assert out.getvalue() == "1\n"

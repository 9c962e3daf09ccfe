"""The JSON-RPC and GraphQL pages' example sessions, replayed against a real daemon:
each documented reply is what the daemon answers."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon_helpers import connect, exchange, post

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
            assert json.loads(f.readline()) == json.loads(expected.replace("JOB", job))


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
    assert exchange(daemon, sent.encode()) == json.loads(received)


@pytest.mark.parametrize(("sent", "received"), session("graphql.md"))
def test_the_graphql_session(daemon: Daemon, sent: str, received: str) -> None:
    status, reply = post(daemon, "/graphql", sent.encode())
    assert status == 200
    assert reply == json.loads(received)


def test_the_python_client_example(daemon: Daemon) -> None:
    page = (DOCS / "jsonrpc.md").read_text()
    (code,) = re.findall(r"```python\n(.*?)```", page, re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {"data_dir": daemon.data_dir})
    assert out.getvalue() == "1\n"

"""`jobs.watch` (issue 16: job progress pushed to the client): notifications on the
Unix socket while a job progresses, pauses, resumes and ends, then the reply; a
client that disconnects mid-stream ends only its own watch. The same over GraphQL:
the `jobs_watch` subscription as server-sent events on the HTTP endpoint."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from daemon_helpers import connect, post

from spacedrive_host import NotFound
from spacedrive_host.daemon.client import DaemonClient
from spacedrive_host.daemon.serve import Daemon

LONG = {"n": 10**8, "chunk": 100, "work": 500}  # far longer than any test waits for


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory, built_plugins: Path) -> Iterator[Daemon]:
    with Daemon(tmp_path_factory.mktemp("d"), http_port=0) as d:
        assert d.host is not None
        d.host.execute("action:daemon.plugins.load.v1", {"path": str(built_plugins / "counter")})
        yield d


def _start(d: Daemon, job_input: dict[str, int]) -> str:
    assert d.host is not None
    job = d.host.execute(
        "action:jobs.start.v1", {"plugin": "counter", "job": "sum_squares", "input": job_input}
    ).data()
    return str(job["id"])


def _watch_request(job_id: str, id_: int = 1) -> bytes:
    request = {"jsonrpc": "2.0", "id": id_, "method": "jobs.watch", "params": {"input": {"id": job_id}}}
    return json.dumps(request).encode() + b"\n"


def _messages(d: Daemon, job_id: str) -> Generator[dict[str, Any], None, None]:
    with connect(d) as sock, sock.makefile("rb") as f:
        sock.sendall(_watch_request(job_id))
        while line := f.readline():
            yield json.loads(line)


def test_a_short_job_is_watched_to_its_end(daemon: Daemon) -> None:
    job_id = _start(daemon, {"n": 5000, "chunk": 1000, "work": 1})
    messages = list(_messages_until_reply(daemon, job_id))
    *notes, reply = messages
    assert all(m["method"] == "jobs.progress" and "id" not in m for m in notes)
    progress = [m["params"]["progress"] for m in notes]
    assert progress == sorted(progress)
    assert notes[-1]["params"]["state"] == "done"
    assert reply == {"jsonrpc": "2.0", "id": 1, "result": {"output": notes[-1]["params"], "tail": ""}}
    assert reply["result"]["output"]["output"] == {"sum": sum(i * i for i in range(5000)) % (10**9 + 7)}


def _messages_until_reply(d: Daemon, job_id: str) -> Iterator[dict[str, Any]]:
    for message in _messages(d, job_id):
        yield message
        if "id" in message:
            return


def test_the_python_client_watches_a_job(daemon: Daemon) -> None:
    job_id = _start(daemon, {"n": 5000, "chunk": 1000, "work": 1})
    client = DaemonClient.connect(daemon.data_dir)
    assert client is not None
    with client:
        states = list(client.watch_job(job_id))
        assert states[-1]["state"] == "done"
        assert client.execute("query:jobs.status.v1", {"id": job_id}).data() == states[-1]
        with pytest.raises(NotFound, match="no job nope"):
            list(client.watch_job("nope"))


def test_progress_pause_resume_and_cancel_are_pushed(daemon: Daemon) -> None:
    assert daemon.host is not None
    job_id = _start(daemon, LONG)
    seen: list[str] = []
    stream = _messages(daemon, job_id)
    for message in stream:
        if "id" in message:
            break
        info = message["params"]
        seen.append(info["state"])
        if info["state"] == "running" and info["steps"] > 0 and "paused" not in seen:
            daemon.host.execute("action:jobs.pause.v1", {"id": job_id})
        elif info["state"] == "paused":
            daemon.host.execute("action:jobs.resume.v1", {"id": job_id})
        elif info["state"] == "running" and "paused" in seen:
            daemon.host.execute("action:jobs.cancel.v1", {"id": job_id})
    stream.close()
    assert message["result"]["output"]["state"] == "cancelled"
    assert seen[0] in ("queued", "running")
    after_pause = seen[seen.index("paused") + 1 :]
    assert after_pause[-2:] == ["running", "cancelled"]  # (queued, briefly, between them)


def test_a_client_that_leaves_mid_stream_ends_only_its_watch(daemon: Daemon) -> None:
    assert daemon.host is not None
    job_id = _start(daemon, LONG)
    sock = connect(daemon)
    with sock.makefile("rb") as f:
        sock.sendall(_watch_request(job_id))
        assert json.loads(f.readline())["method"] == "jobs.progress"
    sock.close()
    # Its serving thread is freed (a watch holds one), and the daemon still answers.
    _wait_for(lambda: _serving_threads() <= 1, "the watch to end")
    with connect(daemon) as other, other.makefile("rb") as f:
        status = {
            "jsonrpc": "2.0",
            "id": 9,
            "method": "query:jobs.status.v1",
            "params": {"input": {"id": job_id}},
        }
        other.sendall(json.dumps(status).encode() + b"\n")
        assert json.loads(f.readline())["result"]["output"]["state"] == "running"
    daemon.host.execute("action:jobs.cancel.v1", {"id": job_id})


def test_watch_wants_a_stream_and_a_real_job(daemon: Daemon) -> None:
    status, reply = post(daemon, "/rpc", _watch_request("whatever").strip())
    assert status == 200
    assert "call it on the Unix socket" in reply["error"]["message"]
    (reply,) = _messages_until_reply(daemon, "nope")
    assert reply["error"]["data"]["code"] == "not_found"


def _serving_threads() -> int:
    return sum(t.name == "spacedrive-unix-serve" for t in threading.enumerate())


def _wait_for(predicate: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _events(
    d: Daemon, query: str, *, accept: str = "text/event-stream"
) -> Generator[tuple[str, Any], None, None]:
    """The (event, data) pairs of one GraphQL-over-SSE request, as they arrive."""
    assert d.http is not None
    conn = http.client.HTTPConnection(d.http.url.removeprefix("http://"), timeout=60)
    headers = {"Authorization": f"Bearer {d.token}", "Accept": "text/event-stream"}
    conn.request("POST", "/graphql", body=json.dumps({"query": query}), headers=headers)
    res = conn.getresponse()
    assert res.status == 200
    assert res.getheader("Content-Type") == "text/event-stream"
    try:
        kind = None
        while line := res.readline():
            text = line.decode().rstrip("\n")
            if text.startswith("event: "):
                kind = text.removeprefix("event: ")
            elif text.startswith("data:"):
                data = text.removeprefix("data:").strip()
                yield str(kind), json.loads(data) if data else None
    finally:
        conn.close()


def _subscription(job_id: str, fields: str = "state progress steps") -> str:
    return f'subscription {{ jobs_watch(id: "{job_id}") {{ {fields} }} }}'


def test_a_job_is_watched_to_its_end_over_graphql_sse(daemon: Daemon) -> None:
    job_id = _start(daemon, {"n": 5000, "chunk": 1000, "work": 1})
    events = list(_events(daemon, _subscription(job_id)))
    assert events[-1] == ("complete", None)
    states = [data["data"]["jobs_watch"] for kind, data in events[:-1] if kind == "next"]
    assert len(states) == len(events) - 1
    assert all(set(s) == {"state", "progress", "steps"} for s in states)  # what was asked, no more
    assert [s["progress"] for s in states] == sorted(s["progress"] for s in states)
    assert states[-1]["state"] == "done"
    assert states[-1]["progress"] == 1.0
    assert len({json.dumps(s) for s in states}) == len(states)  # sent on change only


def test_graphql_sse_answers_errors_and_plain_operations(daemon: Daemon) -> None:
    ((kind, data), end) = _events(daemon, _subscription("nope", "state"))
    assert kind == "next"
    assert data["errors"][0]["extensions"]["code"] == "not_found"
    assert end == ("complete", None)
    # A query is one result, then the end.
    ((kind, data), end) = _events(daemon, "{ core_version_v1 { output { abi_version } } }")
    assert data == {"data": {"core_version_v1": {"output": {"abi_version": 1}}}}
    assert end == ("complete", None)
    # A subscription posted as a plain request is told how to ask.
    status, reply = post(daemon, "/graphql", json.dumps({"query": _subscription("nope")}).encode())
    assert status == 200
    assert "Accept: text/event-stream" in reply["errors"][0]["message"]


def _http_threads() -> int:
    return sum("process_request_thread" in t.name and t.is_alive() for t in threading.enumerate())


def test_a_graphql_subscriber_that_leaves_ends_only_its_stream(daemon: Daemon) -> None:
    assert daemon.host is not None
    job_id = _start(daemon, LONG)
    before = _http_threads()
    stream = _events(daemon, _subscription(job_id))
    kind, data = next(stream)
    assert kind == "next"
    assert data["data"]["jobs_watch"]["state"] in ("queued", "running")
    stream.close()  # closes the connection
    _wait_for(lambda: _http_threads() < before + 1, "the stream's thread to end")
    assert daemon.host.execute("query:jobs.status.v1", {"id": job_id}).data()["state"] == "running"
    daemon.host.execute("action:jobs.cancel.v1", {"id": job_id})


def test_a_stopping_daemon_ends_its_graphql_streams(tmp_path: Path, built_plugins: Path) -> None:
    with Daemon(tmp_path, http_port=0) as d:
        assert d.host is not None
        d.host.execute("action:daemon.plugins.load.v1", {"path": str(built_plugins / "counter")})
        stream = _events(d, _subscription(_start(d, LONG), "state"))
        assert next(stream)[0] == "next"
        stopper = threading.Thread(target=d.stop)
        stopper.start()
        rest = list(stream)
        stopper.join(timeout=60)
    assert rest[-1] == ("complete", None)
    assert rest[-2][1]["errors"][0]["extensions"]["code"] == "unavailable"

"""The daemon's protocols under bad input and bad clients (issue 16): each gets the
protocol's proper error or is dropped, without harming the others; one daemon per
data directory; a graceful stop on SIGTERM; `--watch` reloads through swap-on-success."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon_helpers import connect, exchange, post

from spacedrive_host import Unavailable
from spacedrive_host.daemon.client import DaemonClient
from spacedrive_host.daemon.serve import Daemon

LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory, built_plugins: Path) -> Iterator[Daemon]:
    with Daemon(tmp_path_factory.mktemp("d"), http_port=0, max_request_bytes=LIMIT) as d:
        assert d.host is not None
        d.host.execute("action:daemon.plugins.load.v1", {"path": str(built_plugins / "hostile")})
        yield d


def _ok(daemon: Daemon) -> None:
    """The daemon still answers a good call."""
    reply = exchange(
        daemon,
        b'{"jsonrpc": "2.0", "id": "ok", "method": "query:core.echo.v1", "params": {"input": {"value": 1}}}',
    )
    assert reply == {"jsonrpc": "2.0", "id": "ok", "result": {"output": {"value": 1}, "tail": ""}}


@pytest.mark.parametrize(
    ("line", "code", "message"),
    [
        (b"{not json", -32700, "parse error"),
        (b"[]", -32600, "empty batch"),
        (b"42", -32600, "not an object"),
        (b'{"id": 1, "method": "query:core.version.v1"}', -32600, '"jsonrpc" must be "2.0"'),
        (b'{"jsonrpc": "2.0", "id": 1, "method": 5}', -32600, '"method" must be a string'),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "query:core.nothing.v1"}', -32601, "no operation"),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "nonsense"}', -32602, "malformed method"),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "query:core.version.v1", "params": [1]}',
            -32602,
            "params must be an object",
        ),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "query:core.version.v1", "params": {"x": 1}}',
            -32602,
            "unknown params",
        ),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "query:core.echo.v1", "params": {"tail": "%%%"}}',
            -32602,
            "base64",
        ),
    ],
)
def test_malformed_requests_get_the_protocols_error(
    daemon: Daemon, line: bytes, code: int, message: str
) -> None:
    reply = exchange(daemon, line)
    assert reply["error"]["code"] == code
    assert message in reply["error"]["message"]
    _ok(daemon)


def test_a_batch_is_answered_per_request_and_notifications_not_at_all(daemon: Daemon) -> None:
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "query:core.echo.v1", "params": {"input": {"value": "a"}}},
        {"jsonrpc": "2.0", "method": "query:core.echo.v1", "params": {"input": {"value": "notified"}}},
        {"jsonrpc": "2.0", "id": "two", "method": "query:jobs.status.v1", "params": {"input": {"id": "x"}}},
        7,
    ]
    replies = exchange(daemon, json.dumps(batch).encode())
    assert [r["id"] for r in replies] == [1, "two", None]
    assert replies[0]["result"]["output"] == {"value": "a"}
    assert replies[1]["error"]["data"]["code"] == "not_found"
    assert replies[2]["error"]["code"] == -32600


def _echo(i: int) -> dict[str, object]:
    return {"jsonrpc": "2.0", "id": i, "method": "query:core.echo.v1", "params": {"input": {"value": i}}}


def test_a_line_nested_too_deep_is_a_parse_error_and_the_connection_serves_on(daemon: Daemon) -> None:
    good = json.dumps({**_echo(1), "id": "after"}).encode()
    with connect(daemon) as sock, sock.makefile("rb") as f:
        sock.sendall(b"[" * 30_000 + b"\n" + good + b"\n")
        first, second = json.loads(f.readline()), json.loads(f.readline())
    assert first["error"]["code"] == -32700
    assert second == {"jsonrpc": "2.0", "id": "after", "result": {"output": {"value": 1}, "tail": ""}}


def test_a_batchs_replies_are_bounded(daemon: Daemon, monkeypatch: pytest.MonkeyPatch) -> None:
    from spacedrive_host.daemon import rpc

    monkeypatch.setattr(rpc, "MAX_BATCH_REPLY_BYTES", 300)
    replies = exchange(daemon, json.dumps([_echo(i) for i in range(20)]).encode())
    assert [r["id"] for r in replies] == list(range(20))
    answered = [r for r in replies if "result" in r]
    refused = [r for r in replies if "error" in r]
    assert 1 < len(answered) < 20
    assert replies[: len(answered)] == answered  # the first ones ran, in order
    assert {r["error"]["data"]["code"] for r in refused} == {"limit_exceeded"}
    _ok(daemon)


def test_pipelined_lines_get_their_replies_in_order_past_the_reply_bound(
    daemon: Daemon, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spacedrive_host.daemon import unix

    monkeypatch.setattr(unix, "MAX_BATCH_REPLY_BYTES", 500)  # flushed every few replies
    with connect(daemon) as sock, sock.makefile("rb") as f:
        sock.sendall(b"".join(json.dumps(_echo(i)).encode() + b"\n" for i in range(200)))
        got = [json.loads(f.readline()) for _ in range(200)]
    assert [r["result"]["output"]["value"] for r in got] == list(range(200))


def test_an_oversized_request_is_refused_and_its_connection_closed(daemon: Daemon) -> None:
    with connect(daemon) as sock, sock.makefile("rb") as f:
        sock.sendall(b'{"pad": "' + b"x" * (LIMIT + 10) + b'"}\n')
        reply = json.loads(f.readline())
        assert reply["error"]["code"] == -32600
        assert f"larger than {LIMIT} bytes" in reply["error"]["message"]
        assert f.readline() == b""  # closed
    status, _body = post(daemon, "/rpc", b"x" * (LIMIT + 1))
    assert status == 413
    _ok(daemon)


@pytest.mark.parametrize("token", [None, "wrong", ""])
def test_http_wants_the_bearer_token(daemon: Daemon, token: str | None) -> None:
    body = b'{"jsonrpc": "2.0", "id": 1, "method": "query:core.version.v1"}'
    status, reply = post(daemon, "/rpc", body, token=token if token != "" else "")
    if token == "":  # the right token
        assert status == 200
        assert reply["result"]["output"]["abi_version"] == 1
    else:
        assert status == 401
        assert "bearer token" in reply["error"]
    status, _ = post(
        daemon, "/graphql", b'{"query": "{ core_version_v1 { json } }"}', token=token if token != "" else ""
    )
    assert status == (200 if token == "" else 401)


def test_the_console_token_becomes_a_cookie_and_pages_may_run_nothing(daemon: Daemon) -> None:
    assert daemon.http is not None
    conn = http.client.HTTPConnection(daemon.http.url.removeprefix("http://"), timeout=60)
    # ?token= is answered by a redirect to the same address without it, setting the cookie.
    conn.request("GET", f"/console/jobs?token={daemon.token}&x=1")
    res = conn.getresponse()
    res.read()
    assert res.status == 303
    assert res.getheader("Location") == "/console/jobs?x=1"
    cookie = res.getheader("Set-Cookie") or ""
    assert cookie.startswith(f"spacedrive_token={daemon.token};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    # The cookie alone then opens pages, each with a policy that lets no script run.
    conn.request("GET", "/console/jobs", headers={"Cookie": cookie.split(";", 1)[0]})
    res = conn.getresponse()
    assert b"<h1>Jobs</h1>" in res.read()
    assert res.status == 200
    policy = res.getheader("Content-Security-Policy") or ""
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src" not in policy
    assert res.getheader("X-Content-Type-Options") == "nosniff"
    assert res.getheader("Referrer-Policy") == "no-referrer"
    # A wrong token is not redirected, and sets nothing.
    conn.request("GET", "/console?token=wrong")
    res = conn.getresponse()
    res.read()
    assert res.status == 401
    assert res.getheader("Set-Cookie") is None
    conn.close()


def test_a_client_that_leaves_mid_call_or_stalls_harms_no_one(daemon: Daemon) -> None:
    # Leaves before its reply: a plugin call that spins to its deadline.
    sock = connect(daemon)
    sock.sendall(
        b'{"jsonrpc": "2.0", "id": 1, "method": "action:plugins.call.v1", '
        b'"params": {"input": {"plugin": "hostile", "method": "spin"}}}\n'
    )
    sock.close()
    # Stalls: half a request, never finished (it holds only its own connection).
    stalled = connect(daemon)
    stalled.sendall(b'{"jsonrpc": "2.0", "id": 1, "met')
    try:
        for _ in range(3):
            _ok(daemon)
    finally:
        stalled.close()


def test_a_client_that_does_not_read_its_replies_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spacedrive_host.daemon import unix

    monkeypatch.setattr(unix, "SEND_TIMEOUT_S", 0.5)
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "query:core.echo.v1",
        "params": {"input": {"value": "x" * 60_000}},
    }
    big = json.dumps(request).encode() + b"\n"
    with Daemon(tmp_path / "d") as d:  # its own: counting connections needs no one else's
        assert d.unix is not None
        server = d.unix
        sock = connect(d)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:
            sock.settimeout(0.05)
            with contextlib.suppress(OSError):  # its own sends stall too, once the daemon stops reading
                for _ in range(400):
                    sock.sendall(big)
            _ok(d)  # meanwhile the others are served
            _wait_for(lambda: server.connections == 0, "the drop")
            sock.settimeout(60)
            # Dropped: what was sent before the daemon gave up, then the end of the stream.
            with contextlib.suppress(ConnectionResetError):
                while sock.recv(1 << 20):
                    pass
        finally:
            sock.close()
        _ok(d)


def test_load_many_clients_mixing_good_and_faulting_calls(daemon: Daemon) -> None:
    """N clients x M calls: every reply matches its request, good calls never fail,
    calls into a plugin that traps get `trapped`, and the daemon's memory stays bounded."""
    clients, calls = 4, 40
    rss_before = _rss_kib()
    failures: list[str] = []

    def client(n: int) -> None:
        c = DaemonClient.connect(daemon.data_dir)
        assert c is not None
        with c:
            for i in range(calls):
                nonce = f"{n}-{i}"
                if i % 5 == 4:
                    try:
                        c.execute("action:plugins.call.v1", {"plugin": "hostile", "method": "panic"})
                        failures.append(f"{nonce}: panic did not fail")
                    except Exception as exc:
                        if getattr(exc, "code", None) is None or exc.code.value != "trapped":  # type: ignore[attr-defined]
                            failures.append(f"{nonce}: {exc!r}")
                    continue
                try:
                    out = c.execute("query:core.echo.v1", {"value": nonce}, tail=nonce.encode())
                except Exception as exc:
                    failures.append(f"{nonce}: {exc!r}")
                    continue
                if out.data() != {"value": nonce} or out.tail != nonce.encode():
                    failures.append(f"{nonce}: got {out!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert failures == []
    assert _rss_kib() - rss_before < 200 * 1024


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_second_daemon_on_the_same_data_dir_refuses(daemon: Daemon) -> None:
    with pytest.raises(Unavailable, match=r"another `spacedrive serve` \(pid \d+\) is serving"):
        Daemon(daemon.data_dir).start()
    _ok(daemon)  # and the first one's socket is untouched


def _wait_for(predicate: object, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_sigterm_stops_gracefully_and_the_cli_falls_back_to_embedded(
    tmp_path: Path, built_plugins: Path
) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "SPACEDRIVE_DATA_DIR": str(data)}

    def spacedrive(*args: str) -> subprocess.CompletedProcess[str]:
        cli = [sys.executable, "-m", "spacedrive_host", *args]
        return subprocess.run(cli, env=env, capture_output=True, text=True, check=False)

    for name in ("hello", "counter"):
        assert spacedrive("plugin", "load", str(built_plugins / name)).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "spacedrive_host", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    greet = ("plugin", "call", "hello", "greet", "--payload", '{"name": "daemon"}')
    try:
        _wait_for((data / "daemon.sock").exists, "the socket")
        called = spacedrive(*greet)
        assert called.returncode == 0, called.stderr
        assert json.loads(called.stdout)["greeting"] == "Hello, daemon!"
        status = json.loads(spacedrive("--json", "op", "call", "query:daemon.status.v1").stdout)
        assert status["pid"] == proc.pid  # it went through the daemon
        job_input = {
            "plugin": "counter",
            "job": "sum_squares",
            "input": {"n": 10**8, "chunk": 100, "work": 500},
        }
        job = json.loads(
            spacedrive("op", "call", "action:jobs.start.v1", "--payload", json.dumps(job_input)).stdout
        )
        get = ("op", "call", "query:jobs.status.v1", "--payload", json.dumps({"id": job["id"]}))
        _wait_for(lambda: json.loads(spacedrive(*get).stdout)["steps"] > 0, "a step of the job")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "SIGTERM: shutting down" in err
    assert not (data / "daemon.sock").exists()
    # No daemon now: the same commands run an embedded host, with the same answers; the
    # job was stopped at a checkpoint, unfinished, so the next start resumes it.
    assert json.loads(spacedrive(*greet).stdout) == json.loads(called.stdout)
    stopped = json.loads(spacedrive(*get).stdout)
    assert stopped["state"] in ("queued", "running")
    assert stopped["steps"] > 0


def test_watch_reloads_a_changed_build_and_keeps_the_old_one_on_a_broken_build(
    tmp_path: Path, built_plugins: Path
) -> None:
    build = tmp_path / "build"
    shutil.copytree(built_plugins / "hello", build / "hello")
    manifest = build / "hello" / "manifest.json"
    with Daemon(tmp_path / "data", watch=[build]) as d:
        assert d.host is not None
        host = d.host

        def version() -> str | None:
            return host.plugins.info("hello").manifest.version  # type: ignore[union-attr]

        assert version() == "0.1.0"
        m = json.loads(manifest.read_text())
        manifest.write_text(json.dumps({**m, "version": "0.2.0"}))
        _wait_for(lambda: version() == "0.2.0", "the reload")
        wasm = build / "hello" / m["wasm_file"]
        wasm.write_bytes(b"\x00asm broken")
        manifest.write_text(json.dumps({**m, "version": "0.3.0"}))
        time.sleep(3)  # past watchfiles' debounce: the broken build was tried and refused
        assert version() == "0.2.0"
        assert (
            host.call_plugin("hello", "greet", {"name": "still"}).data()["output"]["greeting"]
            == "Hello, still!"
        )

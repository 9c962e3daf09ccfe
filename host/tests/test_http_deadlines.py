"""The proxy's deadline and pinning edges, on real loopback sockets: a server that answers
just after the deadline, reads a body slowly, or leaves the connect pending (a full accept
queue); the per-operation stall bounds; a pinned address that is not the default loopback
one; and the socket layer's refusals when used outside a request. Each case is built so a
weakened bound lets the request succeed (the server answers in the end), so the test
fails by an assertion instead of hanging."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpcore
import pytest
from test_http_bounds import OK, RawServer, _self_signed, answer, proxy
from test_http_proxy import Route, Server, headers_back

from spacedrive_host import InvalidInput, LimitExceeded, Timeout, Unavailable
from spacedrive_host.net import HttpProxy, NetPolicy
from spacedrive_host.net import proxy as proxy_module
from spacedrive_host.net.proxy import (
    MAX_REQUEST_HEADER_BYTES,
    ProxyResponse,
    _Budget,
    _budget,
    _DeadlineStream,
    _PinnedBackend,
)

#: How long each server below holds out before it answers: well past every deadline the
#: tests set, so only a bound that works ends the request first.
HOLD_S = 2.0
BIG = 32 << 20  # a request body larger than loopback's socket buffers


def late(conn: socket.socket) -> None:
    time.sleep(HOLD_S)
    conn.sendall(OK)


def _drain(conn: socket.socket, pause: float, received: list[int]) -> None:
    """Reads the request body in 64 KiB pieces, ``pause`` seconds apart for ``HOLD_S``
    seconds, then as fast as it comes; answers once all of it is in. ``received``: how
    much of the body came."""
    got, until = 0, time.monotonic() + HOLD_S
    conn.settimeout(10)
    try:
        while got < BIG:
            chunk = conn.recv(65536)
            if not chunk:
                return
            got += len(chunk)
            if time.monotonic() < until:
                time.sleep(pause)
        conn.sendall(OK)
    finally:
        received.append(got)


def _stall_then_answer(conn: socket.socket) -> None:
    """Reads a little of the body, nothing for ``HOLD_S``, then answers at once (before the
    rest of the body is in, so no later read waits on the draining) and drains."""
    conn.settimeout(10)
    conn.recv(65536)
    time.sleep(HOLD_S)
    conn.sendall(OK)
    while conn.recv(1 << 20):
        pass


def post(p: proxy_module.HttpProxy, port: int, body: bytes = b"") -> int:
    return p.request("POST", f"http://t.test:{port}/", [], body, allowed_hosts=["t.test"]).status


def test_a_request_inside_a_short_deadline_succeeds() -> None:
    server = RawServer(answer)
    p = proxy(timeout_s=0.9)
    try:
        assert post(p, server.port, b"x") == 200
    finally:
        p.close()
        server.close()


def times_out(
    serve: Callable[[socket.socket], None], timeout_s: float, body: bytes = b"", match: str | None = None
) -> None:
    """A request to a server running ``serve`` ends in `Timeout`."""
    server = RawServer(serve)
    p = proxy(timeout_s=timeout_s)
    try:
        with pytest.raises(Timeout, match=match):
            post(p, server.port, body)
    finally:
        p.close()
        server.close()


def test_an_answer_after_the_deadline_is_a_timeout() -> None:
    times_out(late, 0.5, match=r"ran past its time limit \(0.5 s in total\)")


def test_a_body_read_slowly_is_cut_at_the_deadline() -> None:
    # Each send() finds room well inside any timeout, but the whole body takes seconds:
    # the write must stop at the deadline, not carry on to the end of the body.
    received: list[int] = []
    times_out(lambda conn: _drain(conn, 0.01, received), 1.0, b"b" * BIG)
    for _ in range(200):  # the server sees the connection close right after the timeout
        if received:
            break
        time.sleep(0.05)
    # Cut at the deadline, the server read about a second's worth (~6 MiB); a write that
    # ran on would have delivered nearly all of it once the server sped up.
    assert received[0] < BIG // 2


def test_one_read_may_stall_only_so_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proxy_module, "MAX_STALL_S", 0.3)
    times_out(late, 10.0)  # the total deadline is far; the stall bound ends it


def test_one_write_may_stall_only_so_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proxy_module, "MAX_STALL_S", 0.3)
    times_out(_stall_then_answer, 10.0, b"b" * BIG)


class Backlogged:
    """A listening socket whose accept queue is full, so a new connect stays pending (its
    SYN is dropped) until, after ``HOLD_S``, the queue is served and each connection
    answered."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", self.port))
            self.fillers.append(filler)
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        if self.stop.wait(HOLD_S):
            return
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.sendall(OK)
            conn.close()

    def close(self) -> None:
        self.stop.set()
        for filler in self.fillers:
            filler.close()
        self.sock.close()


@pytest.fixture
def backlogged() -> Iterator[Backlogged]:
    server = Backlogged()
    yield server
    server.close()


@pytest.mark.parametrize("bound", ["deadline", "connect"])
def test_a_pending_connect_ends_at_its_bound(
    backlogged: Backlogged, bound: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if bound == "connect":
        monkeypatch.setattr(proxy_module, "CONNECT_TIMEOUT_S", 0.3)
    p = proxy(timeout_s=0.5 if bound == "deadline" else 10.0)
    try:
        with pytest.raises(Timeout):
            post(p, backlogged.port)
    finally:
        p.close()


class LateTls(RawServer):
    """A TLS server that lets each handshake wait ``HOLD_S`` before it answers."""

    def _one(self, conn: socket.socket) -> None:
        time.sleep(HOLD_S)
        super()._one(conn)


@pytest.fixture
def late_tls(tmp_path: Path) -> Iterator[tuple[LateTls, ssl.SSLContext]]:
    cert, key = _self_signed("secure.test", tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server = LateTls(answer, tls=ctx)
    yield server, ssl.create_default_context(cafile=str(cert))
    server.close()


@pytest.mark.parametrize("bound", ["deadline", "connect"])
def test_a_stalled_tls_handshake_ends_at_its_bound(
    late_tls: tuple[LateTls, ssl.SSLContext], bound: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, trust = late_tls
    if bound == "connect":  # the handshake counts against the connect bound too
        monkeypatch.setattr(proxy_module, "CONNECT_TIMEOUT_S", 0.3)
    p = proxy(
        timeout_s=0.5 if bound == "deadline" else 10.0,
        allow_http=False,
        tls_context=trust,
        resolver=lambda h, port: ["127.0.0.1"],
    )
    try:
        with pytest.raises(Timeout):
            p.request("GET", f"https://secure.test:{server.port}/", [], b"", allowed_hosts=["secure.test"])
    finally:
        p.close()


def serve_once(address: str, path: str, host: str) -> tuple[ProxyResponse, str, bytes]:
    """One request to a server listening on ``address`` only, the name ``host`` pinned to
    it: the answer, the address the server was reached at, and the request it got."""
    sock = socket.create_server((address, 0), family=socket.AF_INET6 if ":" in address else socket.AF_INET)
    port = sock.getsockname()[1]
    seen: list[tuple[str, bytes]] = []

    def serve() -> None:
        conn, _ = sock.accept()
        seen.append((conn.getsockname()[0], conn.recv(65536)))
        conn.sendall(OK)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    literal = f"[{host}]" if ":" in host else host
    p = proxy(resolver=lambda h, port: [address])
    try:
        resp = p.request("GET", f"http://{literal}:{port}{path}", [], b"", allowed_hosts=[host])
    finally:
        p.close()
        sock.close()
    return resp, *seen[0]


def test_the_connection_goes_to_the_pinned_address_not_the_default_loopback() -> None:
    resp, reached, _ = serve_once("127.0.0.2", "/", "t.test")
    assert (resp.status, resp.body) == (200, b"ok")
    assert reached == "127.0.0.2"


# -- the socket layer outside a request --------------------------------------------------


@pytest.fixture
def budget() -> Iterator[_Budget]:
    b = _Budget(time.monotonic() + 60)
    token = _budget.set(b)
    yield b
    _budget.reset(token)


def test_the_budget_gives_the_time_left_or_less() -> None:
    b = _Budget(time.monotonic() + 60)
    assert 59 < b.left(None, httpcore.ReadTimeout) <= 60
    assert b.left(1.5, httpcore.ReadTimeout) == 1.5
    assert 59 < b.left(600.0, httpcore.ReadTimeout) <= 60
    with pytest.raises(httpcore.WriteTimeout, match=r"^the request's total deadline passed$"):
        _Budget(time.monotonic() - 0.001).left(1.0, httpcore.WriteTimeout)


def test_no_connection_opens_outside_a_request() -> None:
    with pytest.raises(httpcore.ConnectError, match=r"^no request budget: connections are opened by"):
        _PinnedBackend().connect_tcp("t.test", 80, 1.0)
    with pytest.raises(httpcore.ConnectError, match=r"^the proxy does not use Unix sockets$"):
        _PinnedBackend().connect_unix_socket("/tmp/x")


def test_a_name_without_a_checked_address_is_not_connected(budget: _Budget) -> None:
    budget.pinned["t.test"] = "127.0.0.1"
    with pytest.raises(httpcore.ConnectError, match=r"^'other.test' has no checked address for this"):
        _PinnedBackend().connect_tcp("other.test", 80, 1.0)


def test_a_stream_past_the_deadline_refuses_each_operation(budget: _Budget) -> None:
    server = RawServer(answer)
    budget.pinned["t.test"] = "127.0.0.1"
    backend = _PinnedBackend()
    backend.sleep(0.001)
    stream = backend.connect_tcp("t.test", server.port, 1.0)
    try:
        assert isinstance(stream, _DeadlineStream)
        assert stream.get_extra_info("socket").getpeername() == ("127.0.0.1", server.port)
        stream.write(b"GET / HTTP/1.1\r\nHost: t.test\r\n\r\n", 1.0)
        assert stream.read(65536, 1.0).startswith(b"HTTP/1.1 200 OK")
        budget.deadline = time.monotonic() - 0.001
        with pytest.raises(httpcore.ReadTimeout, match="deadline passed"):
            stream.read(1, 1.0)
        with pytest.raises(httpcore.WriteTimeout, match="deadline passed"):
            stream.write(b"x", 1.0)
        with pytest.raises(httpcore.ConnectTimeout, match="deadline passed"):
            stream.start_tls(ssl.create_default_context(), "t.test", 1.0)
        with pytest.raises(httpcore.ConnectTimeout, match="deadline passed"):
            backend.connect_tcp("t.test", server.port, 1.0)
    finally:
        stream.close()
        server.close()


def test_a_hop_starting_past_the_deadline_is_a_timeout(budget: _Budget) -> None:
    p = proxy(timeout_s=2.5)
    budget.deadline = time.monotonic() - 0.001
    try:
        with pytest.raises(Timeout, match=r"HTTP request to t.test ran past 2.5 s$"):
            p._send("GET", "http://t.test:1/", [], b"", ("t.test",), budget)
    finally:
        p.close()


# -- what each hop is sent: port, Host, target; the response bound ----------------------


class Redirected(httpcore.SyncBackend):
    """The socket layer under the pinned backend: records the (address, port) the proxy
    asked for and connects to the test server instead (the default ports, 80 and 443,
    cannot be bound by a test); with no server, refuses."""

    def __init__(self, port: int | None) -> None:
        self.port = port
        self.asked: list[tuple[str, int]] = []

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        self.asked.append((host, port))
        if self.port is None:
            raise httpcore.ConnectError("refused by the test")
        return super().connect_tcp("127.0.0.1", self.port, *args, **kwargs)


@pytest.fixture
def served() -> Iterator[RawServer]:
    server = RawServer(answer)
    yield server
    server.close()


@pytest.mark.parametrize(
    ("url", "port", "host_header"),
    [
        ("http://t.test", 80, b"t.test"),
        ("http://t.test:8080", 8080, b"t.test:8080"),
        ("https://t.test", 443, b"t.test"),
    ],
)
def test_the_default_port_and_host_header(
    served: RawServer, url: str, port: int, host_header: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    https = url.startswith("https")
    inner = Redirected(None if https else served.port)
    monkeypatch.setattr(httpcore, "SyncBackend", lambda: inner)
    p = proxy(allow_http=True, resolver=lambda h, port: ["127.0.0.1"])
    if https:  # only the port asked for matters here
        with pytest.raises(Unavailable, match="refused by the test"):
            p.request("GET", url, [], b"", allowed_hosts=["t.test"])
    else:
        assert p.request("GET", url, [], b"", allowed_hosts=["t.test"]).status == 200
        assert served.requests[0].startswith(b"GET / HTTP/1.1\r\n")
        assert f"\r\nHost: {host_header.decode()}\r\n".encode() in served.requests[0]
    p.close()
    assert inner.asked == [("127.0.0.1", port)]


def test_an_ipv6_literal_is_bracketed_in_the_host_header() -> None:
    resp, _, request = serve_once("::1", "/v6", "::1")
    assert resp.status == 200
    assert request.startswith(b"GET /v6 HTTP/1.1\r\n")
    port = resp.url.rsplit(":", 1)[1].split("/")[0]
    assert f"\r\nHost: [::1]:{port}\r\n".encode() in request


def _in_pieces(size: int) -> Callable[[socket.socket], None]:
    """Answers a body of ``size`` bytes in 100-byte sends, so the proxy reads it in many
    small chunks, each far under any bound."""

    def serve(conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n".encode())
        for start in range(0, size, 100):
            conn.sendall(b"x" * min(100, size - start))
            time.sleep(0.001)

    return serve


@pytest.mark.parametrize(("size", "allowed"), [(1000, True), (1001, False)])
def test_the_response_bound_counts_every_chunk(size: int, allowed: bool) -> None:
    server = RawServer(_in_pieces(size))
    p = HttpProxy(
        NetPolicy(allow_http=True, allow_loopback=True, resolver=lambda h, port: ["127.0.0.1"]),
        max_response_bytes=1000,
    )
    try:
        if allowed:
            assert p.request(
                "GET", f"http://t.test:{server.port}/", [], b"", allowed_hosts=["t.test"]
            ).body == (b"x" * size)
        else:
            with pytest.raises(
                LimitExceeded, match=r"^limit_exceeded: response from t.test is larger than 1000 bytes$"
            ):
                p.request("GET", f"http://t.test:{server.port}/", [], b"", allowed_hosts=["t.test"])
    finally:
        p.close()
        server.close()


def test_the_pinned_backend_passes_the_local_address_and_socket_options_on(budget: _Budget) -> None:
    server = RawServer(answer)
    budget.pinned["t.test"] = "127.0.0.1"
    keepalive = (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    stream = _PinnedBackend().connect_tcp("t.test", server.port, 1.0, "127.0.0.2", [keepalive])
    try:
        sock = stream.get_extra_info("socket")
        assert sock.getsockname()[0] == "127.0.0.2"
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    finally:
        stream.close()
        server.close()


def test_a_request_waiting_for_a_pooled_connection_ends_at_its_deadline() -> None:
    release = threading.Event()

    def hold(conn: socket.socket) -> None:
        release.wait(10)
        conn.sendall(OK)

    slow, fast = RawServer(hold), RawServer(answer)
    p = proxy(timeout_s=10.0)
    holders = [
        threading.Thread(target=post, args=(p, slow.port), daemon=True) for _ in range(32)
    ]  # the pool's every connection, held until released
    # A bound lost: the waiting request gets a connection once they are released, in
    # 5 s, and succeeds, so the test fails instead of hanging.
    timer = threading.Timer(5.0, release.set)
    try:
        for t in holders:
            t.start()
        for _ in range(1000):
            if len(slow.requests) == len(holders):
                break
            time.sleep(0.01)
        assert len(slow.requests) == len(holders)
        timer.start()
        p.timeout_s = 0.5  # read when a request starts: the holders keep theirs
        with pytest.raises(Timeout):
            post(p, fast.port)  # no free connection before its deadline
        assert not release.is_set()  # ... and it ended then, not once one came free
    finally:
        release.set()
        timer.cancel()
        for t in holders:
            t.join(10)
        p.close()
        slow.close()
        fast.close()


@pytest.mark.parametrize(("to", "kept"), [("/headers", True), ("http://b.test:{port}/headers", False)])
def test_authorization_stays_on_its_origin_across_a_redirect(to: str, kept: bool) -> None:
    # Same scheme and port, another name: another origin all the same.
    routes: dict[str, Route] = {"/headers": headers_back}
    server = Server(routes)
    port = server.httpd.server_address[1]
    routes["/hop"] = lambda req: (302, {"Location": to.format(port=port)}, b"")
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        resp = p.request(
            "GET",
            f"http://a.test:{port}/hop",
            [],
            b"",
            allowed_hosts=["a.test", "b.test"],
            authorization="Bearer tok",
        )
    finally:
        p.close()
        server.close()
    assert resp.url.endswith("/headers")
    assert [s.get("authorization") for s in server.seen] == ["Bearer tok", "Bearer tok" if kept else None]


# -- refusals before anything is sent, message by message -------------------------------

LONG_URL = "http://t.test:99999/" + "a" * 300


@pytest.mark.parametrize(
    ("method", "url", "headers", "message"),
    [
        ("GET", "http://t.test/", [("X-A", 1)], "header names and values must be strings"),
        ("GET", "http://t.test/", [(1, "v")], "header names and values must be strings"),
        ("GET", "http://t.test/", [("N" * 70 + " ", "v")], f"header name {'N' * 64!r} is not an HTTP token"),
        (
            "M" * 40,
            "http://t.test/",
            [],
            f"HTTP method {'M' * 32!r} is not supported (DELETE, GET, HEAD, PATCH, POST, PUT)",
        ),
        ("GET", LONG_URL, [], f"not a valid URL: {LONG_URL[:200]!r} (Port out of range 0-65535)"),
    ],
)
def test_refusals_name_the_problem(method: str, url: str, headers: list[Any], message: str) -> None:
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        with pytest.raises(InvalidInput) as refused:
            p.request(method, url, headers, b"", allowed_hosts=["t.test"])
    finally:
        p.close()
    assert refused.value.message == message


@pytest.mark.parametrize(("extra", "allowed"), [(0, True), (1, False)])
def test_request_headers_may_fill_the_size_bound_exactly(
    served: RawServer, extra: int, allowed: bool
) -> None:
    # Two headers, so the bound is on the sum (a count from 1 would refuse the exact fill).
    value = "a" * (MAX_REQUEST_HEADER_BYTES - len("X-A") - len("X-B") - 1 + extra)
    headers = [("X-A", value), ("X-B", "b")]
    p = proxy()
    try:
        if allowed:
            assert (
                p.request(
                    "GET", f"http://t.test:{served.port}/", headers, b"", allowed_hosts=["t.test"]
                ).status
                == 200
            )
        else:
            with pytest.raises(InvalidInput, match="larger than"):
                p.request("GET", f"http://t.test:{served.port}/", headers, b"", allowed_hosts=["t.test"])
    finally:
        p.close()


def test_the_hosts_credential_replaces_the_plugins_own_authorization(served: RawServer) -> None:
    p = proxy()
    headers = [("authorization", "Basic plugin"), ("X-Keep", "1")]
    try:
        p.request(
            "GET",
            f"http://t.test:{served.port}/",
            headers,
            b"",
            allowed_hosts=["t.test"],
            authorization="Bearer host",
        )
    finally:
        p.close()
    lines = served.requests[0].decode().lower().split("\r\n")
    assert [line for line in lines if line.startswith("authorization:")] == ["authorization: bearer host"]
    assert "x-keep: 1" in lines


@pytest.mark.parametrize(("redirects", "followed"), [(5, True), (6, False)])
def test_at_most_five_redirects_are_followed(redirects: int, followed: bool) -> None:
    routes: dict[str, Route] = {"/headers": headers_back, "/r0": headers_back}
    for n in range(1, redirects + 1):
        routes[f"/r{n}"] = lambda req, n=n: (307, {"Location": f"/r{n - 1}"}, b"")  # type: ignore[misc]
    routes["/done"] = lambda req: (200, {"Location": "/r1"}, b"not followed")  # not a redirect
    server = Server(routes)
    port = server.httpd.server_address[1]
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        assert p.request("GET", f"http://t.test:{port}/done", [], b"", allowed_hosts=["t.test"]).body == (
            b"not followed"
        )
        if followed:
            resp = p.request("GET", f"http://t.test:{port}/r{redirects}", [], b"", allowed_hosts=["t.test"])
            assert resp.url == f"http://t.test:{port}/r0"
        else:
            with pytest.raises(Unavailable, match="more than 5 redirects"):
                p.request("GET", f"http://t.test:{port}/r{redirects}", [], b"", allowed_hosts=["t.test"])
    finally:
        p.close()
        server.close()


BAD_LOCATION = "http://t.test:99999/" + "a" * 300


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_every_redirect_status_is_followed_and_an_invalid_target_refused(status: int) -> None:
    routes: dict[str, Route] = {
        "/headers": headers_back,
        "/go": lambda req: (status, {"Location": "/headers"}, b""),
        "/bad": lambda req: (status, {"Location": BAD_LOCATION}, b""),
    }
    server = Server(routes)
    port = server.httpd.server_address[1]
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        resp = p.request("GET", f"http://t.test:{port}/go", [], b"", allowed_hosts=["t.test"])
        assert resp.url == f"http://t.test:{port}/headers"
        with pytest.raises(Unavailable) as refused:
            p.request("GET", f"http://t.test:{port}/bad", [], b"", allowed_hosts=["t.test"])
        assert refused.value.message == f"a redirect points to an invalid URL: {BAD_LOCATION[:200]!r}"
    finally:
        p.close()
        server.close()


def test_the_default_deadline_is_the_documented_30_s() -> None:
    # docs/concepts/security.md and guides/http.md: "one total deadline of 30 s".
    assert HttpProxy(NetPolicy(), max_response_bytes=1).timeout_s == 30.0


def method_back(req: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    body = req.rfile.read(int(req.headers.get("Content-Length", 0) or 0))
    return 200, {}, req.command.encode() + b" " + body


@pytest.mark.parametrize(
    ("status", "then"), [(301, b"GET "), (302, b"GET "), (303, b"GET "), (307, b"POST x"), (308, b"POST x")]
)
def test_a_redirected_post_becomes_a_get_only_where_http_says(status: int, then: bytes) -> None:
    routes: dict[str, Route] = {
        "/method": method_back,
        "/go": lambda req: (status, {"Location": "/method"}, b""),
    }
    server = Server(routes)
    port = server.httpd.server_address[1]
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        resp = p.request("POST", f"http://t.test:{port}/go", [], b"x", allowed_hosts=["t.test"])
    finally:
        p.close()
        server.close()
    assert resp.body == then

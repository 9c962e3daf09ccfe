"""The proxy's bounds against real sockets on loopback: one total deadline over
connect, headers and body (a trickling server cannot hold a request past it);
connect failures and silent servers; bounded, ASCII request headers; DNS
pinning (a name resolves once, through the policy's resolver, and the
connection goes to that checked address); HTTPS with SNI against a loopback
TLS server whose self-signed certificate the test trusts."""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from spacedrive_host import Host, InvalidInput, PermissionDenied, Timeout, Unavailable
from spacedrive_host.net import HttpProxy, NetPolicy
from spacedrive_host.net.proxy import MAX_REQUEST_HEADER_BYTES, MAX_REQUEST_HEADERS


def _closed_port() -> int:
    sock = socket.create_server(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()  # nothing listens there now
    return port


CLOSED = _closed_port()
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


class RawServer:
    """A TCP server on 127.0.0.1 that runs ``serve(conn)`` for each connection."""

    def __init__(self, serve: Callable[[socket.socket], None], tls: ssl.SSLContext | None = None) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.tls = tls
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self._serve = serve
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            conn.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data)
            self._serve(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def answer(conn: socket.socket) -> None:
    conn.sendall(OK)


def resolver(table: dict[str, str], calls: list[str]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return [table[host]]

    return resolve


def proxy(timeout_s: float = 5.0, **policy: object) -> HttpProxy:
    calls: list[str] = []
    settings = {
        "allow_http": True,
        "allow_loopback": True,
        "resolver": resolver({"t.test": "127.0.0.1"}, calls),
    }
    settings.update(policy)
    return HttpProxy(NetPolicy(**settings), max_response_bytes=1 << 20, timeout_s=timeout_s)  # type: ignore[arg-type]


@pytest.fixture
def served() -> Iterator[RawServer]:
    s = RawServer(answer)
    yield s
    s.close()


def test_a_server_trickling_header_bytes_hits_the_total_deadline() -> None:
    stop = threading.Event()

    def trickle(conn: socket.socket) -> None:
        # Each byte comes well inside any per-read timeout; the whole answer takes ~6 s.
        for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100 + b"\r\n\r\n":
            if stop.wait(0.05):
                return
            conn.sendall(bytes([byte]))

    server = RawServer(trickle)
    p = proxy(timeout_s=1.0)
    try:
        with pytest.raises(Timeout, match="time limit"):
            p.request("GET", f"http://t.test:{server.port}/", [], b"", allowed_hosts=["t.test"])
    finally:
        stop.set()
        p.close()
        server.close()


def test_a_body_trickling_past_the_deadline_is_cut_too() -> None:
    stop = threading.Event()

    def trickle_body(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(1000):
            if stop.wait(0.01):
                return
            conn.sendall(b"x")

    server = RawServer(trickle_body)
    p = proxy(timeout_s=0.5)
    try:
        with pytest.raises(Timeout):
            p.request("GET", f"http://t.test:{server.port}/", [], b"", allowed_hosts=["t.test"])
    finally:
        stop.set()
        p.close()
        server.close()


def test_a_silent_server_times_out() -> None:
    stop = threading.Event()

    def silent(conn: socket.socket) -> None:
        stop.wait(20)

    server = RawServer(silent)
    p = proxy(timeout_s=0.5)
    try:
        with pytest.raises(Timeout):
            p.request("GET", f"http://t.test:{server.port}/", [], b"", allowed_hosts=["t.test"])
    finally:
        stop.set()
        p.close()
        server.close()


def test_a_refused_connection_is_unavailable() -> None:
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    p = proxy()
    try:
        with pytest.raises(Unavailable, match="ConnectError"):
            p.request("GET", f"http://t.test:{port}/", [], b"", allowed_hosts=["t.test"])
    finally:
        p.close()


def test_a_server_closing_without_answer_is_unavailable() -> None:
    server = RawServer(lambda conn: None)
    p = proxy()
    try:
        with pytest.raises(Unavailable):
            p.request("GET", f"http://t.test:{server.port}/", [], b"", allowed_hosts=["t.test"])
    finally:
        p.close()
        server.close()


def test_the_connection_goes_to_the_checked_address_without_a_second_lookup(
    served: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[object] = []
    real = socket.getaddrinfo

    def spy(host: object, *args: object, **kwargs: object) -> object:
        looked_up.append(host)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    calls: list[str] = []
    p = proxy(resolver=resolver({"pinned.test": "127.0.0.1"}, calls))
    try:
        resp = p.request("GET", f"http://pinned.test:{served.port}/x", [], b"", allowed_hosts=["pinned.test"])
    finally:
        p.close()
    assert resp.status == 200
    assert resp.body == b"ok"
    assert calls == ["pinned.test"]  # once, through the policy's resolver
    assert "pinned.test" not in looked_up  # the socket layer never resolved the name itself
    assert b"Host: pinned.test:" in served.requests[0]


def test_a_name_resolving_to_a_refused_address_is_never_connected(served: RawServer) -> None:
    p = proxy(allow_loopback=False, resolver=resolver({"t.test": "127.0.0.1"}, []))
    try:
        with pytest.raises(PermissionDenied, match="Loopback"):
            p.request("GET", f"http://t.test:{served.port}/", [], b"", allowed_hosts=["t.test"])
    finally:
        p.close()
    assert served.requests == []


@pytest.mark.parametrize(
    ("headers", "match"),
    [
        ([("X-A", "é")], "printable ASCII"),
        ([("X-A", "a\r\nInjected: 1")], "printable ASCII"),
        ([("X-A", "a\0b")], "printable ASCII"),
        ([("Bad Name", "1")], "token"),
        ([("", "1")], "token"),
        ([(f"X-{i}", "1") for i in range(MAX_REQUEST_HEADERS + 1)], "more than"),
        ([("X-Big", "a" * (MAX_REQUEST_HEADER_BYTES + 1))], "larger than"),
        ([(f"X-{i}", "a" * 1000) for i in range(20)], "larger than"),
    ],
)
def test_request_headers_are_bounded_and_ascii(
    served: RawServer, headers: list[tuple[str, str]], match: str
) -> None:
    p = proxy()
    try:
        with pytest.raises(InvalidInput, match=match):
            p.request("GET", f"http://t.test:{served.port}/", headers, b"", allowed_hosts=["t.test"])
    finally:
        p.close()
    assert served.requests == []  # refused before anything was sent


@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=200)), max_size=80))
def test_any_header_list_is_sent_or_refused_as_invalid_input(headers: list[tuple[str, str]]) -> None:
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        # Nothing listens on CLOSED, so a header list that passes ends in a connect
        # failure; what matters is that nothing else (internal) comes out.
        p.request("GET", f"http://t.test:{CLOSED}/", headers, b"", allowed_hosts=["t.test"])
    except (InvalidInput, Unavailable):
        pass
    finally:
        p.close()


@pytest.mark.parametrize(
    "url", ["http://t.test:99999/", "http://t.test:port/", "http://[::1/", "http://[::1]:x/"]
)
def test_bad_urls_are_invalid_input_through_the_operation(tmp_path: Path, url: str) -> None:
    policy = NetPolicy(allow_http=True, allow_loopback=True, resolver=lambda h, p: ["127.0.0.1"])
    with Host(data_dir=tmp_path, net_policy=policy) as host:
        with pytest.raises(InvalidInput):
            host.execute("action:http.request.v1", {"url": url})
        with pytest.raises(InvalidInput):
            host.execute("action:http.request.v1", {"url": "http://t.test/", "headers": {"X-A": "naïve"}})


# -- HTTPS and SNI -------------------------------------------------------------


def _self_signed(name: str, tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / f"{name}.pem", tmp / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[RawServer, Path, list[str | None]]]:
    cert, key = _self_signed("secure.test", tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    sni: list[str | None] = []
    ctx.sni_callback = lambda sock, name, c: sni.append(name)
    server = RawServer(answer, tls=ctx)
    yield server, cert, sni
    server.close()


def test_https_to_a_pinned_address_verifies_the_name_and_sends_it_as_sni(
    tls_server: tuple[RawServer, Path, list[str | None]],
) -> None:
    server, cert, sni = tls_server
    trust = ssl.create_default_context(cafile=str(cert))
    p = proxy(allow_http=False, tls_context=trust, resolver=lambda h, port: ["127.0.0.1"])
    try:
        resp = p.request("GET", f"https://secure.test:{server.port}/", [], b"", allowed_hosts=["secure.test"])
    finally:
        p.close()
    assert resp.status == 200
    assert sni == ["secure.test"]


def test_https_with_an_untrusted_certificate_is_unavailable(
    tls_server: tuple[RawServer, Path, list[str | None]],
) -> None:
    server, _, _ = tls_server
    p = proxy(allow_http=False, resolver=lambda h, port: ["127.0.0.1"])  # system CAs only
    try:
        with pytest.raises(Unavailable):
            p.request("GET", f"https://secure.test:{server.port}/", [], b"", allowed_hosts=["secure.test"])
    finally:
        p.close()


def test_https_for_a_name_the_certificate_does_not_cover_is_unavailable(
    tls_server: tuple[RawServer, Path, list[str | None]],
) -> None:
    server, cert, _ = tls_server
    trust = ssl.create_default_context(cafile=str(cert))
    p = proxy(allow_http=False, tls_context=trust, resolver=lambda h, port: ["127.0.0.1"])
    try:
        with pytest.raises(Unavailable):
            p.request("GET", f"https://other.test:{server.port}/", [], b"", allowed_hosts=["other.test"])
    finally:
        p.close()


def test_a_path_with_spaces_and_non_ascii_is_sent_percent_encoded(served: RawServer) -> None:
    p = proxy()
    try:
        resp = p.request(
            "GET", f"http://t.test:{served.port}/a b/café?q=ü&r=%41", [], b"", allowed_hosts=["t.test"]
        )
    finally:
        p.close()
    assert resp.status == 200
    assert served.requests[0].startswith(b"GET /a%20b/caf%C3%A9?q=%C3%BC&r=%41 HTTP/1.1\r\n")


def test_a_non_ascii_host_is_invalid_input() -> None:
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        with pytest.raises(InvalidInput, match="IDNA"):
            p.request("GET", "http://bücher.test/", [], b"", allowed_hosts=["bücher.test"])
    finally:
        p.close()


@given(st.text(max_size=60))
def test_any_url_gets_a_typed_answer(tail: str) -> None:
    p = proxy(resolver=lambda h, port: ["127.0.0.1"])
    try:
        p.request("GET", f"http://t.test:{CLOSED}/{tail}", [], b"", allowed_hosts=["t.test"])
    except (InvalidInput, Unavailable, PermissionDenied):
        pass
    finally:
        p.close()

"""The HTTP proxy against real HTTP servers on loopback: allow-list, redirects
checked hop by hop, size limits, hop-by-hop headers, credentials attached by
the host; through `spacedrive_http` from a real plugin and as an operation."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from wat import plugin_copy

from spacedrive_host import Host, HostLimits, InvalidInput, LimitExceeded, PermissionDenied, Unavailable
from spacedrive_host.net import NetPolicy


def resolve(host: str, port: int) -> list[str]:
    # `internal.test` stands for an allow-listed name whose DNS points inside the network.
    return {"internal.test": ["10.0.0.1"], "127.0.0.1": ["127.0.0.1"], "localhost": ["127.0.0.1"]}[host]


LOOPBACK = NetPolicy(allow_http=True, allow_loopback=True, resolver=resolve)
Route = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class Server:
    """A real HTTP server on 127.0.0.1 with a few routes."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.seen: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                server.seen.append({k.lower(): v for k, v in self.headers.items()})
                route = routes.get(self.path.split("?")[0])
                status, headers, body = route(self) if route else (404, {}, b"")
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def headers_back(req: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    body = req.rfile.read(int(req.headers.get("Content-Length", 0) or 0))
    return (
        200,
        {"Content-Type": "application/json", "Keep-Alive": "timeout=5"},
        json.dumps(
            {"headers": {k.lower(): v for k, v in req.headers.items()}, "body": body.decode()}
        ).encode(),
    )


@pytest.fixture
def other() -> Iterator[Server]:
    s = Server({"/headers": headers_back})
    yield s
    s.close()


@pytest.fixture
def server(other: Server) -> Iterator[Server]:
    def redirect(to: str) -> Route:
        return lambda req: (302, {"Location": to}, b"")

    s = Server(
        {
            "/headers": headers_back,
            "/big": lambda req: (200, {}, b"x" * 200_000),
            "/to-private": redirect("http://internal.test/"),
            "/to-private-ip": redirect("http://10.0.0.1/"),
            "/to-localhost": redirect("/headers".join(["http://localhost:1", ""])),
            "/to-other": redirect(f"{other.base}/headers"),
            "/loop": redirect("/loop"),
            "/post-303": lambda req: (303, {"Location": "/headers"}, b""),
        }
    )
    yield s
    s.close()


@pytest.fixture
def host(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with Host(
        data_dir=tmp_path / "h", net_policy=LOOPBACK, limits=HostLimits(max_payload_bytes=100_000)
    ) as h:
        for name, methods, hosts in (
            ("web", ["http.", "credentials."], ["127.0.0.1", "internal.test"]),
            ("offline", ["http."], []),
        ):
            permissions = {"methods": methods, "http_hosts": hosts}
            h.plugins.load(
                plugin_copy(built_plugins / "echo", tmp_path / name, id=name, permissions=permissions)
            )
        yield h


def fetch(
    host: Host, plugin: str, request: dict[str, Any], body: bytes = b""
) -> tuple[dict[str, Any], bytes]:
    out = host.call_plugin(plugin, "fetch", request, tail=body)
    return out.data()["output"], out.tail


def test_a_plugin_fetches_through_spacedrive_http(host: Host, server: Server) -> None:
    resp, body = fetch(
        host,
        "web",
        {
            "method": "POST",
            "url": f"{server.base}/headers",
            "headers": {"X-Custom": "1", "Connection": "upgrade", "Proxy-Authorization": "p"},
        },
        b"payload",
    )
    assert resp["status"] == 200
    echoed = json.loads(body)
    assert echoed["body"] == "payload"
    assert echoed["headers"]["x-custom"] == "1"
    assert "proxy-authorization" not in echoed["headers"]  # hop-by-hop, stripped on the way out
    assert echoed["headers"].get("connection") != "upgrade"
    names = {k.lower() for k, _ in resp["headers"]}
    assert "keep-alive" not in names  # and on the way back
    assert "content-type" in names


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/to-private", PermissionDenied, "may not reach: 10.0.0.1"),
        ("/to-private-ip", PermissionDenied, "'10.0.0.1' is not in the manifest's http_hosts"),
        ("/to-localhost", PermissionDenied, "'localhost' is not in the manifest's http_hosts"),
        ("/loop", Unavailable, "more than 5 redirects"),
        ("/big", LimitExceeded, "larger than"),
    ],
)
def test_every_hop_is_checked(
    host: Host, server: Server, path: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        fetch(host, "web", {"url": f"{server.base}{path}"})
    assert host.call_plugin("web", "echo", "still fine").data()["output"] == "still fine"


def test_303_turns_a_post_into_a_get(host: Host, server: Server) -> None:
    resp, body = fetch(host, "web", {"method": "POST", "url": f"{server.base}/post-303"}, b"dropped")
    assert resp["url"].endswith("/headers")
    assert json.loads(body)["body"] == ""


def test_the_host_attaches_a_credential_and_keeps_it_on_its_origin(
    host: Host, server: Server, other: Server
) -> None:
    token = {
        "access_token": "tok-123",
        "token_url": f"{server.base}/token",
        "client_id": "c",
        "expires_at": time.time() + 3600,
    }
    host.call_plugin(
        "web", "relay", {"method": "action:credentials.store.v1", "input": {"name": "api", "oauth2": token}}
    )
    _, body = fetch(host, "web", {"url": f"{server.base}/headers", "credential": "api"})
    assert json.loads(body)["headers"]["authorization"] == "Bearer tok-123"
    _, body = fetch(host, "web", {"url": f"{server.base}/to-other", "credential": "api"})
    assert "authorization" not in json.loads(body)["headers"]  # another origin (port): dropped


def test_hosts_and_schemes_are_enforced(host: Host, server: Server, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="http_hosts"):
        fetch(host, "offline", {"url": f"{server.base}/headers"})
    with pytest.raises(InvalidInput, match="not an http"):
        fetch(host, "web", {"url": "file:///etc/passwd"})
    with pytest.raises(InvalidInput, match="not supported"):
        fetch(host, "web", {"method": "CONNECT", "url": f"{server.base}/headers"})
    with Host(data_dir=tmp_path / "strict") as strict, pytest.raises(PermissionDenied, match="only https"):
        strict.execute("action:http.request.v1", {"url": f"{server.base}/headers"})  # the default policy


def test_the_operation_serves_trusted_callers_too(host: Host, server: Server) -> None:
    out = host.execute("action:http.request.v1", {"url": f"{server.base}/headers"})
    assert out.data()["status"] == 200
    assert json.loads(out.tail)["headers"]["host"].startswith("127.0.0.1:")

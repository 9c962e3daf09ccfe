"""Talking to a test daemon: raw JSON-RPC lines on its socket, JSON over its HTTP endpoint."""

from __future__ import annotations

import json
import shutil
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from spacedrive_host.daemon.serve import Daemon


def connect(daemon: Daemon) -> socket.socket:
    assert daemon.unix is not None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(60)
    sock.connect(str(daemon.unix.path))
    return sock


def exchange_raw(daemon: Daemon, line: bytes) -> bytes:
    """Sends one line; the reply line as sent, without its newline (b"" if none came)."""
    with connect(daemon) as sock, sock.makefile("rb") as f:
        sock.sendall(line + b"\n")
        return f.readline().removesuffix(b"\n")


def exchange(daemon: Daemon, line: bytes) -> Any:
    """Sends one line; the parsed reply line (None if the daemon closed without one)."""
    reply = exchange_raw(daemon, line)
    return json.loads(reply) if reply else None


def post_raw(daemon: Daemon, path: str, body: bytes, token: str | None = "") -> tuple[int, bytes]:
    """POSTs to the daemon's HTTP endpoint with the right token (or ``token`` if given):
    the status and the body as sent."""
    assert daemon.http is not None
    headers = {"Content-Type": "application/json"}
    given = daemon.token if token == "" else token
    if given is not None:
        headers["Authorization"] = f"Bearer {given}"
    req = urllib.request.Request(daemon.http.url + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def post(daemon: Daemon, path: str, body: bytes, token: str | None = "") -> tuple[int, Any]:
    """`post_raw` with the body parsed (None if empty; an error's empty body is null too)."""
    status, raw = post_raw(daemon, path, body, token)
    return status, json.loads(raw) if raw else None


def widened_echo(built_plugins: Path, dest: Path, methods: list[str]) -> Path:
    """The echo plugin under another id, granted ``methods`` (its `relay` calls any of them)."""
    dest.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((built_plugins / "echo" / "manifest.json").read_text())
    manifest["id"] = "relay"
    manifest["permissions"]["methods"] = methods
    (dest / "manifest.json").write_text(json.dumps(manifest))
    shutil.copy(built_plugins / "echo" / manifest["wasm_file"], dest / manifest["wasm_file"])
    return dest

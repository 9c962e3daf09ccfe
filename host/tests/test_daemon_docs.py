"""The JSON-RPC and GraphQL pages' example sessions, replayed against a real daemon:
each documented reply is what the daemon answers."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon_helpers import exchange, post

from spacedrive_host.daemon.serve import Daemon

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reference"


def session(page: str) -> list[tuple[str, str]]:
    """The (sent, received) pairs of a page's example session."""
    lines = (DOCS / page).read_text().splitlines()
    sent = [ln.removeprefix("--> ") for ln in lines if ln.startswith("--> ")]
    received = [ln.removeprefix("<-- ") for ln in lines if ln.startswith("<-- ")]
    assert sent
    assert len(sent) == len(received)
    return list(zip(sent, received, strict=True))


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    with Daemon(tmp_path_factory.mktemp("d"), http_port=0) as d:
        yield d


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

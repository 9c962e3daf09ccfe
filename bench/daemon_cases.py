"""The daemon's rows: calls over JSON-RPC (Unix socket) and GraphQL (loopback HTTP) vs
the in-process Python API; 1, 2 and 4 concurrent clients; the CLI's start-up through
a running daemon, as a multiple of `python3 -c pass`.

The daemon is a real `spacedrive serve` subprocess; each concurrent client is its own
process (clients in one process would measure that process's GIL, not the daemon)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import Case
from spacedrive_host import Host
from spacedrive_host.daemon.client import DaemonClient

ECHO = {"value": {"n": 1, "s": "x" * 100}}
SPACEDRIVE = [sys.executable, "-m", "spacedrive_host"]


@contextmanager
def serving(data: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "SPACEDRIVE_DATA_DIR": str(data)}
    proc = subprocess.Popen([*SPACEDRIVE, "serve", "--http"], env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (data / "daemon.http").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("spacedrive serve did not start")
            time.sleep(0.05)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def calls(host: Host, data: Path) -> list[Case]:
    client = DaemonClient.connect(data)
    assert client is not None
    token = (data / "daemon.token").read_text().strip()
    port = int((data / "daemon.http").read_text().strip().rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port)
    query = json.dumps(
        {"query": "query Q($i: JSON) { core_echo_v1(input: $i) { json } }", "variables": {"i": ECHO}}
    )
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def graphql() -> None:
        conn.request("POST", "/graphql", query, headers)
        reply = conn.getresponse().read()
        assert b'"errors"' not in reply, reply

    base = "daemon.python-api"
    return [
        Case(
            base,
            "daemon",
            lambda: host.execute("query:core.echo.v1", ECHO),
            repeat=200,
            note="query:core.echo.v1 in process (the baseline)",
        ),
        Case(
            "daemon.jsonrpc-unix",
            "daemon",
            lambda: client.execute("query:core.echo.v1", ECHO),
            repeat=50,
            baseline=base,
            note="one client, one connection, `spacedrive serve` in another process",
        ),
        Case(
            "daemon.graphql-http",
            "daemon",
            graphql,
            repeat=20,
            baseline=base,
            note="POST /graphql on a kept-alive loopback connection",
        ),
    ]


_CLIENT = """
import sys, time
from pathlib import Path
from spacedrive_host.daemon.client import DaemonClient
c = DaemonClient.connect(Path(sys.argv[1]))
value = {"value": {"n": 1, "s": "x" * 100}}
c.execute("query:core.echo.v1", value)
print("ready", flush=True)
for line in sys.stdin:  # "START SECONDS": count calls in that window
    start, seconds = map(float, line.split())
    while time.time() < start:
        time.sleep(0.0005)
    n = 0
    while time.time() < start + seconds:
        c.execute("query:core.echo.v1", value)
        n += 1
    print(n, flush=True)
"""


def concurrency(data: Path, seconds: float, rounds: int = 9) -> dict[str, float]:
    """Calls per second over the Unix socket with 1, 2 and 4 client processes.

    The windows alternate (1, 2, 4, 1, 2, 4, ...) and each count is the median of its
    rounds: on a shared machine the load drifts, and one window per count measured that
    drift as much as the daemon. The clients start once, before any window."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CLIENT, str(data)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    try:
        for p in procs:
            assert p.stdout is not None
            assert p.stdout.readline().strip() == "ready"
        rates: dict[str, list[float]] = {"1": [], "2": [], "4": []}
        window = seconds / rounds
        for _ in range(rounds):
            for clients in (1, 2, 4):
                start = time.time() + 0.05
                for p in procs[:clients]:
                    assert p.stdin is not None
                    p.stdin.write(f"{start} {window}\n")
                    p.stdin.flush()
                total = sum(int(p.stdout.readline()) for p in procs[:clients] if p.stdout)
                rates[str(clients)].append(total / window)
        return {k: statistics.median(v) for k, v in rates.items()}
    finally:
        for p in procs:
            if p.stdin is not None:
                p.stdin.close()
            p.wait(timeout=60)


def startup(data: Path) -> list[Case]:
    env = {**os.environ, "SPACEDRIVE_DATA_DIR": str(data)}

    def run(*argv: str) -> None:
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)

    base = "startup.python-c-pass"
    return [
        Case(base, "startup", lambda: run(sys.executable, "-c", "pass"), note="the baseline"),
        Case("startup.spacedrive-help", "startup", lambda: run(*SPACEDRIVE, "--help"), baseline=base),
        Case(
            "startup.op-call-via-daemon",
            "startup",
            lambda: run(*SPACEDRIVE, "op", "call", "query:core.version.v1"),
            baseline=base,
            note="`spacedrive op call query:core.version.v1` answered by a running daemon",
        ),
    ]

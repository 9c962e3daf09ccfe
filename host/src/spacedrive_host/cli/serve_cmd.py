"""`spacedrive serve`: the daemon (needs the `daemon` extra for HTTP, GraphQL and --watch)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import Settings, handled, out_console


def serve(
    ctx: typer.Context,
    http: Annotated[
        bool, typer.Option(help="Also serve HTTP on 127.0.0.1: JSON-RPC, GraphQL and the web console.")
    ] = False,
    port: Annotated[int, typer.Option(help="The HTTP port (0: any free one, written to daemon.http).")] = 0,
    watch: Annotated[
        list[Path] | None,
        typer.Option(help="A plugin build folder to load and reload when it changes (repeatable)."),
    ] = None,
    grace: Annotated[float, typer.Option(help="Seconds running calls get to finish at shutdown.")] = 10.0,
) -> None:
    """Run one long-lived host for the data directory, until SIGTERM or Ctrl-C.

    JSON-RPC 2.0 on the Unix socket `daemon.sock` of the data directory; other
    `spacedrive` commands on the same data directory go through it."""
    from ..daemon.serve import Daemon

    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    with handled():
        daemon = Daemon(
            settings.data_dir, http_port=port if http else None, watch=watch, grace_s=grace
        ).start()
    assert daemon.unix is not None
    out_console.print(f"serving {daemon.data_dir} on {daemon.unix.path}", soft_wrap=True)
    if daemon.http is not None:
        out_console.print(
            f"http: {daemon.http.url}/console (token in {daemon.data_dir / 'daemon.token'})", soft_wrap=True
        )
    daemon.serve_forever()

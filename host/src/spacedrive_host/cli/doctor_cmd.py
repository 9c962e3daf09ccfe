"""`spacedrive doctor`: check the data directory's stores; `--repair` quarantines what is damaged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import Unavailable
from .common import Settings, handled, out_console

if TYPE_CHECKING:
    from pathlib import Path


def doctor(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option(help="Set damaged files aside (renamed, never deleted) and recreate them.")
    ] = False,
) -> None:
    """Check every store of the data directory (library, jobs, vault and its key)."""
    from ..data_dir import DataDir
    from ..doctor import check

    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    with handled():
        root = DataDir(settings.data_dir).root
        serving = _daemon_pid(root)
        if serving is not None and repair:
            raise Unavailable(
                f"a daemon (pid {serving}) is serving {root} and holds its stores open: "
                "stop it before `spacedrive doctor --repair`"
            )
        findings = check(root, repair=repair) if root.is_dir() else []
    table = Table("file", "status", "detail")
    colour = {"ok": "green", "missing": "dim", "damaged": "bold red", "repaired": "yellow"}
    for f in findings:
        table.add_row(escape(f.file.name), f"[{colour[f.status]}]{f.status}[/]", escape(f.detail))
    out_console.print(f"data directory: {root}")
    if serving is not None:
        out_console.print(f"a daemon (pid {serving}) is serving it: checked from here, read-only, beside it")
    out_console.print(table)
    if any(f.status == "damaged" for f in findings):
        out_console.print(
            "damaged files found: `spacedrive doctor --repair` sets them aside and starts afresh"
        )
        raise typer.Exit(1)


def _daemon_pid(root: Path) -> int | None:
    """The pid of the daemon serving ``root``, if one does (doctor never goes through it:
    it checks the files themselves)."""
    from ..daemon.client import DaemonClient

    client = DaemonClient.connect(root)
    if client is None:
        return None
    with client:
        return int(client.execute("query:daemon.status.v1").data()["pid"])

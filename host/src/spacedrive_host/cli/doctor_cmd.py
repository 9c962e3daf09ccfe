"""`spacedrive doctor`: check the data directory's stores; `--repair` quarantines what is damaged."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .common import Settings, handled, out_console


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
        findings = check(root, repair=repair) if root.is_dir() else []
    table = Table("file", "status", "detail")
    colour = {"ok": "green", "missing": "dim", "damaged": "bold red", "repaired": "yellow"}
    for f in findings:
        table.add_row(escape(f.file.name), f"[{colour[f.status]}]{f.status}[/]", escape(f.detail))
    out_console.print(f"data directory: {root}")
    out_console.print(table)
    if any(f.status == "damaged" for f in findings):
        out_console.print(
            "damaged files found: `spacedrive doctor --repair` sets them aside and starts afresh"
        )
        raise typer.Exit(1)

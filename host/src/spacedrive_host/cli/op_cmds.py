"""`spacedrive op ...`: the host's operations, through the same wire plugins use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from ..errors import InvalidInput
from .common import Settings, emit, handled, operations, out_console, parse_payload, read_tail

app = typer.Typer(help="List and call host operations.", no_args_is_help=True)


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


@app.command("list")
def list_ops(ctx: typer.Context) -> None:
    """List every registered operation (a running daemon's, with its own `daemon.*` ones)."""
    from ..host import Host

    settings = _settings(ctx)
    with operations(settings) as where:
        if isinstance(where, Host):
            ops = [
                {"method": op.method, "scope": op.scope.value, "description": op.description}
                for op in where.registry
            ]
        else:
            ops = where.execute("query:daemon.operations.v1").data()["operations"]
    if settings.json:
        emit(ops, b"", None)
        return
    table = Table("method", "scope", "description")
    for op in ops:
        table.add_row(op["method"], op["scope"], op["description"])
    out_console.print(table)


@app.command()
def call(
    ctx: typer.Context,
    method: Annotated[str, typer.Argument(help="e.g. query:core.version.v1")],
    payload: Annotated[str | None, typer.Option(help="JSON input.")] = None,
    library: Annotated[str | None, typer.Option(help="Library id, for library operations.")] = None,
    tail_file: Annotated[Path | None, typer.Option(help="Send this file's bytes as the binary tail.")] = None,
    tail_out: Annotated[Path | None, typer.Option(help="Write the reply's binary tail here.")] = None,
) -> None:
    """Execute one operation and print its JSON output."""
    with handled():
        value = parse_payload(payload)
        tail = read_tail(tail_file)
        try:
            library_id = UUID(library) if library else None
        except ValueError:
            raise InvalidInput(f"--library {library!r} is not a UUID") from None
    with operations(_settings(ctx)) as ops, handled():
        response = ops.execute(method, value, library_id=library_id, tail=tail)
    emit(response.data(), response.tail, tail_out)

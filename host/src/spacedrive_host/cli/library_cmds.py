"""`spacedrive library ...`: libraries over folders, through the same wire."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from ..errors import InvalidInput
from .common import Settings, emit, handled, operations, out_console

app = typer.Typer(help="Create, index and list libraries.", no_args_is_help=True)


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def _library_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a library id (UUID)") from None


@app.command()
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the library.")],
    root: Annotated[Path, typer.Argument(help="The folder it covers.")],
) -> None:
    """Create a library over a folder (then index it)."""
    with operations(_settings(ctx)) as host, handled():
        lib = host.execute("action:libraries.create.v1", {"name": name, "root": str(root)}).data()
    if _settings(ctx).json:
        emit(lib, b"", None)
        return
    out_console.print(f"created library {lib['name']} {lib['id']} over {lib['root']}")


@app.command()
def index(ctx: typer.Context, library: Annotated[str, typer.Argument(help="The library's id.")]) -> None:
    """Index a library's folder: new and changed files are hashed, vanished ones dropped."""
    with operations(_settings(ctx)) as host, handled():
        r = host.execute("action:libraries.index.v1", library_id=_library_id(library)).data()
    if _settings(ctx).json:
        emit(r, b"", None)
        return
    out_console.print(
        f"indexed: {r['added']} added, {r['updated']} updated, "
        f"{r['removed']} removed, {r['unchanged']} unchanged"
    )


@app.command("ls")
def ls(
    ctx: typer.Context,
    library: Annotated[str | None, typer.Argument(help="A library's id; without it, list libraries.")] = None,
    prefix: Annotated[str, typer.Option(help="Only paths starting with this.")] = "",
    limit: Annotated[int, typer.Option(help="At most this many entries.")] = 100,
) -> None:
    """List libraries, or the entries of one."""
    with operations(_settings(ctx)) as host, handled():
        if library is None:
            libs = host.execute("query:libraries.list.v1").data()
            if _settings(ctx).json:
                emit(libs, b"", None)
                return
            table = Table("id", "name", "root")
            for lib in libs["libraries"]:
                table.add_row(lib["id"], lib["name"], lib["root"] or "")
        else:
            page = host.execute(
                "query:vdfs.entries.list.v1",
                {"prefix": prefix, "limit": limit},
                library_id=_library_id(library),
            ).data()
            if _settings(ctx).json:
                emit(page, b"", None)
                return
            table = Table("path", "size", "kind", "sha256", title=f"{page['total']} entries")
            for e in page["entries"]:
                table.add_row(e["path"], str(e["size"]), e["kind"], e["content_hash"][:12])
    out_console.print(table)

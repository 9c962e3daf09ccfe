"""`spacedrive plugin grant | revoke | grants`: the operator's library grants, as JSON.

A plugin whose manifest asks for ``"libraries": ["granted"]`` reaches exactly the
libraries granted here (per data directory), by name or id."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import Settings, emit, handled, operations
from .plugin_cmds import app

__all__ = ["grant", "grants", "revoke"]

Plugin = Annotated[str, typer.Argument(help="The plugin's id (installed or not).")]
LibraryRef = Annotated[str, typer.Option("--library", help="The library's name or id.")]


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def _change(ctx: typer.Context, method: str, plugin: str, library: str) -> None:
    with operations(_settings(ctx)) as ops, handled():
        result = ops.execute(method, {"plugin": plugin, "library": library}).data()
    emit(result, b"", None)


@app.command()
def grant(ctx: typer.Context, plugin: Plugin, library: LibraryRef) -> None:
    """Let a plugin use a library (its manifest must ask for "granted" libraries)."""
    _change(ctx, "action:libraries.grant.v1", plugin, library)


@app.command()
def revoke(ctx: typer.Context, plugin: Plugin, library: LibraryRef) -> None:
    """Take a library grant back."""
    _change(ctx, "action:libraries.revoke.v1", plugin, library)


@app.command()
def grants(
    ctx: typer.Context,
    plugin: Annotated[str | None, typer.Argument(help="Only this plugin's grants.")] = None,
) -> None:
    """List the library grants (of one plugin, or all)."""
    with operations(_settings(ctx)) as ops, handled():
        result = ops.execute("query:libraries.grants.v1", {"plugin": plugin}).data()
    emit(result, b"", None)

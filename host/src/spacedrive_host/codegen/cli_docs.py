"""The CLI reference page, generated from the typer app (what `typer ... utils docs` writes)."""

from __future__ import annotations

import typer
from typer.cli import get_docs_for_click

HEADER = (
    "<!-- Generated from the typer app by `nox -s codegen`; do not edit. -->\n\n"
    "Every command takes the root options (`--data-dir`, `--json`, `--no-daemon`); when a daemon\n"
    "serves the data directory the commands go through it ([the daemon](../guides/daemon.md)).\n"
    "Exit codes per error code: [the daemon guide](../guides/daemon.md#exit-codes).\n\n"
)


def render_cli_markdown() -> str:
    from ..cli.app import app

    command = typer.main.get_command(app)
    ctx = typer.Context(command)
    body = get_docs_for_click(obj=command, ctx=ctx, name="spacedrive", title="The `spacedrive` command")
    return HEADER + body.strip() + "\n"

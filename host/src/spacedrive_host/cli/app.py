"""The `spacedrive` root command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..data_dir import ENV_VAR
from . import (  # noqa: F401 (grant_cmds registers its commands on plugin_cmds.app)
    auth_cmds,
    author_cmds,
    doctor_cmd,
    grant_cmds,
    job_cmds,
    library_cmds,
    op_cmds,
    plugin_cmds,
    serve_cmd,
)
from .common import Settings, set_json_errors, setup_logging

app = typer.Typer(
    help="Run Spacedrive WebAssembly plugins in a sandboxed host.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
author_cmds.register(plugin_cmds.app)
app.add_typer(plugin_cmds.app, name="plugin")  # with `grant_cmds` registered on it
app.add_typer(op_cmds.app, name="op")
app.add_typer(library_cmds.app, name="library")
app.add_typer(job_cmds.app, name="job")
app.add_typer(auth_cmds.app, name="auth")
app.command()(doctor_cmd.doctor)
app.command()(serve_cmd.serve)


@app.callback()
def root(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help=f"Data directory (installed plugins, compile cache). Default: ${ENV_VAR}, "
            "else the user data folder (~/.local/share/spacedrive on Linux).",
        ),
    ] = None,
    log_level: Annotated[
        str, typer.Option(help="Least severe log level shown (plugin logs included).")
    ] = "info",
    json: Annotated[bool, typer.Option("--json", help="Results and errors as JSON (for scripts).")] = False,
    no_daemon: Annotated[
        bool,
        typer.Option("--no-daemon", help="Run an embedded host even if a daemon serves the data directory."),
    ] = False,
) -> None:
    setup_logging(log_level)
    set_json_errors(json)
    ctx.obj = Settings(data_dir=data_dir, json=json, embedded=no_daemon)


def main() -> None:
    app()

"""The help pages `spacedrive --help` prints without loading typer (`cli/fast_help.py`).

typer and rich take dozens of times longer to import than Python takes to start,
so the root's and each group's help is rendered here from the typer app, as typer
prints it when stdout is not a terminal (80 columns, no colour), and committed.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

__all__ = ["PROG", "SEPARATOR", "WIDTH", "help_pages", "render_cli_help", "typer_help"]

#: The program name the pages are rendered with; `fast_help` puts the real one in.
PROG = "spacedrive"
WIDTH = 80
#: Starts every page of the file, followed by the page's group ("" for the root) and a newline.
SEPARATOR = "\f"


def typer_help(args: list[str], prog: str = PROG) -> tuple[int, str]:
    """The exit status and stdout of the typer app for ``args``, as a pipe would see them."""
    from ..cli.app import app

    env: dict[str, str | None] = {"COLUMNS": str(WIDTH), "FORCE_COLOR": None, "TERMINAL_WIDTH": None}
    result = CliRunner().invoke(app, args, prog_name=prog, env=env, color=False)
    return result.exit_code, result.stdout


def help_pages() -> dict[str, str]:
    """Each page by group ("" is the root), in the app's order."""
    from ..cli.app import app

    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    groups = ["", *(name for name, cmd in root.commands.items() if isinstance(cmd, TyperGroup))]
    pages = {}
    for group in groups:
        status, text = typer_help([group, "--help"] if group else ["--help"])
        assert status == 0, f"`{group} --help` exited {status}"
        pages[group] = text
    return pages


def render_cli_help() -> str:
    return "".join(f"{SEPARATOR}{group}\n{text}" for group, text in help_pages().items())

"""`spacedrive --help` (and a group's) without loading typer and rich.

Importing them takes dozens of times longer than Python takes to start, only to
print text that changes when the app changes. `nox -s codegen` renders the root's
and each group's help from the typer app into `help.txt` (80 columns, no colour:
what typer prints into a pipe); this prints it for exactly `spacedrive`,
`spacedrive --help`, `spacedrive GROUP` and `spacedrive GROUP --help`, with the
same exit status. Anything else (a command's own `--help`, root options) goes to typer.
"""

from __future__ import annotations

import os
import sys

__all__ = ["try_help"]

_PROG = "spacedrive"  # what the pages were rendered with (codegen/cli_help.py)
_WIDTH = 80
# click's exit status when a group that has `no_args_is_help` is given no command.
_NO_ARGS_STATUS = 2


def _pages() -> dict[str, str]:
    path = os.path.join(os.path.dirname(__file__), "help.txt")
    with open(path, encoding="utf-8") as file:
        text = file.read()
    pages = {}
    for section in text.split("\f")[1:]:
        group, _, page = section.partition("\n")
        pages[group] = page
    return pages


def prog_name() -> str:
    """The program name as click words it in `Usage:` (click.utils._detect_program_name)."""
    path = sys.argv[0]
    package = getattr(sys.modules["__main__"], "__package__", None)
    if not package:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def _with_prog(page: str, prog: str) -> str:
    lines = page.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(f" Usage: {_PROG} "):
            usage = f" Usage: {prog}{line.rstrip()[len(' Usage: ') + len(_PROG) :]}"
            lines[i] = usage.ljust(_WIDTH)
            break
    return "\n".join(lines)


def try_help(argv: list[str], prog: str | None = None) -> int | None:
    """The exit status if a help page was printed, None to run the typer app."""
    if len(argv) > 2 or (len(argv) == 2 and argv[1] != "--help"):
        return None
    asked = bool(argv) and argv[-1] == "--help"
    group = "" if argv in ([], ["--help"]) else argv[0]
    pages = _pages()
    if group.startswith("-") or group not in pages:
        return None
    page = _with_prog(pages[group], prog if prog is not None else prog_name())
    # typer ends `--help` with a blank line and the page it shows for no command without.
    sys.stdout.write(page if asked else page.removesuffix("\n"))
    return 0 if asked else _NO_ARGS_STATUS

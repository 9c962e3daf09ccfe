"""The `spacedrive` command line: plugins and operations, over the same wire."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not `typing`'s: `--help` and daemon calls must not import it

if TYPE_CHECKING:
    from typing import Any

    from .app import app

__all__ = ["app", "main"]


def main() -> None:
    from .fast_help import try_help

    status = try_help(sys.argv[1:])
    if status is None:
        from .fast import try_fast

        status = try_fast(sys.argv[1:])
    if status is not None:
        raise SystemExit(status)
    from .app import main as typer_main

    typer_main()


def __getattr__(name: str) -> Any:  # `app` loads typer: only when asked for
    if name == "app":
        from .app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

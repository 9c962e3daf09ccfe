"""The `spacedrive` command line: plugins and operations, over the same wire."""

from .app import app, main

__all__ = ["app", "main"]

"""Built-in operations, grouped by namespace. `register_builtin` adds them all."""

from __future__ import annotations

from ..wire.registry import Registry
from . import ai, core, credentials, http, jobs, libraries, plugins, storage, vdfs

__all__ = ["register_builtin"]


def register_builtin(registry: Registry) -> Registry:
    ai.register(registry)
    core.register(registry)
    credentials.register(registry)
    http.register(registry)
    jobs.register(registry)
    libraries.register(registry)
    plugins.register(registry)
    storage.register(registry)
    vdfs.register(registry)
    return registry

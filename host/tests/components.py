"""Python (component) test plugins: their ids beside the Rust ones, and data
directories whose compile cache already holds them.

A componentize-py component takes 15-35 s to compile; `nox -s build` compiles
each once into build/component-cache (beside build/plugins). Every test host
gets a copy of that cache (hard links where the filesystem allows), so no test
pays the compile; without it, the first test of the run compiles them once."""

from __future__ import annotations

import shutil
from pathlib import Path

from spacedrive_host import Host
from spacedrive_host.testing import seed_compile_cache

#: The same behaviour in both guest languages: Rust (core modules) and Python (components).
LANGS = ("rust", "python")
PLUGINS = {
    "rust": {"hello": "hello", "echo": "echo", "counter": "counter", "hostile": "hostile", "notes": "notes"},
    "python": {
        "hello": "py-hello",
        "echo": "py-echo",
        "counter": "py-counter",
        "hostile": "py-hostile",
        "notes": "py-notes",
    },
}
COMPONENTS = ("py-hello", "py-echo", "py-counter")


def component_cache(built_plugins: Path, scratch: Path) -> Path:
    """A compile-cache directory holding every Python test plugin compiled."""
    built = built_plugins.parent / "component-cache"
    if (built / "hmac.key").is_file():
        return built
    cache = scratch / "component-cache"
    with Host(data_dir=scratch / "data") as host:  # compiles each component once, into its cache
        for plugin in COMPONENTS:
            host.plugins.load(built_plugins / plugin)
        shutil.copytree(host.data_dir.module_cache, cache)
    return cache


#: Makes a data directory start with a compile cache (the fixtures' own helper).
seed_cache = seed_compile_cache

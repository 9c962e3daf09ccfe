"""`spacedrive plugin new | build | check | test`: the author's kit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..data_dir import DataDir
from .common import Settings, emit, handled, out_console

__all__ = ["LANGS", "register"]

#: The keys of `authoring.scaffold.LANGUAGES`, named here so `--help` loads no scaffolder
#: (they import the manifest models); test_author_kit checks the two agree.
LANGS = ("rust", "python")

_SOURCE_HELP = "The plugin: a crate (Cargo.toml + manifest.json), or plugin.py + manifest.json."


def new(
    name: Annotated[str, typer.Argument(help="The plugin's id (and crate name), e.g. `notes`.")],
    lang: Annotated[str, typer.Option(help=f"The plugin's language: {', '.join(LANGS)}.")] = "rust",
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to write it (default ./NAME); must be new or empty.")
    ] = None,
) -> None:
    """Write a new plugin that builds as is: manifest, code and a host test (Rust: a unit test too)."""
    from ..authoring.scaffold import new_plugin

    with handled():
        made = new_plugin(name, lang, directory)
    if lang == "python":
        where = "as a Python plugin (manifest.json + plugin.py)"
    elif made.in_repository:
        where = "in this repository's workspace"
    else:
        where = "as a Cargo workspace of its own"
    out_console.print(f"created {name} in {made.directory} ({where})")
    for path in made.files:
        out_console.print(f"  {path.relative_to(made.directory)}")


def _cache(ctx: typer.Context) -> Path:
    """The compile cache of the data directory the root options name."""
    obj = ctx.find_root().obj
    settings = obj if isinstance(obj, Settings) else Settings()
    return DataDir(settings.data_dir).module_cache


def build(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help=_SOURCE_HELP)] = Path(),
    out: Annotated[Path | None, typer.Option(help="Lay the plugin out here (default DIR/build).")] = None,
) -> None:
    """Build one plugin (Rust to wasm32-unknown-unknown with the offline toolchain; Python to a
    component, precompiled into the data directory's compile cache); prints its directory."""
    from ..authoring.build import build_plugin  # loads wasmtime: not for `--help`

    with handled():
        dest = build_plugin(directory, out, cache=_cache(ctx))
    out_console.print(f"built {dest}")


def check(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="A plugin directory (manifest.json + module).")],
) -> None:
    """Validate manifest, imports, exports and ABI version without running the plugin (JSON report)."""
    with handled():
        from ..authoring.check import check_plugin  # loads wasmtime: not for `--help`

        report = check_plugin(directory, cache=_cache(ctx))
    emit(
        {
            "id": report.manifest.id,
            "version": report.manifest.version,
            "abi_version": report.abi_version,
            "wasm_bytes": report.wasm_bytes,
            "imports": list(report.imports),
            "exports": list(report.exports),
            "ok": True,
        },
        b"",
        None,
    )


def run_tests(
    directory: Annotated[Path, typer.Argument(help=_SOURCE_HELP)] = Path(),
) -> None:
    """Run the plugin's native unit tests (Rust: cargo test), then its host tests (pytest tests/)."""
    from ..authoring.build import run_native_tests
    from ..authoring.project import is_python_plugin, locate
    from ..manifest import read_manifest

    # The source manifest is validated before anything is built (`locate` does for a crate).
    with handled():
        if is_python_plugin(directory.resolve()):
            source = directory.resolve()
            read_manifest(source)
        else:
            crate = locate(directory)
            run_native_tests(crate)
            source = crate.directory
    tests = source / "tests"
    if not tests.is_dir():
        return
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        cwd=source,
        check=False,
    )
    raise typer.Exit(done.returncode)


def register(app: typer.Typer) -> None:
    """Adds these commands to `spacedrive plugin`."""
    for name, command in (("new", new), ("build", build), ("check", check), ("test", run_tests)):
        app.command(name)(command)

"""`spacedrive plugin new | build | check | test`: the author's kit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..authoring.build import build_plugin, run_native_tests
from ..authoring.project import locate
from ..authoring.scaffold import LANGUAGES, new_plugin
from .common import emit, handled, out_console

__all__ = ["register"]


def new(
    name: Annotated[str, typer.Argument(help="The plugin's id and crate name, e.g. `notes`.")],
    lang: Annotated[str, typer.Option(help=f"The plugin's language: {', '.join(LANGUAGES)}.")] = "rust",
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Where to write it (default ./NAME); must be new or empty.")
    ] = None,
) -> None:
    """Write a new plugin that builds as is: manifest, code, a unit test and a host test."""
    with handled():
        made = new_plugin(name, lang, directory)
    where = "in this repository's workspace" if made.in_repository else "as a Cargo workspace of its own"
    out_console.print(f"created {name} in {made.directory} ({where})")
    for path in made.files:
        out_console.print(f"  {path.relative_to(made.directory)}")


def build(
    directory: Annotated[
        Path, typer.Argument(help="The plugin crate (Cargo.toml + manifest.json).")
    ] = Path(),
    out: Annotated[Path | None, typer.Option(help="Lay the plugin out here (default DIR/build).")] = None,
) -> None:
    """Build one plugin to wasm32-unknown-unknown with the offline toolchain; prints its directory."""
    with handled():
        dest = build_plugin(directory, out)
    out_console.print(f"built {dest}")


def check(
    directory: Annotated[Path, typer.Argument(help="A plugin directory (manifest.json + module).")],
) -> None:
    """Validate manifest, imports, exports and ABI version without running the plugin (JSON report)."""
    with handled():
        from ..authoring.check import check_plugin  # loads wasmtime: not for `--help`

        report = check_plugin(directory)
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
    directory: Annotated[
        Path, typer.Argument(help="The plugin crate (Cargo.toml + manifest.json).")
    ] = Path(),
) -> None:
    """Run the plugin's native unit tests (cargo test), then its host tests (pytest tests/)."""
    with handled():
        crate = locate(directory)
        run_native_tests(crate)
    tests = crate.directory / "tests"
    if not tests.is_dir():
        return
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        cwd=crate.directory,
        check=False,
    )
    raise typer.Exit(done.returncode)


def register(app: typer.Typer) -> None:
    """Adds these commands to `spacedrive plugin`."""
    for name, command in (("new", new), ("build", build), ("check", check), ("test", run_tests)):
        app.command(name)(command)

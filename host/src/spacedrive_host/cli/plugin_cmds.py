"""`spacedrive plugin ...`"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import LoadError
from .common import (
    Operations,
    Settings,
    emit,
    handled,
    host_session,
    is_plugin_dir,
    library_ref,
    operations,
    out_console,
    parse_payload,
    read_tail,
)

app = typer.Typer(help="Install, inspect and call plugins.", no_args_is_help=True)

Target = Annotated[str, typer.Argument(help="An installed plugin's id, or a plugin directory.")]


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def _resolve(target: str) -> tuple[str, Path | None]:
    """(plugin id, directory to load) for an id or a path."""
    if is_plugin_dir(target):
        from ..manifest import load_manifest

        path = Path(target)
        return load_manifest(path).id, path
    return target, None


@app.command("list")
def list_plugins(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List installed plugins and whether each loads."""
    with operations(_settings(ctx)) as ops:
        result = ops.execute("query:plugins.list.v1").data()
    if as_json or _settings(ctx).json:
        emit(result, b"", None)
        return
    table = Table("id", "version", "status", "name / error")
    for p in result["plugins"]:
        status = "[green]ready[/]" if p["status"] == "ready" else "[red]failed[/]"
        table.add_row(p["id"], p["version"] or "-", status, p["error"] or p["name"] or "")
    if not result["plugins"]:
        out_console.print(f"no plugins installed in {_settings(ctx).data_dir or 'the data directory'}")
        return
    out_console.print(table)


@app.command()
def info(ctx: typer.Context, target: Target) -> None:
    """Show a plugin's manifest, status and recent log lines (as JSON)."""
    with handled():
        pid, path = _resolve(target)
    with operations(_settings(ctx)) if path is None else host_session(_settings(ctx), extra_dir=path) as ops:
        result = ops.execute("query:plugins.info.v1", {"id": pid}).data()
    emit(result, b"", None)


@app.command()
def load(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="A plugin directory (manifest.json + module).")],
    replace: Annotated[bool, typer.Option(help="Replace an installed plugin with the same id.")] = False,
) -> None:
    """Load a plugin directory in a host (compile, check, init) and install it in the data directory."""
    from .. import fs
    from ..data_dir import DataDir
    from ..manifest import MANIFEST_FILE, MAX_MANIFEST_BYTES, load_manifest

    settings = _settings(ctx)
    with handled():
        manifest = load_manifest(directory)
    # The running daemon loads it (swap-on-success if it has it), or an embedded host does.
    with operations(settings) as ops:
        plugins = DataDir(settings.data_dir).plugins
        installed = plugins / manifest.id
        if installed.exists() and not replace:
            with handled():
                raise LoadError(
                    f"{manifest.id!r} is already installed in {installed}; pass --replace",
                    plugin=manifest.id,
                )
        with handled():
            load_ms, cache = _load_into(ops, manifest.id, directory, replace=installed.exists())
        # Copy only what the manifest names, then swap the folder in whole.
        with tempfile.TemporaryDirectory(dir=plugins, prefix=".install-") as tmp:
            staged = Path(tmp) / manifest.id
            staged.mkdir()
            # Read as the loader reads them: no links followed, regular files, sizes bounded.
            for name, limit in ((MANIFEST_FILE, MAX_MANIFEST_BYTES), (manifest.wasm_file, fs.MAX_WASM_BYTES)):
                data = fs.read_file(directory, name, max_bytes=limit, error=LoadError)
                (staged / name).write_bytes(data)
            if installed.exists():
                shutil.rmtree(installed)
            staged.rename(installed)
    out_console.print(
        f"installed {manifest.id} {manifest.version} in {installed} "
        f"(loaded in {load_ms:.1f} ms, compile cache {cache})"
    )


def _load_into(ops: Operations, plugin_id: str, directory: Path, *, replace: bool) -> tuple[float, str]:
    """Loads (or, if installed, reloads) the plugin; how long it took and the compile cache's outcome."""
    from ..host import Host

    if isinstance(ops, Host):
        info = ops.plugins.reload(plugin_id, directory) if replace else ops.plugins.load(directory)
        return info.load_ms or 0.0, str(info.cache)
    path = str(directory.resolve())  # the daemon's working directory is not ours
    loaded = {p["id"] for p in ops.execute("query:plugins.list.v1").data()["plugins"]}
    if plugin_id in loaded:
        out = ops.execute("action:daemon.plugins.reload.v1", {"id": plugin_id, "path": path})
    else:
        out = ops.execute("action:daemon.plugins.load.v1", {"path": path})
    return out.data()["load_ms"] or 0.0, str(out.data()["cache"])


@app.command()
def remove(
    ctx: typer.Context, plugin_id: Annotated[str, typer.Argument(help="An installed plugin's id.")]
) -> None:
    """Uninstall a plugin from the data directory."""
    from ..data_dir import DataDir
    from ..host import Host

    settings = _settings(ctx)
    with operations(settings) as ops:
        plugins = DataDir(settings.data_dir).plugins
        installed = plugins / plugin_id
        if not installed.is_dir():
            with handled():
                raise LoadError(f"no plugin {plugin_id!r} is installed in {plugins}")
        loaded = {p["id"] for p in ops.execute("query:plugins.list.v1").data()["plugins"]}
        if plugin_id in loaded:
            if isinstance(ops, Host):
                ops.plugins.unload(plugin_id)
            else:
                ops.execute("action:daemon.plugins.unload.v1", {"id": plugin_id})
        shutil.rmtree(installed)
    out_console.print(f"removed {plugin_id}")


@app.command()
def call(
    ctx: typer.Context,
    target: Target,
    method: Annotated[str, typer.Argument(help="A method the plugin provides.")],
    payload: Annotated[str | None, typer.Option(help="JSON input for the method.")] = None,
    tail_file: Annotated[Path | None, typer.Option(help="Send this file's bytes as the binary tail.")] = None,
    tail_out: Annotated[Path | None, typer.Option(help="Write the reply's binary tail here.")] = None,
    library: Annotated[
        str | None, typer.Option(help="The library the call is for (name or id); the plugin reads it.")
    ] = None,
) -> None:
    """Call a method a plugin provides and print its JSON result."""
    with handled():
        pid, path = _resolve(target)
        value = parse_payload(payload)
        tail = read_tail(tail_file)
    with (
        operations(_settings(ctx)) if path is None else host_session(_settings(ctx), extra_dir=path) as ops,
        handled(),
    ):
        library_id = None if library is None else str(library_ref(ops, library))
        response = ops.execute(
            "action:plugins.call.v1",
            {"plugin": pid, "method": method, "input": value, "library": library_id},
            tail=tail,
        )
    emit(response.data()["output"], response.tail, tail_out)

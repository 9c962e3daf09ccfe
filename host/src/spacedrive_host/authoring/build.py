"""`spacedrive plugin build`: one plugin crate to wasm32-unknown-unknown (a Python
plugin to a component, `python_build`), laid out as a plugin directory
(``<out>/<id>/manifest.json`` + module) that `plugin call` takes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..errors import LoadError
from ..manifest import MANIFEST_FILE, read_manifest
from ..runtime.wasm_binary import check_binary
from .project import PluginCrate, is_python_plugin, locate, prepare_toolchain
from .python_build import build_python_plugin
from .toolchain import WASM_TARGET, Toolchain, default_cache

__all__ = ["WASM_TARGET_DIR_ENV", "build_plugin", "run_native_tests"]

#: Overrides where wasm builds go (a test shares the repository's warm one).
WASM_TARGET_DIR_ENV = "SPACEDRIVE_WASM_TARGET_DIR"


def _run(cmd: list[str], cwd: Path, env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, cwd=cwd, env={**os.environ, **env}, check=False)
    if done.returncode != 0:
        raise LoadError(f"{what} failed (exit status {done.returncode}); cargo's messages are above")


def _wasm_target_dir(crate: PluginCrate, tc: Toolchain) -> Path:
    """Outside the repository, one target folder for all of an author's projects on the
    debian route: std is compiled from source there, once, not once per project."""
    if crate.in_repository or tc.route != "debian":
        return tc.wasm_target_dir
    return default_cache() / "wasm-target"


def build_plugin(directory: Path, out: Path | None = None, *, cache: Path | None = None) -> Path:
    """Builds the plugin in ``directory``; returns the plugin directory (default
    ``DIR/build/<id>``). A Python plugin's component is also precompiled into
    ``cache`` (default: the data directory's compile cache)."""
    # Either way the source manifest is validated first (errors name it, not a build copy),
    # before a build that can take a while.
    if is_python_plugin(directory.resolve()):
        return build_python_plugin(directory.resolve(), out, cache=cache)
    crate = locate(directory)
    tc = prepare_toolchain(crate.workspace)
    # Inside the repository the lock file is committed and must already be right.
    locked = ("--locked",) if crate.in_repository else ()
    cmd = tc.wasm.command("build", "--release", *locked, "--target", WASM_TARGET, "-p", crate.package)
    # Its own variable: the native and the wasm builds use different rustc versions.
    target_dir = Path(os.environ.get(WASM_TARGET_DIR_ENV) or _wasm_target_dir(crate, tc))
    _run(cmd, crate.workspace, {**tc.wasm.env, "CARGO_TARGET_DIR": str(target_dir)}, "cargo build")
    artifact = target_dir / WASM_TARGET / "release" / f"{crate.package.replace('-', '_')}.wasm"
    dest = (out or crate.directory / "build") / crate.plugin_id
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(artifact, dest / crate.wasm_file)
    shutil.copyfile(crate.directory / MANIFEST_FILE, dest / MANIFEST_FILE)
    # What a load refuses before compiling, refused here too (e.g. too little memory).
    check_binary(read_manifest(dest), (dest / crate.wasm_file).read_bytes(), dest / crate.wasm_file)
    return dest


def run_native_tests(crate: PluginCrate) -> None:
    """The crate's own unit tests, natively (`cargo test -p NAME`)."""
    tc = prepare_toolchain(crate.workspace)
    locked = ("--locked",) if crate.in_repository else ()
    _run(
        tc.native.command("test", *locked, "-p", crate.package), crate.workspace, tc.native.env, "cargo test"
    )

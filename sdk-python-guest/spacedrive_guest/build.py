"""Builds a Python plugin into a component: ``python -m spacedrive_guest.build DIR``.

``DIR`` holds ``manifest.json`` and the plugin's module (``plugin.py`` unless
``--module`` names another). The component is written beside the manifest as
the manifest's ``wasm_file``, or under ``--out/<id>/`` with a copy of the
manifest. componentize-py (pinned by this package) bundles CPython, the
plugin, this SDK and the ``spacedrive:plugin`` world."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["WIT_DIR", "WORLD", "build", "componentize_py", "main"]

_PACKAGE = Path(__file__).resolve().parent
#: The world's WIT files (in a wheel they ride along as ``spacedrive_guest/wit``).
WIT_DIR = _PACKAGE / "wit" if (_PACKAGE / "wit").is_dir() else _PACKAGE.parent / "wit"
WORLD = "plugin"
_ENTRY = "spacedrive_entry"


def componentize_py() -> list[str]:
    """The componentize-py command (this environment's first)."""
    found = shutil.which("componentize-py", path=str(Path(sys.executable).parent)) or shutil.which(
        "componentize-py"
    )
    if found is None:
        raise SystemExit("componentize-py is not installed: pip install 'spacedrive-guest[build]'")
    return [found]


def build(plugin_dir: Path, *, out: Path | None = None, module: str = "plugin") -> Path:
    """Builds the plugin in ``plugin_dir``; returns the component's path."""
    manifest_bytes = (plugin_dir / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    if not (plugin_dir / f"{module}.py").is_file() and not (plugin_dir / module).is_dir():
        raise SystemExit(f"{plugin_dir} has no module {module!r} ({module}.py)")
    dest = plugin_dir if out is None else out / manifest["id"]
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / str(manifest["wasm_file"])
    with tempfile.TemporaryDirectory(prefix="spacedrive-build-") as tmp:
        entry = Path(tmp)
        (entry / f"{_ENTRY}.py").write_text(
            f"import {module}  # noqa: F401 - registers the plugin\n"
            "from spacedrive_guest._world import WitWorld  # noqa: F401 - the exports\n"
        )
        partial = entry / "out.wasm"
        cmd = [
            *componentize_py(),
            "-d",
            str(WIT_DIR),
            "-w",
            WORLD,
            "componentize",
            "-p",
            str(plugin_dir.resolve()),
            "-p",
            str(_PACKAGE.parent),
            "-p",
            str(entry),
            _ENTRY,
            "-o",
            str(partial),
        ]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        shutil.move(partial, target)
    if out is not None:
        (dest / "manifest.json").write_bytes(manifest_bytes)
    return target


def main(argv: list[str] | None = None) -> None:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m spacedrive_guest.build", description=__doc__)
    parser.add_argument("plugin_dir", type=Path, help="holds manifest.json and the plugin module")
    parser.add_argument("--out", type=Path, help="lay the plugin out under OUT/<id>/")
    parser.add_argument("--module", default="plugin", help="the plugin's module (default: plugin)")
    args = parser.parse_args(argv)
    print(build(args.plugin_dir, out=args.out, module=args.module))


if __name__ == "__main__":
    main()

"""The wasm toolchain for this repository's nox sessions.

The code lives in the host package (``spacedrive_host/authoring/toolchain.py``) so
that ``spacedrive plugin build`` uses the same route outside the repository; it
needs only the standard library, so it is loaded here by path, before any venv.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "toolchain"

_spec = importlib.util.spec_from_file_location(
    "spacedrive_toolchain", ROOT / "host" / "src" / "spacedrive_host" / "authoring" / "toolchain.py"
)
assert _spec is not None
assert _spec.loader is not None
_impl = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _impl  # dataclasses look their module up by name
_spec.loader.exec_module(_impl)

WASM_TARGET: str = _impl.WASM_TARGET
Cargo = _impl.Cargo
Toolchain = _impl.Toolchain
ensure_debian_packages = _impl.ensure_debian_packages


def prepare(*, native_lint: bool = False, quiet: bool = False) -> Toolchain:
    """The toolchain for this repository's workspace, its folders under .cache/toolchain."""
    result: Toolchain = _impl.prepare(ROOT, CACHE, native_lint=native_lint, quiet=quiet)
    return result


if __name__ == "__main__":
    prepare()

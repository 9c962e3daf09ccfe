"""The TrueType fonts receipts are drawn in, and the Debian packages that provide them.

`python tools/corpus/fonts.py` (run by the nox sessions that render) installs what is missing
with apt as root, like tools/toolchain.py does for the wasm toolchain.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("fonts-dejavu-core", "fonts-liberation2", "fonts-freefont-ttf", "fonts-noto-mono")
ROOTS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype"))


@dataclass(frozen=True)
class Face:
    """A regular/bold pair; `mono` marks fixed-width faces (thermal printers)."""

    name: str
    regular: str
    bold: str
    mono: bool


# (name, regular file, bold file, monospace) relative to the font roots.
CANDIDATES = (
    ("DejaVu Sans", "dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", False),
    ("DejaVu Serif", "dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", False),
    ("DejaVu Sans Condensed", "dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf", False),
    ("DejaVu Sans Mono", "dejavu/DejaVuSansMono.ttf", "dejavu/DejaVuSansMono-Bold.ttf", True),
    (
        "Liberation Sans",
        "liberation2/LiberationSans-Regular.ttf",
        "liberation2/LiberationSans-Bold.ttf",
        False,
    ),
    (
        "Liberation Serif",
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation2/LiberationSerif-Bold.ttf",
        False,
    ),
    (
        "Liberation Mono",
        "liberation2/LiberationMono-Regular.ttf",
        "liberation2/LiberationMono-Bold.ttf",
        True,
    ),
    ("FreeSans", "freefont/FreeSans.ttf", "freefont/FreeSansBold.ttf", False),
    ("FreeSerif", "freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf", False),
    ("FreeMono", "freefont/FreeMono.ttf", "freefont/FreeMonoBold.ttf", True),
    ("Noto Sans Mono", "noto/NotoSansMono-Regular.ttf", "noto/NotoSansMono-Bold.ttf", True),
)


def _find(rel: str) -> str | None:
    for root in ROOTS:
        path = root / rel
        if path.is_file():
            return str(path)
    return None


def available() -> tuple[Face, ...]:
    """The faces installed on this machine, in a fixed order (so a seed picks the same face)."""
    faces = []
    for name, regular, bold, mono in CANDIDATES:
        reg, bld = _find(regular), _find(bold)
        if reg and bld:
            faces.append(Face(name, reg, bld, mono))
    if not any(f.mono for f in faces) or not any(not f.mono for f in faces):
        raise RuntimeError(
            "corpus: no usable TrueType fonts; install them with\n"
            f"  apt-get install -y {' '.join(PACKAGES)}   (or: python tools/corpus/fonts.py)"
        )
    return tuple(faces)


def missing_packages() -> list[str]:
    missing = []
    for pkg in PACKAGES:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", pkg], check=False, text=True, capture_output=True
        )
        if "install ok installed" not in status.stdout:
            missing.append(pkg)
    return missing


def ensure() -> None:
    """Install the font packages that are missing (as root, with apt), else say how."""
    if not Path("/usr/bin/dpkg-query").exists():
        available()  # not Debian: fine if fonts are there, else the error says what to install
        return
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"corpus: missing fonts; as root: apt-get install -y {' '.join(missing)}")
    print(f"corpus: apt-get install {' '.join(missing)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", *missing]
    if subprocess.run(install, check=False, env=env).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(install, check=True, env=env)


if __name__ == "__main__":
    ensure()
    sys.exit(0)

"""docs/getting-started-rust.md and getting-started-python.md, followed literally:
their `run` blocks are run in a shell in a fresh copy of the repository and in an
empty folder, and the last command's output is compared with the page's `expect`
block."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from spacedrive_host.authoring.project import prepare_toolchain

ROOT = Path(__file__).resolve().parents[2]
# Minutes of cargo builds even with warm caches: its own session (`nox -s getting-started`);
# CI runs the quick checks of the same pieces (test_author_kit.py).
pytestmark = pytest.mark.walkthrough  # deselected unless SPACEDRIVE_GETTING_STARTED=1 (conftest.py)
_BLOCK = re.compile(r"<!-- (run|expect): (\w+) -->\n```\w*\n(.*?)```", re.DOTALL)


def _blocks(lang: str) -> dict[tuple[str, str], str]:
    page = ROOT / "docs" / f"getting-started-{lang}.md"
    return {(kind, where): body for kind, where, body in _BLOCK.findall(page.read_text())}


def _fresh_copy(dest: Path) -> Path:
    """The repository's files (tracked and new, nothing ignored), as a clone would have them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    for rel in filter(None, listed):
        src = ROOT / rel.decode()
        if src.is_file():
            target = dest / rel.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def _follow(lang: str, where: str, cwd: Path, tmp_path: Path) -> None:
    blocks = _blocks(lang)
    script = blocks[("run", where)]
    expected = json.loads(blocks[("expect", where)])
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SPACEDRIVE_DATA_DIR": str(tmp_path / "data"),
        "SPACEDRIVE_REPO": str(ROOT),
    }
    if lang == "rust":
        tc = prepare_toolchain(ROOT)  # the repository's own: its warm build folders
        env |= {
            # Shares the build's compiled std and crates: a cold std build takes minutes.
            "SPACEDRIVE_WASM_TARGET_DIR": str(tc.wasm_target_dir),
            "CARGO_TARGET_DIR": str(ROOT / "target"),
            # The repository's crate folders: the same source paths, so the build's artifacts fit.
            "SPACEDRIVE_TOOLCHAIN_CACHE": str(ROOT / ".cache" / "toolchain"),
        }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (
        f"{where}: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    last = done.stdout[done.stdout.rindex("\n{") + 1 :] if "\n{" in done.stdout else done.stdout
    assert json.loads(last) == expected


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git for the fresh copy")
def test_inside_a_fresh_copy_of_the_repository(tmp_path: Path) -> None:
    repo = _fresh_copy(tmp_path / "repo")
    _follow("rust", "repo", repo, tmp_path)
    members = (repo / "Cargo.toml").read_text()
    assert '"plugins/notes"' in members
    assert 'name = "notes"' in (repo / "Cargo.lock").read_text()


def test_in_an_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _follow("rust", "outside", empty, tmp_path)
    assert (empty / "notes" / "Cargo.lock").is_file()


def _python(*args: str) -> str:
    return subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def _editable_sdk_restored() -> Iterator[None]:
    """The page installs the SDK from a wheel into this environment; put the editable one back."""
    yield
    _python("-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT / "sdk-python-guest"))


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git for the fresh copy")
def test_python_inside_a_fresh_copy_of_the_repository(tmp_path: Path) -> None:
    repo = _fresh_copy(tmp_path / "repo")
    cargo = (repo / "Cargo.toml").read_text()
    _follow("python", "repo", repo, tmp_path)
    assert (repo / "Cargo.toml").read_text() == cargo  # joins no workspace
    assert (repo / "plugins" / "notes" / "build" / "notes" / "notes.wasm").is_file()


@pytest.mark.usefixtures("_editable_sdk_restored")
def test_python_in_an_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _follow("python", "outside", empty, tmp_path)
    where = Path(_python("-c", "import spacedrive_guest; print(spacedrive_guest.__file__)").strip())
    assert ROOT not in where.parents  # the wheel's copy, not the repository's
    assert (where.parent / "wit" / "plugin.wit").is_file()

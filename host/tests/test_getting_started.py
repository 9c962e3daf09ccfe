"""docs/getting-started-rust.md, followed literally: its `run` blocks are run in a
shell in a fresh copy of the repository and in an empty folder, and the last
command's output is compared with the page's `expect` block."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spacedrive_host.authoring.project import prepare_toolchain

ROOT = Path(__file__).resolve().parents[2]
# Minutes of cargo builds even with warm caches: its own session (`nox -s getting-started`);
# CI runs the quick checks of the same pieces (test_author_kit.py).
pytestmark = pytest.mark.walkthrough  # deselected unless SPACEDRIVE_GETTING_STARTED=1 (conftest.py)
PAGE = ROOT / "docs" / "getting-started-rust.md"
_BLOCK = re.compile(r"<!-- (run|expect): (\w+) -->\n```\w*\n(.*?)```", re.DOTALL)


def _blocks() -> dict[tuple[str, str], str]:
    return {(kind, where): body for kind, where, body in _BLOCK.findall(PAGE.read_text())}


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


def _follow(where: str, cwd: Path, tmp_path: Path) -> None:
    blocks = _blocks()
    script = blocks[("run", where)]
    expected = json.loads(blocks[("expect", where)])
    tc = prepare_toolchain(ROOT)  # the repository's own: its warm build folders
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SPACEDRIVE_DATA_DIR": str(tmp_path / "data"),
        # Shares the build's compiled std and crates: a cold std build takes minutes.
        "SPACEDRIVE_WASM_TARGET_DIR": str(tc.wasm_target_dir),
        "CARGO_TARGET_DIR": str(ROOT / "target"),
        "SPACEDRIVE_REPO": str(ROOT),
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
    _follow("repo", repo, tmp_path)
    members = (repo / "Cargo.toml").read_text()
    assert '"plugins/notes"' in members
    assert 'name = "notes"' in (repo / "Cargo.lock").read_text()


def test_in_an_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _follow("outside", empty, tmp_path)
    assert (empty / "notes" / "Cargo.lock").is_file()

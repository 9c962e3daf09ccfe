"""The Python examples in the docs run as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = ["docs/getting-started.md"]


def python_blocks(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (REPO / page).read_text(), re.DOTALL)


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_run(page: str, tmp_path: Path, built_plugins: Path) -> None:
    blocks = python_blocks(page)
    assert blocks, f"{page} has no python example"
    for code in blocks:
        res = subprocess.run(
            [sys.executable, "-c", code.replace("build/plugins", str(built_plugins))],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=REPO,
            env={**os.environ, "SPACEDRIVE_DATA_DIR": str(tmp_path)},
        )
        assert res.returncode == 0, res.stderr
        assert "Hello, Ada!" in res.stdout

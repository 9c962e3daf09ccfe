"""Shared fixtures: one small generated mailbox per test session (generation is the slow part)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corpus import mail


@pytest.fixture(scope="session")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("mailbox")
    mail.write_mailbox(out, 160, seed=7, files=12)
    rows = [json.loads(line) for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, rows

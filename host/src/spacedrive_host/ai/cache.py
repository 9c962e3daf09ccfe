"""A content-addressed cache of results on disk: the same bytes with the same
options are never processed twice, across calls, plugins and restarts.

Entries are written atomically (temporary file, then rename); an entry that
does not parse is treated as missing and rewritten, so a damaged cache costs
time, never a wrong answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

__all__ = ["ResultCache"]

M = TypeVar("M", bound=BaseModel)


class ResultCache(Generic[M]):
    """Results of type ``model`` under ``root``, keyed by (content hash, options key)."""

    def __init__(self, root: Path | None, model: type[M]) -> None:
        self.root = root
        self.model = model

    def _path(self, content_hash: str, options_key: str) -> Path | None:
        if self.root is None:
            return None
        key = hashlib.sha256(f"{content_hash}:{options_key}".encode()).hexdigest()
        return self.root / key[:2] / f"{key}.json"

    def get(self, content_hash: str, options_key: str) -> M | None:
        path = self._path(content_hash, options_key)
        if path is None:
            return None
        try:
            return self.model.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, content_hash: str, options_key: str, value: M) -> None:
        path = self._path(content_hash, options_key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(value.model_dump_json().encode())
            os.replace(tmp, path)
        except OSError:
            # A full or read-only disk makes the cache useless, not the call wrong.
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)

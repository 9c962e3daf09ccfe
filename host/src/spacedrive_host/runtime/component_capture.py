"""A component's WASI stdout or stderr, captured in a private file and read into the
plugin log after every entry (wasmtime-py's custom output callbacks crash at exit)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .limits import LogRecord
from .logs import PluginLog

__all__ = ["MAX_CAPTURE", "Capture"]

#: Most bytes of captured stdout/stderr read into the log after one entry.
MAX_CAPTURE = 64 << 10


class Capture:
    """A WASI output stream captured in a private file, read incrementally into the log."""

    def __init__(self, directory: Path, name: str, level: str) -> None:
        fd, path = tempfile.mkstemp(dir=directory, prefix=f"{name}-")
        os.close(fd)
        self.path = path
        self.level = level
        self._offset = 0

    def drain(self, log: PluginLog) -> None:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read(MAX_CAPTURE)
                self._offset = fh.tell()
                skipped = os.fstat(fh.fileno()).st_size - self._offset
        except OSError:
            return
        if skipped > 0:  # a flood: what was not read is dropped, and said so
            self._offset += skipped
        for line in data.decode("utf-8", "replace").splitlines():
            if line.strip():
                log.record(LogRecord(self.level, line))
        if skipped > 0:
            log.record(LogRecord("warn", f"({skipped} bytes of {self.level} output dropped)"))

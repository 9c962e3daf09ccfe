"""pytest fixtures for testing a plugin in a real host (entry point ``pytest11``,
so installing ``spacedrive-host`` with pytest is enough).

- ``sd_host``: a `Host` on a temporary data directory, closed after the test.
- ``sd_library``: makes a library over a temporary folder holding given files, indexed.
- ``sd_plugin_dir``: the plugin under test, built once per session
  (``--spacedrive-plugin DIR``, else the nearest folder above the test holding
  manifest.json with Cargo.toml or plugin.py; a folder with a built module is
  used as is). A Python plugin's component is precompiled once per session into
  a compile cache that every ``sd_host`` starts with.
- ``sd_plugin``: that plugin loaded in ``sd_host``: its calls, logs and jobs
  (``run_job`` starts one and waits for its end).

Fixture names start with ``sd_`` so they never shadow a project's own."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from .data_dir import DataDir
from .errors import Timeout
from .host import Host
from .manifest import MANIFEST_FILE
from .runtime.limits import LogRecord
from .wire.dispatch import Response

__all__ = ["Library", "PluginUnderTest", "seed_compile_cache"]


@dataclass(frozen=True)
class Library:
    """A library made for a test: its id, name and folder."""

    id: UUID
    name: str
    root: Path


@dataclass(frozen=True)
class PluginUnderTest:
    """The plugin under test, loaded in ``host``."""

    id: str
    directory: Path
    host: Host

    def call_raw(self, method: str, input: Any = None, *, tail: bytes = b"") -> Response:
        """The whole response (``.data()["output"]`` and ``.tail``)."""
        return self.host.call_plugin(self.id, method, input, tail=tail)

    def call(self, method: str, input: Any = None, *, tail: bytes = b"") -> Any:
        """The method's JSON output; a failure raises its typed `PluginError`."""
        return self.call_raw(method, input, tail=tail).data()["output"]

    def logs(self) -> tuple[LogRecord, ...]:
        """The plugin's recent log records, oldest first."""
        return self.host.plugins.info(self.id).recent_logs

    def jobs(self) -> list[dict[str, Any]]:
        """Every job of this host, oldest first (``query:jobs.list.v1``)."""
        jobs: list[dict[str, Any]] = self.host.execute("query:jobs.list.v1").data()["jobs"]
        return jobs

    def run_job(self, name: str, input: Any = None, *, timeout: float = 60.0) -> dict[str, Any]:
        """Starts job ``name`` of this plugin and waits until it ends: its final status
        (``query:jobs.status.v1``: ``state`` done, failed or cancelled, ``output``,
        ``error``, ``steps`` ...). A job that fails is returned, not raised, so a test
        can check its ``error``; one still running after ``timeout`` seconds raises
        `Timeout`."""
        started = self.host.execute("action:jobs.start.v1", {"plugin": self.id, "job": name, "input": input})
        job_id = started.data()["id"]
        self.host.jobs.wait(job_id, timeout=timeout)  # until finished (or paused) and saved
        status: dict[str, Any] = self.host.execute("query:jobs.status.v1", {"id": job_id}).data()
        if status["state"] not in ("done", "failed", "cancelled"):
            raise Timeout(
                f"job {name!r} ({job_id}) has not ended within {timeout:g} s: it is {status['state']}",
                plugin=self.id,
            )
        return status


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--spacedrive-plugin",
        metavar="DIR",
        help="The plugin under test: a plugin crate (built first) or a built plugin directory.",
    )


def _source_above(start: Path) -> Path:
    from .authoring.project import is_plugin_source

    for folder in (start, *start.parents):
        if is_plugin_source(folder):
            return folder
    raise pytest.UsageError(
        f"no plugin sources ({MANIFEST_FILE} with Cargo.toml or plugin.py) above {start}; "
        "pass --spacedrive-plugin DIR"
    )


@pytest.fixture(scope="session")
def _sd_builds() -> dict[Path, Path]:
    """Sources -> their built plugin directory, so each plugin is built once per session."""
    return {}


@pytest.fixture(scope="session")
def _sd_compile_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's compile cache: components built here are compiled into it once."""
    return tmp_path_factory.mktemp("sd-compile-cache")


@pytest.fixture
def sd_plugin_dir(
    request: pytest.FixtureRequest,
    _sd_builds: dict[Path, Path],
    _sd_compile_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The plugin under test as a loadable directory (built on first use in the session)."""
    from .authoring.project import is_plugin_source

    given = request.config.getoption("--spacedrive-plugin")
    source = Path(given).resolve() if given else _source_above(request.path.parent)
    if not is_plugin_source(source):
        return source  # already a built plugin directory
    if source not in _sd_builds:
        from .authoring.build import build_plugin

        out = tmp_path_factory.mktemp("sd-plugin")
        _sd_builds[source] = build_plugin(source, out=out, cache=_sd_compile_cache)
    return _sd_builds[source]


def seed_compile_cache(data_dir: Path, cache: Path) -> Path:
    """Makes ``data_dir`` start with the entries (and key) of the compile cache ``cache``."""
    target = DataDir(data_dir).module_cache
    target.mkdir(parents=True, exist_ok=True)
    for entry in cache.iterdir():
        if entry.is_file() and not entry.name.startswith("."):
            try:
                os.link(entry, target / entry.name)
            except OSError:  # another filesystem
                shutil.copy2(entry, target / entry.name)
    return data_dir


@pytest.fixture
def sd_host(tmp_path: Path, _sd_compile_cache: Path) -> Iterator[Host]:
    """A real host on a fresh data directory (whose compile cache holds the session's builds)."""
    with Host(data_dir=seed_compile_cache(tmp_path / "data", _sd_compile_cache)) as host:
        yield host


@pytest.fixture
def sd_library(sd_host: Host, tmp_path: Path) -> Callable[..., Library]:
    """``sd_library({"a.txt": "hi", "img/b.png": b"..."}, name="docs")``: a library over a
    temporary folder holding those files, indexed."""
    made = 0

    def make(files: Mapping[str, str | bytes], *, name: str | None = None) -> Library:
        nonlocal made
        made += 1
        root = tmp_path / f"library-{made}"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode() if isinstance(content, str) else content)
        root.mkdir(parents=True, exist_ok=True)
        label = name or f"test-{made}"
        info = sd_host.execute("action:libraries.create.v1", {"name": label, "root": str(root)}).data()
        library = UUID(info["id"])
        sd_host.execute("action:libraries.index.v1", library_id=library)
        return Library(library, label, root)

    return make


@pytest.fixture
def sd_plugin(sd_plugin_dir: Path, sd_host: Host) -> PluginUnderTest:
    """The plugin under test, loaded (compiled, checked, initialised) in ``sd_host``.
    (Built before the host is made, so the host's compile cache holds it.)"""
    info = sd_host.plugins.load(sd_plugin_dir)
    return PluginUnderTest(info.id, sd_plugin_dir, sd_host)

"""pytest fixtures for testing a plugin in a real host (entry point ``pytest11``,
so installing ``spacedrive-host`` with pytest is enough).

- ``sd_host``: a `Host` on a temporary data directory, closed after the test.
- ``sd_library``: makes a library over a temporary folder holding given files, indexed.
- ``sd_plugin_dir``: the plugin under test, built once per session
  (``--spacedrive-plugin DIR``, else the nearest folder above the test holding
  Cargo.toml and manifest.json; a folder with a built module is used as is).
- ``sd_plugin``: that plugin loaded in ``sd_host``: its calls, logs and jobs.

Fixture names start with ``sd_`` so they never shadow a project's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from .host import Host
from .manifest import MANIFEST_FILE
from .runtime.limits import LogRecord
from .wire.dispatch import Response

__all__ = ["Library", "PluginUnderTest"]


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--spacedrive-plugin",
        metavar="DIR",
        help="The plugin under test: a plugin crate (built first) or a built plugin directory.",
    )


def _crate_above(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "Cargo.toml").is_file() and (folder / MANIFEST_FILE).is_file():
            return folder
    raise pytest.UsageError(
        f"no plugin crate (Cargo.toml + {MANIFEST_FILE}) above {start}; pass --spacedrive-plugin DIR"
    )


@pytest.fixture(scope="session")
def _sd_builds() -> dict[Path, Path]:
    """Crate -> its built plugin directory, so each crate is built once per session."""
    return {}


@pytest.fixture
def sd_plugin_dir(
    request: pytest.FixtureRequest, _sd_builds: dict[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The plugin under test as a loadable directory (built on first use in the session)."""
    given = request.config.getoption("--spacedrive-plugin")
    source = Path(given).resolve() if given else _crate_above(request.path.parent)
    if not (source / "Cargo.toml").is_file():
        return source  # already a built plugin directory
    if source not in _sd_builds:
        from .authoring.build import build_plugin

        _sd_builds[source] = build_plugin(source, out=tmp_path_factory.mktemp("sd-plugin"))
    return _sd_builds[source]


@pytest.fixture
def sd_host(tmp_path: Path) -> Iterator[Host]:
    """A real host on a fresh data directory."""
    with Host(data_dir=tmp_path / "data") as host:
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
def sd_plugin(sd_host: Host, sd_plugin_dir: Path) -> PluginUnderTest:
    """The plugin under test, loaded (compiled, checked, initialised) in ``sd_host``."""
    info = sd_host.plugins.load(sd_plugin_dir)
    return PluginUnderTest(info.id, sd_plugin_dir, sd_host)

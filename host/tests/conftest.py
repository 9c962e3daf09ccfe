from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import wasmtime
from hypothesis import HealthCheck, Phase, settings

from spacedrive_host import Host

# CI is derandomized: the same examples every run, so a failure reproduces; `nox -s fuzz` explores.
settings.register_profile(
    "ci", max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
# `nox -s mutation`: derandomized, so a kill reproduces, fewer examples (each mutant reruns the
# tests), and no shrinking: the first failing example kills the mutant.
settings.register_profile(
    "mutation",
    max_examples=60,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

if os.environ.get("HYPOTHESIS_PROFILE") == "mutation":
    # mutmut forks each mutant's run from a process that has compiled wasm; wasmtime's
    # parallel compilation runs on a rayon pool the forked child does not have, so the
    # child's first compile would wait forever. Compiled on the calling thread instead.
    class _SerialConfig(wasmtime.Config):
        def __init__(self) -> None:
            super().__init__()
            self.parallel_compilation = False

    wasmtime.Config = _SerialConfig  # type: ignore[misc]

# The checkout root, also from mutmut's copy of the tests (host/mutants/tests).
REPO = next(p for p in Path(__file__).resolve().parents if (p / "noxfile.py").is_file())


@pytest.fixture(scope="session")
def built_plugins() -> Path:
    """The plugins `nox -s build` compiled from test-plugins/ (never a prebuilt copy)."""
    path = Path(os.environ.get("SPACEDRIVE_TEST_PLUGINS", REPO / "build" / "plugins"))
    missing = [p for p in ("hello", "echo") if not (path / p / "manifest.json").is_file()]
    if missing:
        pytest.fail(f"built plugins {missing} not found in {path}: run `nox -s build` first")
    return path


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data") as h:
        yield h


@pytest.fixture
def loaded(host: Host, built_plugins: Path) -> Host:
    """A host with hello and echo loaded."""
    host.plugins.load(built_plugins / "hello")
    host.plugins.load(built_plugins / "echo")
    return host


@pytest.fixture(scope="module")
def module_host(tmp_path_factory: pytest.TempPathFactory, built_plugins: Path) -> Iterator[Host]:
    """One host for a whole module, with abi-probe loaded (for property tests)."""
    with Host(data_dir=tmp_path_factory.mktemp("data")) as h:
        h.plugins.load(built_plugins / "abi-probe")
        yield h


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The getting-started walkthroughs run in their own nox session, not in every run:
    they are deselected (not skipped) here unless that session asks for them."""
    if os.environ.get("SPACEDRIVE_GETTING_STARTED") == "1":
        return
    keep = [item for item in items if item.get_closest_marker("walkthrough") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep

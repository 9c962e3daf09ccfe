"""Faults must not leak: a discarded instance's Store is freed, on every call
path, and resident memory stays flat under fault churn (issue 12, class 8)."""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from spacedrive_host import Host, TrapError
from spacedrive_host.runtime.core import CoreInstance


@pytest.fixture
def host(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data") as h:
        h.plugins.load(built_plugins / "hostile")
        h.plugins.load(built_plugins / "echo")
        yield h


def fault(host: Host) -> None:
    with pytest.raises(TrapError):
        host.call_plugin("hostile", "panic")


def test_a_faulted_instance_is_freed(host: Host) -> None:
    inst = host.plugins.instance("hostile")
    assert isinstance(inst, CoreInstance)
    store, binding = weakref.ref(inst._store), weakref.ref(inst._binding)
    del inst
    fault(host)
    gc.collect()
    assert (store(), binding()) == (None, None)


def test_an_unloaded_plugins_instance_is_freed(host: Host) -> None:
    inst = host.plugins.instance("echo")
    assert isinstance(inst, CoreInstance)
    store = weakref.ref(inst._store)
    del inst
    host.plugins.unload("echo")
    gc.collect()
    assert store() is None


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (resource.getpagesize() // 1024)


def test_resident_memory_stays_flat_under_fault_churn(host: Host) -> None:
    for _ in range(200):  # warm-up: allocator pools, caches
        fault(host)
    gc.collect()
    before = _rss_kib()
    faults = 1500
    for _ in range(faults):
        fault(host)
    gc.collect()
    grown = _rss_kib() - before
    # The leak this guards against was ~21 KiB a fault (31 MiB here); allow a few MiB of noise.
    assert grown < 6 * 1024, f"RSS grew {grown} KiB over {faults} faults"
    assert host.plugins.info("hostile").faults == 200 + faults


def _capture_fds(plugin: str) -> list[str]:
    """Open descriptors of a component's WASI output files (each instance has two)."""
    fds = Path("/proc/self/fd")
    targets = []
    for fd in fds.iterdir():
        with contextlib.suppress(OSError):
            targets.append(os.readlink(fd))
    return [t for t in targets if f"spacedrive-{plugin}-" in t]


def test_a_faulted_components_store_and_files_are_released(tmp_path: Path, built_plugins: Path) -> None:
    # The second plugin kind: a trapped component's instance is discarded and the next call
    # makes a new one; the old Store (its memory) and its WASI files must go with it.
    with Host(data_dir=tmp_path / "data") as host:
        host.plugins.load(built_plugins / "py-hostile")
        for _ in range(12):
            with pytest.raises(TrapError):
                host.call_plugin("py-hostile", "trap")
            assert host.call_plugin("py-hostile", "echo", [1]).data()["output"] == [1]
        gc.collect()
        assert len(_capture_fds("py-hostile")) == 2  # the live instance's, no more
        assert host.plugins.info("py-hostile").faults == 12

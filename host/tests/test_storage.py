"""Per-plugin storage (`storage.*`): through a real plugin (`notes`) in a real host,
on a real SQLite file: namespaced per plugin, within its limits, atomic, and
there after a restart."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spacedrive_host import Host, PluginError
from spacedrive_host.errors import ErrorCode
from spacedrive_host.manifest import parse_manifest
from spacedrive_host.storage import PluginStorage, StorageLimits
from spacedrive_host.wire.caller import Caller


@pytest.fixture
def notes(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data") as host:
        host.plugins.load(built_plugins / "notes")
        yield host


def call(host: Host, method: str, payload: Any = None) -> Any:
    return host.call_plugin("notes", method, payload).data()["output"]


def code_of(fn: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(PluginError) as err:
        fn(*args, **kwargs)
    return err.value.code, err.value.message


def test_a_plugin_keeps_gets_lists_and_deletes_its_notes(notes: Host) -> None:
    for i in range(5):
        assert call(notes, "put", {"name": f"n{i}", "text": f"text {i} ü"}) > 0
    call(notes, "put", {"name": "other", "text": "x"})
    assert call(notes, "get", {"name": "n3"}) == "text 3 ü"
    # The plugin pages through with limit 2, `next` fed back as `after`.
    assert call(notes, "list", {"prefix": "n"}) == [f"n{i}" for i in range(5)]
    assert call(notes, "list", {}) == [*(f"n{i}" for i in range(5)), "other"]
    assert call(notes, "delete", {"name": "n3"}) is True
    assert call(notes, "delete", {"name": "n3"}) is False
    code, message = code_of(call, notes, "get", {"name": "n3"})
    assert code == ErrorCode.NOT_FOUND
    assert "note/n3" in message


def test_notes_survive_a_restart(tmp_path: Path, built_plugins: Path) -> None:
    with Host(data_dir=tmp_path / "data") as host:
        host.plugins.load(built_plugins / "notes")
        call(host, "put", {"name": "kept", "text": "still here"})
    with Host(data_dir=tmp_path / "data") as host:
        host.plugins.load(built_plugins / "notes")
        assert call(host, "get", {"name": "kept"}) == "still here"


def test_a_plugin_never_sees_another_plugins_keys(notes: Host) -> None:
    notes.execute("action:storage.set.v1", {"plugin": "other", "key": "note/secret", "value": "theirs"})
    code, message = code_of(call, notes, "peek", {"name": "note/secret", "plugin": "other"})
    assert code == ErrorCode.PERMISSION_DENIED
    assert "'notes'" in message
    assert "'other'" in message
    assert call(notes, "list", {}) == []
    code, _ = code_of(call, notes, "get", {"name": "secret"})
    assert code == ErrorCode.NOT_FOUND
    # A trusted caller names whose storage it means, and must.
    got = notes.execute("query:storage.get.v1", {"plugin": "other", "key": "note/secret"}).data()
    assert got["value"] == "theirs"
    code, message = code_of(notes.execute, "query:storage.get.v1", {"key": "note/secret"})
    assert code == ErrorCode.PERMISSION_DENIED
    assert "`plugin` is required" in message


def test_storage_needs_its_permission(notes: Host) -> None:
    manifest = parse_manifest(
        {"id": "bare", "name": "b", "version": "1.0.0", "wasm_file": "b.wasm", "permissions": {"methods": []}}
    )
    code, message = code_of(
        notes.execute, "action:storage.set.v1", {"key": "k", "value": "v"}, caller=Caller.plugin(manifest)
    )
    assert code == ErrorCode.PERMISSION_DENIED
    assert "storage.set" in message


def test_limits_are_typed_errors_and_change_nothing(notes: Host) -> None:
    limits = notes.storage.limits
    code, message = code_of(call, notes, "put", {"name": "big", "text": "x" * (limits.max_value_bytes + 1)})
    assert code == ErrorCode.LIMIT_EXCEEDED
    assert "value is" in message
    code, message = code_of(call, notes, "put", {"name": "k" * limits.max_key_bytes, "text": "x"})
    assert code == ErrorCode.LIMIT_EXCEEDED
    assert "key is" in message
    assert call(notes, "list", {}) == []
    for bad in ({"key": "", "value": "v"}, {"key": "a\x00b", "value": "v"}, {"key": "\ud800", "value": "v"}):
        code, _ = code_of(notes.execute, "action:storage.set.v1", {**bad, "plugin": "p"})
        assert code == ErrorCode.INVALID_INPUT, bad


def test_the_total_per_plugin_holds_under_concurrent_writers(tmp_path: Path) -> None:
    limits = StorageLimits(max_total_bytes=1000, max_keys=50)
    store = PluginStorage(tmp_path, limits=limits)
    refused: list[str] = []

    def writer(n: int) -> None:
        for i in range(20):
            try:
                store.set("p", f"k{n}-{i}", "v" * 40)
            except PluginError as err:
                refused.append(err.code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    count, total = store.usage("p")
    assert total <= 1000
    assert count == 1000 // 45
    assert set(refused) == {ErrorCode.LIMIT_EXCEEDED}
    assert len(refused) == 80 - count
    two = store.keys("p", limit=2)[0]
    (first, second), removed = (v.key for v in two), sum(v.size for v in two)
    assert store.delete("p", first)
    assert store.delete("p", second)
    page, _ = store.keys("p", limit=1000)  # the totals the triggers keep match the rows
    assert store.usage("p") == (len(page), sum(v.size for v in page)) == (count - 2, total - removed)
    store.set("p", first, "v" * 40)
    store.set("p", second, "v" * 40)
    # Replacing a value counts only the difference; another plugin has its own total.
    store.set("p", first, "w" * 40)
    store.set("q", "k", "v" * 900)
    code, message = code_of(store.set, "p", "new", "v" * 40)
    assert code == ErrorCode.LIMIT_EXCEEDED
    assert "delete keys first" in message
    store.close()


def test_if_absent_stores_only_once(notes: Host) -> None:
    first = notes.execute(
        "action:storage.set.v1", {"plugin": "p", "key": "lock", "value": "a", "if_absent": True}
    )
    assert first.data()["total_bytes"] == 5
    code, _ = code_of(
        notes.execute,
        "action:storage.set.v1",
        {"plugin": "p", "key": "lock", "value": "b", "if_absent": True},
    )
    assert code == ErrorCode.INVALID_INPUT
    assert notes.execute("query:storage.get.v1", {"plugin": "p", "key": "lock"}).data()["value"] == "a"


def test_prefix_listing_is_exact_at_the_top_of_unicode(tmp_path: Path) -> None:
    store = PluginStorage(tmp_path)
    top = "\U0010ffff"
    keys = ["a", f"a{top}", f"a{top}b", f"a{top}{top}", "a\ud7ffz", "a\ue000", "b", "ab"]
    for key in keys:
        if key != "a\ud7ffz":
            store.set("p", key, "v")
    store.set("p", "a\ud7ff", "v")
    for prefix in ("", "a", f"a{top}", "a\ud7ff", "b", "c"):
        page, more = store.keys("p", prefix=prefix, limit=1000)
        assert not more
        everything = store.keys("p", limit=1000)[0]
        assert [v.key for v in page] == [v.key for v in everything if v.key.startswith(prefix)], prefix
    store.close()


REPO = Path(__file__).resolve().parents[2]


def _lines(code: str) -> list[str]:
    return [line.strip() for line in code.strip().splitlines()]


@pytest.mark.parametrize("page", ["docs/guides/storage.md", "docs/guides/library.md"])
def test_the_guides_show_code_of_the_built_notes_plugin(page: str) -> None:
    """Each Rust block of the page is a verbatim stretch of test-plugins/notes, which CI builds and runs."""
    source = _lines((REPO / "test-plugins" / "notes" / "src" / "lib.rs").read_text())
    text = (REPO / page).read_text()
    blocks = [
        b for b in re.findall(r"```rust\n(.*?)```", text, re.DOTALL) if "storage_" in b or "library()" in b
    ]
    assert blocks, page
    for block in blocks:
        want = _lines(block)
        assert any(source[i : i + len(want)] == want for i in range(len(source))), block

"""Real plugins, built from test-plugins/ by `nox -s build`, in a real host."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from spacedrive_host import (
    Host,
    InvalidInput,
    LoadError,
    NotFound,
    PermissionDenied,
    PluginStatus,
    Unavailable,
)


def test_hello_calls_host_operations_and_logs(loaded: Host) -> None:
    out = loaded.call_plugin("hello", "greet", {"name": "Ada"}).data()["output"]
    assert out["greeting"] == "Hello, Ada!"
    assert out["host_version"] == loaded.execute("query:core.version.v1").data()["host_version"]
    assert out["plugins"] == ["echo", "hello"]
    logs = [r.message for r in loaded.plugins.info("hello").recent_logs]
    assert logs[0] == "hello: ready"
    assert "hello: greeting Ada (#1)" in logs


def test_plugin_state_persists_between_calls(loaded: Host) -> None:
    for _ in range(3):
        loaded.call_plugin("hello", "greet", {"name": "Bo"})
    assert loaded.plugins.info("hello").recent_logs[-1].message == "hello: greeting Bo (#3)"
    assert loaded.plugins.info("hello").calls == 3


@pytest.mark.parametrize("size", [0, 1, 4095, 65536, 1 << 20])
def test_echo_round_trips_payload_and_tail(loaded: Host, size: int) -> None:
    tail = bytes(i % 251 for i in range(size))
    payload = {"nested": {"list": [1, 2.5, None, True], "text": "ünïcode ✓"}}
    out = loaded.call_plugin("echo", "echo", payload, tail=tail)
    assert out.data()["output"] == payload
    assert out.tail == tail


def test_relay_round_trips_through_spacedrive_call(loaded: Host) -> None:
    tail = bytes(range(256)) * 40
    out = loaded.call_plugin(
        "echo", "relay", {"method": "query:core.echo.v1", "input": {"value": [1, "x"]}}, tail=tail
    )
    assert out.data()["output"] == {"value": [1, "x"]}
    assert out.tail == tail


def test_method_not_granted_reaches_the_guest_as_permission_denied(loaded: Host) -> None:
    with pytest.raises(PermissionDenied, match=r"query:core\.version\.v1 is not granted") as info:
        loaded.call_plugin("echo", "relay", {"method": "query:core.version.v1", "input": {}})
    assert info.value.message.endswith('; add "core.version" to permissions.methods')
    assert info.value.plugin == "echo"
    assert info.value.origin == "plugin"  # the guest got the typed error and returned it
    # The plugin keeps serving.
    assert loaded.call_plugin("echo", "echo", 1).data()["output"] == 1


def test_guest_errors_are_typed(loaded: Host) -> None:
    with pytest.raises(InvalidInput, match="name must not be empty"):
        loaded.call_plugin("hello", "greet", {"name": " "})
    with pytest.raises(InvalidInput, match="bad input for greet"):
        loaded.call_plugin("hello", "greet", {"nom": "x"})


def test_undeclared_method_is_not_found_before_entering_the_guest(loaded: Host) -> None:
    with pytest.raises(NotFound, match="provides: greet"):
        loaded.call_plugin("hello", "shout", {})
    assert loaded.plugins.info("hello").calls == 0


def test_unknown_plugin(loaded: Host) -> None:
    with pytest.raises(
        NotFound, match="no plugin 'nope' is loaded: install it with `spacedrive plugin load DIR`"
    ):
        loaded.call_plugin("nope", "x")


def test_list_and_info(loaded: Host) -> None:
    listed = loaded.execute("query:plugins.list.v1").data()["plugins"]
    assert [(p["id"], p["status"]) for p in listed] == [("echo", "ready"), ("hello", "ready")]
    info = loaded.execute("query:plugins.info.v1", {"id": "echo"}).data()
    assert [m["name"] for m in info["provides"]] == ["echo", "relay", "fetch"]
    assert info["permissions"]["methods"] == ["core.echo"]


def test_loading_the_same_id_twice_is_refused(loaded: Host, built_plugins: Path) -> None:
    with pytest.raises(LoadError, match="already loaded; use reload"):
        loaded.plugins.load(built_plugins / "hello")


def test_reload_swaps_only_after_init_succeeds(loaded: Host, built_plugins: Path, tmp_path: Path) -> None:
    loaded.call_plugin("hello", "greet", {"name": "A"})
    # A broken new version: the old one keeps serving, with its state.
    broken = shutil.copytree(built_plugins / "hello", tmp_path / "hello-broken")
    (broken / "hello.wasm").write_bytes(b"\0asm\x01\0\0\0garbage")
    with pytest.raises(LoadError, match="failed to compile"):
        loaded.plugins.reload("hello", broken)
    loaded.call_plugin("hello", "greet", {"name": "B"})
    assert loaded.plugins.info("hello").recent_logs[-1].message == "hello: greeting B (#2)"
    # A good new version replaces it: fresh state.
    loaded.plugins.reload("hello", built_plugins / "hello")
    loaded.call_plugin("hello", "greet", {"name": "C"})
    assert loaded.plugins.info("hello").recent_logs[-1].message == "hello: greeting C (#1)"


def test_reload_refuses_a_different_plugin(loaded: Host, built_plugins: Path) -> None:
    with pytest.raises(LoadError, match="holds plugin 'echo'"):
        loaded.plugins.reload("hello", built_plugins / "echo")
    assert (
        loaded.call_plugin("hello", "greet", {"name": "still"}).data()["output"]["greeting"]
        == "Hello, still!"
    )


def test_unload_removes_the_plugin(loaded: Host) -> None:
    loaded.plugins.unload("echo")
    with pytest.raises(NotFound):
        loaded.call_plugin("echo", "echo", 1)
    assert [p.id for p in loaded.plugins.list()] == ["hello"]
    with pytest.raises(NotFound):
        loaded.plugins.unload("echo")


def test_failed_load_is_listed_with_its_reason(host: Host, built_plugins: Path, tmp_path: Path) -> None:
    bad = shutil.copytree(built_plugins / "echo", tmp_path / "echo")
    (bad / "manifest.json").write_text('{"id": "echo"}')
    with pytest.raises(LoadError):
        host.plugins.load(bad)
    (failed,) = host.plugins.list()
    assert failed.status is PluginStatus.FAILED
    assert failed.error is not None
    assert "name: Field required" in failed.error
    with pytest.raises(Unavailable, match="failed to load"):
        host.call_plugin("echo", "echo", 1)


def test_plugins_serve_from_several_threads(loaded: Host) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(30):
                tail = bytes([n, i]) * 100
                out = loaded.call_plugin(
                    "echo" if n % 2 else "hello",
                    "echo" if n % 2 else "greet",
                    {"n": n, "i": i} if n % 2 else {"name": f"t{n}"},
                    tail=tail if n % 2 else b"",
                )
                if n % 2:
                    assert out.data()["output"] == {"n": n, "i": i}
                    assert out.tail == tail
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert loaded.plugins.info("hello").calls == 60


def test_closed_host_refuses_calls(host: Host, built_plugins: Path) -> None:
    host.plugins.load(built_plugins / "echo")
    host.close()
    host.close()  # idempotent
    with pytest.raises(Unavailable, match="closed"):
        host.call_plugin("echo", "echo", 1)


def test_calls_during_reloads_all_succeed(loaded: Host, built_plugins: Path) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []
    answered = 0

    def caller() -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                assert loaded.call_plugin("echo", "echo", [answered]).data()["output"] == [answered]
                answered += 1
            except BaseException as exc:  # collected for the main thread
                errors.append(exc)
                return

    thread = threading.Thread(target=caller)
    thread.start()
    for _ in range(5):
        loaded.plugins.reload("echo", built_plugins / "echo")
    stop.set()
    thread.join()
    assert errors == []
    assert answered > 0

"""The same contract for both guest languages: every behaviour below runs against
the Rust plugins (core modules) and their Python versions (components built with
componentize-py), and after every attack the sibling plugin still answers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from components import LANGS, PLUGINS, component_cache, seed_cache
from test_jobs import expected, steps_done

from spacedrive_host import Host
from spacedrive_host.errors import (
    AbiViolation,
    InternalError,
    InvalidInput,
    LimitExceeded,
    PermissionDenied,
    PluginError,
    Timeout,
    TrapError,
    Unavailable,
)
from spacedrive_host.jobs import JobState
from spacedrive_host.runtime import abi
from spacedrive_host.runtime.limits import HostLimits

PAYLOAD_LIMIT = 4 << 20


@pytest.fixture(scope="session")
def cache(built_plugins: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return component_cache(built_plugins, tmp_path_factory.mktemp("components"))


class Guests:
    """One host with one language's echo, hello and hostile plugins loaded."""

    def __init__(self, host: Host, lang: str) -> None:
        self.host, self.lang, self.ids = host, lang, PLUGINS[lang]

    def call(self, plugin: str, method: str, payload: Any = None, tail: bytes = b"") -> Any:
        return self.host.call_plugin(self.ids[plugin], method, payload, tail=tail)

    def attack(self, method: str, payload: Any = None) -> PluginError:
        with pytest.raises(PluginError) as info:
            self.call("hostile", method, payload)
        return info.value

    def faults(self, plugin: str) -> int:
        return self.host.plugins.info(self.ids[plugin]).faults


@pytest.fixture(params=LANGS)
def guests(
    request: pytest.FixtureRequest, tmp_path: Path, built_plugins: Path, cache: Path
) -> Iterator[Guests]:
    lang: str = request.param
    limits = HostLimits(max_payload_bytes=PAYLOAD_LIMIT)
    with Host(data_dir=seed_cache(tmp_path / "data", cache), limits=limits) as host:
        for plugin in ("echo", "hello", "hostile"):
            host.plugins.load(built_plugins / PLUGINS[lang][plugin])
        g = Guests(host, lang)
        yield g
        # The sibling answers, whatever the attack did.
        assert g.call("echo", "echo", {"after": "attack"}).data()["output"] == {"after": "attack"}


#: A behaviour only a Python guest has (a Rust guest's panic is the trap case; it has
#: no stdout; test_clock_random covers its clock and randomness).
PYTHON_ONLY = pytest.mark.parametrize("guests", ["python"], indirect=True)


def test_hello_greets_through_typed_host_operations(guests: Guests) -> None:
    out = guests.call("hello", "greet", {"name": "Ada"}).data()["output"]
    assert out["greeting"] == "Hello, Ada!"
    assert sorted(out["plugins"]) == sorted(guests.ids[p] for p in ("echo", "hello", "hostile"))
    logs = [r.message for r in guests.host.plugins.info(guests.ids["hello"]).recent_logs]
    assert "hello: greeting Ada (#1)" in logs


def test_a_typed_guest_error_reaches_the_caller_with_its_code(guests: Guests) -> None:
    with pytest.raises(InvalidInput, match="name must not be empty"):
        guests.call("hello", "greet", {"name": " "})
    assert guests.faults("hello") == 0  # an answer, not a fault


def test_permission_denial_is_typed_on_both_sides(guests: Guests) -> None:
    with pytest.raises(PermissionDenied, match=r"plugins\.list"):
        guests.call("echo", "relay", {"method": "query:plugins.list.v1"})
    assert guests.faults("echo") == 0


def test_tails_round_trip_byte_for_byte(guests: Guests) -> None:
    tail = bytes(range(256)) * 4096 + b"\xff\xfe not utf-8 \x80"  # 1 MiB and a bit
    out = guests.call("echo", "echo", {"k": [1, "two"]}, tail=tail)
    assert out.data()["output"] == {"k": [1, "two"]}
    assert out.tail == tail
    relayed = guests.call(
        "echo", "relay", {"method": "query:core.echo.v1", "input": {"value": 7}}, tail=b"\0\1"
    )
    assert (relayed.data()["output"], relayed.tail) == ({"value": 7}, b"\0\1")
    through_host = {"method": "query:core.echo.v1", "input": {"value": 1}}
    for text in (b"ASCII text\n" * 1000, b" starts with a space", b""):  # the world's two forms
        assert guests.call("echo", "echo", None, tail=text).tail == text
        assert guests.call("echo", "relay", through_host, tail=text).tail == text


#: Every byte value, at sizes around the boundaries (empty, one, a byte short of a full
#: cycle, past 64 KiB, 1 MiB).
TAIL_SIZES = (0, 1, 255, (64 << 10) + 1, 1 << 20)


def all_bytes(size: int) -> bytes:
    return (bytes(range(256)) * (size // 256 + 1))[:size]


@pytest.mark.parametrize("size", TAIL_SIZES)
def test_every_byte_value_round_trips_at_every_size(guests: Guests, size: int) -> None:
    data = all_bytes(size)
    through_host = {"method": "query:core.echo.v1", "input": {"value": size}}
    for tail in (data, data[::-1], bytes(size), b"\x7f" * size):  # hex and as-is forms
        assert guests.call("echo", "echo", {"n": size}, tail=tail).tail == tail
        relayed = guests.call("echo", "relay", through_host, tail=tail)
        assert (relayed.data()["output"], relayed.tail) == ({"value": size}, tail)


@PYTHON_ONLY  # a core module's answer is bounded without its block's 4-byte header
def test_the_largest_tail_the_limit_allows_round_trips(guests: Guests) -> None:
    largest = PAYLOAD_LIMIT - abi.block_size(len(b"null"), 0)  # the echo's answer is the bound
    tail = all_bytes(largest)
    assert guests.call("echo", "echo", None, tail=tail).tail == tail
    with pytest.raises(LimitExceeded, match="the limit is"):
        guests.call("echo", "echo", None, tail=tail + b"\0")


def test_a_tail_over_the_payload_limit_is_refused_before_the_guest(guests: Guests) -> None:
    with pytest.raises(LimitExceeded, match="the limit is"):
        guests.call("echo", "echo", None, tail=b"\0" * PAYLOAD_LIMIT)
    assert guests.faults("echo") == 0


def test_bad_utf8_in_strings_never_reaches_the_guest_as_text(guests: Guests) -> None:
    out = guests.call("echo", "echo", {"s": "\udcff".encode("utf-8", "surrogatepass").decode("latin-1")})
    assert isinstance(out.data()["output"]["s"], str)
    with pytest.raises(InvalidInput):
        guests.host.execute(
            "action:plugins.call.v1",
            b'{"plugin": "' + guests.ids["echo"].encode() + b'", "method": "echo", "input": "\xff"}',
        )


def test_rate_limit_answers_rate_limited_and_never_blocks(guests: Guests) -> None:
    counts = guests.call("hostile", "flood_calls", {"n": 700}).data()["output"]
    assert counts["ok"] >= 600  # the manifest's 600 a minute, as a burst
    assert counts["rate_limited"] >= 1
    assert counts["ok"] + counts["rate_limited"] == 700


def test_re_entry_into_the_calling_plugin_is_refused(guests: Guests) -> None:
    own = {"plugin": guests.ids["hostile"], "method": "echo", "input": 1}
    with pytest.raises(Unavailable, match="re-entrant call into plugin"):
        guests.call("hostile", "call", {"method": "action:plugins.call.v1", "input": own})
    assert guests.faults("hostile") == 0


def test_a_guest_that_never_returns_is_stopped_at_its_time_limit(guests: Guests) -> None:
    err = guests.attack("spin")
    assert type(err) is Timeout, err
    manifest = guests.host.plugins.info(guests.ids["hostile"]).manifest
    assert manifest is not None
    assert f"ran past its {manifest.permissions.call_timeout_ms} ms time limit" in err.message
    assert guests.faults("hostile") == 1
    assert guests.call("hostile", "echo", [1, 2]).data()["output"] == [1, 2]  # a fresh instance


# The fault each language's guest commits, and how the host reports it.
TRAPS = {
    "rust": ("panic", TrapError, "hostile plugin panicked on purpose"),
    "python": ("trap", TrapError, "trapped"),
}


def test_a_trap_poisons_the_instance_and_the_next_call_gets_a_fresh_one(guests: Guests) -> None:
    method, cls, pattern = TRAPS[guests.lang]
    err = guests.attack(method)
    assert type(err) is cls, err
    assert pattern in err.message
    assert guests.faults("hostile") == 1
    assert guests.call("hostile", "echo", [1, 2]).data()["output"] == [1, 2]


def test_memory_is_capped_at_the_manifest_limit(guests: Guests) -> None:
    if guests.lang == "rust":
        out = guests.call("hostile", "memory_bomb").data()["output"]
        assert out["pages"] * 65536 == 16 << 20  # memory.grow returned -1 at max_memory_mb
        return
    err = guests.attack("memory_bomb")  # Python sees MemoryError at the 48 MiB cap
    assert isinstance(err, (InternalError, TrapError, LimitExceeded)), err
    assert "MemoryError" in err.message or "memory" in err.message, err
    assert guests.call("hostile", "echo", [3]).data()["output"] == [3]


@PYTHON_ONLY
def test_a_guest_that_raises_answers_internal_with_the_reason(guests: Guests) -> None:
    err = guests.attack("raise")
    assert type(err) is InternalError, err
    assert "ValueError: raised on purpose" in err.message
    logs = "\n".join(r.message for r in guests.host.plugins.info("py-hostile").recent_logs)
    assert "Traceback" in logs  # the guest's traceback is in its log
    assert guests.faults("hostile") == 0  # an answer: the instance keeps serving


@PYTHON_ONLY
@pytest.mark.parametrize(
    ("form", "says"),
    [
        ("set", "not JSON: TypeError: Object of type set is not JSON serializable"),
        ("nan", "not JSON: ValueError"),
        ("tail", "a tail of type str, not bytes"),
    ],
)
def test_an_answer_that_is_not_json_is_internal_and_the_guest_keeps_serving(
    guests: Guests, form: str, says: str
) -> None:
    err = guests.attack("not_json", {"form": form})
    assert type(err) is InternalError, err
    assert says in err.message
    assert "not_json" in err.message  # names the method that answered it
    assert guests.faults("hostile") == 0  # an answer, not a trap
    assert guests.call("hostile", "echo", [form]).data()["output"] == [form]


#: The hostile guest's tails that are not octets (its ``BAD_OCTETS``).
BAD_OCTETS = ("odd", "digit", "inner_space", "non_ascii")


@PYTHON_ONLY
@pytest.mark.parametrize("form", BAD_OCTETS)
def test_an_answer_whose_tail_is_not_octets_is_the_guests_fault(guests: Guests, form: str) -> None:
    err = guests.attack("bad_tail", {"form": form})
    assert type(err) is AbiViolation, err
    assert "tail that is not octets" in err.message
    assert guests.faults("hostile") == 1  # discarded; the next call gets a fresh instance
    assert guests.call("hostile", "echo", [form]).data()["output"] == [form]


@PYTHON_ONLY
@pytest.mark.parametrize("form", BAD_OCTETS)
def test_a_request_whose_tail_is_not_octets_is_refused_as_invalid_input(guests: Guests, form: str) -> None:
    out = guests.call("hostile", "bad_request_tail", {"form": form}).data()["output"]
    assert out["code"] == "invalid_input"
    assert "the tail is not octets" in out["message"]
    assert guests.faults("hostile") == 0  # an answer: the instance keeps serving


@PYTHON_ONLY
def test_python_stdout_and_stderr_land_in_the_plugin_log(guests: Guests) -> None:
    guests.call("hostile", "print", {"text": "printed line"})
    records = [(r.level, r.message) for r in guests.host.plugins.info("py-hostile").recent_logs]
    assert ("info", "printed line") in records
    assert ("warn", "printed line") in records


@PYTHON_ONLY
def test_python_clock_and_randomness_come_from_the_host(guests: Guests) -> None:
    before = time.time_ns()
    out = guests.call("hostile", "clock_random", {"n": 32}).data()["output"]
    assert before <= out["now_ns"] <= time.time_ns()
    assert out["monotonic_ns"] > 0
    assert len(bytes.fromhex(out["random"])) == 32
    with pytest.raises(LimitExceeded):
        guests.call("hostile", "clock_random", {"n": 1 << 20})


# -- jobs ---------------------------------------------------------------------

RUN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from spacedrive_host import Host
    data, plugin, mode, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    with Host(data_dir=data) as host:
        info = host.plugins.load(plugin)
        if mode == "start":
            job = host.jobs.start(info.id, "sum_squares", {"n": n, "chunk": 100})
        else:
            (job,) = host.jobs.resume_unfinished()
        print(job.id, flush=True)
        print(host.jobs.wait(job.id, timeout=300).state, flush=True)
    """
)


@contextmanager
def hosting(
    lang: str, plugin: str, tmp_path: Path, built_plugins: Path, cache: Path
) -> Iterator[tuple[Host, str]]:
    """A host on a data directory in ``tmp_path`` (its compile cache seeded) with
    ``lang``'s ``plugin`` loaded; and that plugin's id."""
    plugin_id = PLUGINS[lang][plugin]
    with Host(data_dir=seed_cache(tmp_path / "data", cache)) as host:
        host.plugins.load(built_plugins / plugin_id)
        yield host, plugin_id


@pytest.mark.parametrize("lang", LANGS)
def test_a_job_runs_and_fails_with_its_reason(
    lang: str, tmp_path: Path, built_plugins: Path, cache: Path
) -> None:
    with hosting(lang, "counter", tmp_path, built_plugins, cache) as (host, counter):
        job = host.jobs.wait(
            host.jobs.start(counter, "sum_squares", {"n": 1000, "chunk": 300}).id, timeout=60
        )
        assert (job.state, job.output, job.steps) == (JobState.DONE, {"sum": expected(1000)}, 4)
        failed = host.jobs.wait(host.jobs.start(counter, "fail_at", {"at": 3}).id, timeout=60)
        assert failed.state is JobState.FAILED
        assert failed.error is not None
        assert "failed on purpose at step 3" in failed.error
        assert failed.checkpoint == 2


@pytest.mark.parametrize("lang", LANGS)
def test_a_killed_host_resumes_the_job_from_its_last_checkpoint(
    lang: str, tmp_path: Path, built_plugins: Path, cache: Path
) -> None:
    data = seed_cache(tmp_path / "data", cache)
    plugin, n = str(built_plugins / PLUGINS[lang]["counter"]), 100_000  # 1000 steps
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    first = subprocess.Popen(
        [sys.executable, "-c", RUN, str(data), plugin, "start", str(n)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert first.stdout is not None
    job_id = first.stdout.readline().strip()
    deadline = time.monotonic() + 120
    while steps_done(data) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    at_kill = steps_done(data)
    assert 20 <= at_kill < 1000, "the job must be killed part way"
    second = subprocess.run(
        [sys.executable, "-c", RUN, str(data), plugin, "resume", str(n)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env=env,
    )
    assert second.stdout.split() == [job_id, "done"]
    with Host(data_dir=data) as host:
        job = host.jobs.store.get(job_id)
    assert job.output == {"sum": expected(n)}  # the same as an uninterrupted run
    assert 1000 <= job.steps <= 1001  # at most the step in flight ran twice


@pytest.mark.parametrize("lang", LANGS)
def test_the_library_a_call_is_made_for_reaches_the_guest_under_its_grant(
    lang: str, tmp_path: Path, built_plugins: Path, cache: Path
) -> None:
    with hosting(lang, "notes", tmp_path, built_plugins, cache) as (host, notes):
        root = tmp_path / "photos"
        root.mkdir()
        for i in range(3):
            (root / f"f{i}.txt").write_text(f"file {i}")
        lib = host.library.create("photos", root).id
        host.library.index(lib)

        def library_call(library: UUID | None) -> Any:
            return host.call_plugin(notes, "library", None, library_id=library).data()["output"]

        with pytest.raises(PermissionDenied) as err:  # asked for in the manifest, not granted
            library_call(lib)
        assert str(lib) in err.value.message
        host.execute("action:libraries.grant.v1", {"plugin": notes, "library": "photos"})
        assert library_call(lib) == {"library": str(lib), "entries": 3}
        assert library_call(None) == {"library": None, "entries": None}
        assert host.plugins.info(notes).faults == 0


def test_the_python_plugins_are_components_loaded_from_the_cache(
    tmp_path: Path, built_plugins: Path, cache: Path
) -> None:
    manifest = json.loads((built_plugins / "py-echo" / "manifest.json").read_text())
    assert manifest["kind"] == "component"
    with Host(data_dir=seed_cache(tmp_path / "data", cache)) as host:
        info = host.plugins.load(built_plugins / "py-echo")
    assert info.cache == "hit"

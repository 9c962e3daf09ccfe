"""The compile cache: reused when verified, replaced when not, never trusted blindly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import wasmtime
from wat import module

from spacedrive_host.runtime.cache_record import RECORD_LEN
from spacedrive_host.runtime.engine import EngineSettings, Runtime
from spacedrive_host.runtime.module_cache import CacheOutcome, ModuleCache

WASM = module()


@pytest.fixture
def engine() -> wasmtime.Engine:
    runtime = Runtime()
    runtime.close()
    return runtime.engine


def cache(engine: wasmtime.Engine, tmp_path: Path, fingerprint: str = "f1") -> ModuleCache:
    return ModuleCache(engine, tmp_path, fingerprint)


def test_miss_then_hit(engine: wasmtime.Engine, tmp_path: Path) -> None:
    c = cache(engine, tmp_path)
    assert c.load(WASM, source="t")[1] is CacheOutcome.MISS
    mod, outcome = c.load(WASM, source="t")
    assert outcome is CacheOutcome.HIT
    assert {e.name for e in mod.exports} >= {"plugin_handle", "wasm_alloc"}
    assert (tmp_path / "hmac.key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped in the artifact
        lambda b: b"",  # empty
        lambda b: b"SDMC\x01" + b"\0" * 32 + b[37:],  # MAC replaced
    ],
)
def test_damaged_entries_are_recompiled(engine: wasmtime.Engine, tmp_path: Path, damage: object) -> None:
    c = cache(engine, tmp_path)
    c.load(WASM, source="t")
    entry = c.entry_path(WASM)
    assert entry is not None
    assert callable(damage)
    entry.write_bytes(damage(entry.read_bytes()))
    mod, outcome = c.load(WASM, source="t")
    assert outcome is CacheOutcome.REPLACED
    assert "plugin_handle" in {e.name for e in mod.exports}
    assert c.load(WASM, source="t")[1] is CacheOutcome.HIT  # the replacement is good


def test_entry_signed_with_another_key_is_not_trusted(engine: wasmtime.Engine, tmp_path: Path) -> None:
    c = cache(engine, tmp_path)
    c.load(WASM, source="t")
    (tmp_path / "hmac.key").write_bytes(b"k" * 32)
    assert cache(engine, tmp_path).load(WASM, source="t")[1] is CacheOutcome.REPLACED


def test_engine_settings_are_part_of_the_key(engine: wasmtime.Engine, tmp_path: Path) -> None:
    cache(engine, tmp_path, "f1").load(WASM, source="t")
    assert cache(engine, tmp_path, "f2").load(WASM, source="t")[1] is CacheOutcome.MISS
    assert EngineSettings().fingerprint() != EngineSettings(max_wasm_stack=1 << 19).fingerprint()


def test_disabled_cache_still_compiles(engine: wasmtime.Engine) -> None:
    _, outcome = ModuleCache(engine, None, "f").load(WASM, source="t")
    assert outcome is CacheOutcome.DISABLED


def _entry(c: ModuleCache) -> Path:
    entry = c.entry_path(WASM)
    assert entry is not None
    return entry


def test_an_entry_is_mapped_on_its_signed_identity_and_rebound_when_copied(
    engine: wasmtime.Engine, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    c = cache(engine, first)
    c.load(WASM, source="t")
    entry = _entry(c)
    assert entry.with_suffix(".sig").stat().st_size == RECORD_LEN
    assert c.load(WASM, source="t")[1] is CacheOutcome.HIT
    # A copy has another inode and ctime: read and verified in full once, then re-signed.
    second = tmp_path / "second"
    shutil.copytree(first, second)
    record = (second / entry.with_suffix(".sig").name).read_bytes()
    assert cache(engine, second).load(WASM, source="t")[1] is CacheOutcome.HIT
    assert (second / entry.with_suffix(".sig").name).read_bytes() != record
    assert cache(engine, second).load(WASM, source="t")[1] is CacheOutcome.HIT


def test_bytes_changed_under_the_same_times_are_not_trusted(engine: wasmtime.Engine, tmp_path: Path) -> None:
    c = cache(engine, tmp_path)
    c.load(WASM, source="t")
    entry = _entry(c)
    before = entry.stat()
    data = bytearray(entry.read_bytes())
    data[-1] ^= 1
    with open(entry, "r+b") as fh:  # in place: the same inode and size
        fh.write(data)
    os.utime(entry, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back; ctime cannot be
    assert c.load(WASM, source="t")[1] is CacheOutcome.REPLACED


@pytest.mark.parametrize("record", [None, b"", b"x" * RECORD_LEN])
def test_an_entry_without_a_valid_record_is_not_trusted(
    engine: wasmtime.Engine, tmp_path: Path, record: bytes | None
) -> None:
    c = cache(engine, tmp_path)
    c.load(WASM, source="t")
    sig = _entry(c).with_suffix(".sig")
    if record is None:
        sig.unlink()
    else:
        sig.write_bytes(record)
    assert c.load(WASM, source="t")[1] is CacheOutcome.REPLACED


def test_an_authentic_entry_under_another_name_is_not_trusted(
    engine: wasmtime.Engine, tmp_path: Path
) -> None:
    c = cache(engine, tmp_path)
    other = module(extra='(func (export "other"))')
    c.load(WASM, source="t")
    c.load(other, source="t")
    mine, theirs = _entry(c), c.entry_path(other)
    assert theirs is not None
    os.replace(theirs, mine)
    os.replace(theirs.with_suffix(".sig"), mine.with_suffix(".sig"))
    mod, outcome = c.load(WASM, source="t")
    assert outcome is CacheOutcome.REPLACED
    assert "other" not in {e.name for e in mod.exports}


@pytest.mark.parametrize("change", ["group-writable", "foreign owner"])
def test_an_entry_others_could_rewrite_is_not_trusted(
    engine: wasmtime.Engine, tmp_path: Path, change: str
) -> None:
    # Verified bytes in a file someone else can write could change after the check.
    c = cache(engine, tmp_path)
    c.load(WASM, source="t")
    entry = _entry(c)
    if change == "group-writable":
        entry.chmod(0o664)
    elif os.geteuid() == 0:
        os.chown(entry, 54321, -1)
    else:
        pytest.fail("changing an entry's owner needs root; the CI runs as root")
    assert c.load(WASM, source="t")[1] is CacheOutcome.REPLACED
    assert c.load(WASM, source="t")[1] is CacheOutcome.HIT  # the host's own file again
    assert _entry(c).stat().st_uid == os.geteuid()


def test_a_cache_directory_others_can_write_is_not_used(
    engine: wasmtime.Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    c = cache(engine, shared)
    assert c.load(WASM, source="t")[1] is CacheOutcome.DISABLED
    assert "not writable by others" in caplog.text
    assert not (shared / "hmac.key").exists()


def test_a_key_others_can_read_or_a_linked_key_disables_the_cache(
    engine: wasmtime.Engine, tmp_path: Path
) -> None:
    cache(engine, tmp_path).load(WASM, source="t")
    key = tmp_path / "hmac.key"
    key.chmod(0o644)
    assert cache(engine, tmp_path).load(WASM, source="t")[1] is CacheOutcome.DISABLED
    key.chmod(0o600)
    assert cache(engine, tmp_path).load(WASM, source="t")[1] is CacheOutcome.HIT
    elsewhere = tmp_path / "elsewhere.key"
    key.rename(elsewhere)
    key.symlink_to(elsewhere)  # a link is never followed to a key
    assert cache(engine, tmp_path).load(WASM, source="t")[1] is CacheOutcome.DISABLED

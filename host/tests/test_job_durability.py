"""A job step's sidecar writes are made durable off its thread, and its checkpoint
is committed only after them: a held write holds the checkpoint, a failed one
fails the job at the last durable checkpoint and a rerun loses nothing; outside
a step, and for anyone reading, a write is where it was before."""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from spacedrive_host import Host, durability, fs
from spacedrive_host.jobs import JobState
from spacedrive_host.library import LibraryStore

MAIL = Path(__file__).resolve().parents[2] / "finance-extension" / "tests" / "mail"
TEXT_MAILS = (
    "paypal_payment.eml",
    "shipping_notice.eml",
    "uber_trip.eml",
    "newsletter.eml",
    "bank_alert.eml",
)
#: Entries a Finance scan step reads (`ENTRIES_PER_STEP`).
PER_STEP = 64


def mailbox(root: Path, count: int) -> Path:
    """``count`` different mails (the same few, each with its own trailing bytes)."""
    root.mkdir()
    for i in range(count):
        raw = (MAIL / TEXT_MAILS[i % len(TEXT_MAILS)]).read_bytes()
        (root / f"m{i:04d}.eml").write_bytes(raw + b"\n" * (i + 1))
    return root


@pytest.fixture
def finance(host: Host, built_plugins: Path) -> Host:
    host.plugins.load(built_plugins / "finance")
    return host


def library(host: Host, root: Path) -> UUID:
    made = host.execute("action:libraries.create.v1", {"name": root.name, "root": str(root)})
    lid = UUID(made.data()["id"])
    host.execute("action:libraries.index.v1", library_id=lid)
    return lid


def start_scan(host: Host, lid: UUID) -> str:
    job_input = {"library": str(lid), "ocr": False, "classify": False}
    out = host.execute("action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": job_input})
    return str(out.data()["id"])


def records(host: Host, lid: UUID) -> list[Any]:
    out = host.call_plugin("finance", "receipts", {"library": str(lid), "include_non_receipts": True})
    found: list[Any] = out.data()["output"]["receipts"]
    return found


def test_a_steps_checkpoint_waits_for_its_sidecars_written_off_the_step(
    finance: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lid = library(finance, mailbox(tmp_path / "mail", PER_STEP + 6))
    entered, release = threading.Event(), threading.Event()
    writers: list[str] = []
    real = fs.write_files

    def held(root: Path, files: Any) -> None:
        writers.append(threading.current_thread().name)
        entered.set()
        assert release.wait(120)
        real(root, files)

    monkeypatch.setattr(fs, "write_files", held)
    job_id = start_scan(finance, lid)
    assert entered.wait(120), "the first step writes its sidecars"
    held_at = finance.jobs.store.get(job_id)
    # The step returned (its write was handed over) but nothing it covers is committed.
    assert (held_at.steps, held_at.checkpoint, held_at.state) == (0, None, JobState.RUNNING)
    release.set()
    job = finance.jobs.wait(job_id, timeout=300)
    assert job.state is JobState.DONE, job.error
    assert job.steps == 2
    assert writers
    assert all(name.startswith("sidecar-writer") for name in writers)
    assert len(records(finance, lid)) == PER_STEP + 6


def test_a_failed_background_write_fails_the_job_at_its_last_durable_step_and_a_rerun_loses_nothing(
    finance: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 2 * PER_STEP + 22
    lid = library(finance, mailbox(tmp_path / "mail", count))
    real = fs.write_files
    calls = []

    def second_fails(root: Path, files: Any) -> None:
        calls.append(len(files))
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(root, files)

    monkeypatch.setattr(fs, "write_files", second_fails)
    job = finance.jobs.wait(start_scan(finance, lid), timeout=300)
    assert job.state is JobState.FAILED
    assert job.checkpoint["offset"] == PER_STEP, "the step whose write failed is not covered"
    monkeypatch.setattr(fs, "write_files", real)
    again = finance.jobs.wait(start_scan(finance, lid), timeout=300)
    assert again.state is JobState.DONE, again.error
    assert again.output["scanned"] + again.output["skipped"] == count
    assert again.output["skipped"] >= PER_STEP  # the durable first step is not read again
    assert sorted(r["id"] for r in records(finance, lid)) == [f"m{i:04d}.eml" for i in range(count)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[LibraryStore, UUID, list[str]]]:
    root = tmp_path / "files"
    root.mkdir()
    for name in ("a", "b"):
        (root / f"{name}.txt").write_text(f"content {name}")
    s = LibraryStore(tmp_path / "data")
    lib = s.create("files", root)
    s.index(lib.id)
    yield s, lib.id, [e.content_hash for e in s.entries(lib.id)[0]]
    s.close()


def test_a_deferred_write_returns_at_once_and_a_reader_of_that_content_waits_for_it(
    store: tuple[LibraryStore, UUID, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    s, lid, (a, b) = store
    s.write_sidecars(lid, "fin", "r.json", [(b, b"old b")])
    release = threading.Event()
    real = fs.write_files

    def held(root: Path, files: Any) -> None:
        assert release.wait(120)
        real(root, files)

    monkeypatch.setattr(fs, "write_files", held)
    writes = durability.StepWrites()
    with durability.deferring(writes):
        cars = s.write_sidecars(lid, "fin", "r.json", [(a, b"new a")])
    assert [c.size for c in cars] == [5]
    assert writes, "handed to the writer, not written on this thread"
    # Another content's sidecar is read without waiting for the held write.
    assert s.read_sidecar(lid, "fin", b, "r.json") == b"old b"
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(s.read_sidecar(lid, "fin", a, "r.json")))
    reader.start()
    reader.join(0.3)
    assert reader.is_alive(), "a reader of the held content waits (it would find no sidecar yet)"
    release.set()
    reader.join(60)
    writes.wait()
    assert got == [b"new a"]
    assert [c.size for c in s.sidecars(lid, "fin", a)] == [5]


def test_outside_a_step_a_write_is_done_when_it_returns(
    store: tuple[LibraryStore, UUID, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    s, lid, (a, _) = store
    threads: list[str] = []
    real = fs.write_files

    def seen(root: Path, files: Any) -> None:
        threads.append(threading.current_thread().name)
        real(root, files)

    monkeypatch.setattr(fs, "write_files", seen)
    s.write_sidecars(lid, "fin", "r.json", [(a, b"A")])
    assert threads == [threading.current_thread().name]
    assert (s._sidecars / "fin" / a[:2] / a / "r.json").read_bytes() == b"A"


def test_a_failed_deferred_write_is_the_steps_error_and_leaves_the_old_sidecar(
    store: tuple[LibraryStore, UUID, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    s, lid, (a, _) = store
    s.write_sidecars(lid, "fin", "r.json", [(a, b"old")])

    def broken(root: Path, files: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(fs, "write_files", broken)
    writes = durability.StepWrites()
    with durability.deferring(writes):
        s.write_sidecars(lid, "fin", "r.json", [(a, b"new")])
    with pytest.raises(OSError, match="Input/output error"):
        writes.wait()
    assert s.read_sidecar(lid, "fin", a, "r.json") == b"old"
    assert [c.size for c in s.sidecars(lid, "fin", a)] == [3]


def test_a_rescan_passes_over_pages_already_read_in_one_step(finance: Host, tmp_path: Path) -> None:
    count = 2 * PER_STEP + 22
    lid = library(finance, mailbox(tmp_path / "mail", count))
    first = finance.jobs.wait(start_scan(finance, lid), timeout=300)
    assert (first.state, first.steps) == (JobState.DONE, 3)
    again = finance.jobs.wait(start_scan(finance, lid), timeout=300)
    assert again.state is JobState.DONE, again.error
    assert again.steps == 1, "one checkpoint for three pages with nothing to read"
    assert (again.output["scanned"], again.output["skipped"]) == (0, count)

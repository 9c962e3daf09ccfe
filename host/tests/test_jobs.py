"""Jobs run step by step with checkpoints in SQLite, honour cancel, pause and
concurrent_jobs, and survive a SIGKILL of the host process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from spacedrive_host import Host, NotFound
from spacedrive_host.jobs import JobState

MODULUS = 1_000_000_007


def expected(n: int) -> int:
    return sum(i * i for i in range(n)) % MODULUS


@pytest.fixture
def counted(host: Host, built_plugins: Path) -> Host:
    host.plugins.load(built_plugins / "counter")
    return host


def start(host: Host, job: str, **input: int) -> str:
    out = host.execute("action:jobs.start.v1", {"job": job, "input": input, "plugin": "counter"}).data()
    return str(out["id"])


def test_a_job_runs_to_its_output(counted: Host) -> None:
    job = counted.jobs.wait(start(counted, "sum_squares", n=10_000, chunk=300), timeout=60)
    assert job.state is JobState.DONE
    assert job.output == {"sum": expected(10_000)}
    assert job.steps == 34  # ceil(10000 / 300)
    status = counted.execute("query:jobs.status.v1", {"id": job.id}).data()
    assert (status["state"], status["progress"]) == ("done", 1.0)


def test_a_failing_step_fails_the_job_with_its_reason(counted: Host) -> None:
    job = counted.jobs.wait(start(counted, "fail_at", at=3), timeout=30)
    assert job.state is JobState.FAILED
    assert job.error is not None
    assert "failed on purpose at step 3" in job.error
    assert job.checkpoint == 2  # the last good step's checkpoint was kept


def test_cancel_stops_before_the_next_step(counted: Host) -> None:
    job_id = start(counted, "sum_squares", n=10_000_000, chunk=100, work=200)
    counted.execute("action:jobs.cancel.v1", {"id": job_id})
    job = counted.jobs.wait(job_id, timeout=30)
    assert job.state is JobState.CANCELLED
    assert job.output is None


def test_pause_then_resume_continues_from_the_checkpoint(counted: Host) -> None:
    job_id = start(counted, "sum_squares", n=40_000, chunk=100, work=500)
    while counted.jobs.store.get(job_id).steps < 5:
        time.sleep(0.01)
    counted.execute("action:jobs.pause.v1", {"id": job_id})
    paused = counted.jobs.wait(job_id, timeout=30)
    assert paused.state is JobState.PAUSED
    time.sleep(0.2)
    assert counted.jobs.store.get(job_id).steps == paused.steps  # nothing runs while paused
    counted.execute("action:jobs.resume.v1", {"id": job_id})
    done = counted.jobs.wait(job_id, timeout=60)
    assert done.state is JobState.DONE
    assert done.output == {"sum": expected(40_000)}
    assert done.steps == 400


def test_concurrent_jobs_is_enforced(counted: Host) -> None:
    ids = [start(counted, "sum_squares", n=30_000, chunk=100, work=300) for _ in range(4)]
    most = 0
    ended = {JobState.DONE, JobState.FAILED, JobState.CANCELLED}
    deadline = time.monotonic() + 300  # a bound, not a speed goal: a failed job ends the loop too
    while time.monotonic() < deadline:
        states = [counted.jobs.store.get(i).state for i in ids]
        most = max(most, states.count(JobState.RUNNING))
        if all(state in ended for state in states):
            break
        time.sleep(0.005)
    assert most <= 2  # counter's manifest: concurrent_jobs = 2
    assert all(counted.jobs.store.get(i).output == {"sum": expected(30_000)} for i in ids)


def test_unknown_jobs_and_ids(counted: Host) -> None:
    with pytest.raises(NotFound, match="declares no job 'nope'"):
        start(counted, "nope")
    with pytest.raises(NotFound, match="no job"):
        counted.execute("query:jobs.status.v1", {"id": "missing"})


RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from spacedrive_host import Host
    data, plugin, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    with Host(data_dir=data) as host:
        host.plugins.load(plugin)
        if mode == "start":
            job = host.jobs.start("counter", "sum_squares", {"n": 300000, "chunk": 100, "work": 300})
        else:
            (job,) = host.jobs.resume_unfinished()
        print(job.id, flush=True)
        print(host.jobs.wait(job.id, timeout=300).state, flush=True)
    """
)


def steps_done(data: Path) -> int:
    db = sqlite3.connect(data / "jobs.db")
    try:
        row = db.execute("SELECT steps FROM jobs").fetchone()
        return int(row[0]) if row else 0
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        db.close()


def test_a_killed_host_resumes_the_job_from_its_last_checkpoint(tmp_path: Path, built_plugins: Path) -> None:
    data = tmp_path / "data"
    plugin = str(built_plugins / "counter")
    first = subprocess.Popen(
        [sys.executable, "-c", RUN, str(data), plugin, "start"], stdout=subprocess.PIPE, text=True
    )
    assert first.stdout is not None
    job_id = first.stdout.readline().strip()
    deadline = time.monotonic() + 120
    while steps_done(data) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    at_kill = steps_done(data)
    assert 200 <= at_kill < 3000, "the job must be killed part way"

    second = subprocess.run(
        [sys.executable, "-c", RUN, str(data), plugin, "resume"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert second.stdout.split() == [job_id, "done"]
    with Host(data_dir=data) as host:
        job = host.jobs.store.get(job_id)
    assert job.output == {"sum": expected(300_000)}  # the same as an uninterrupted run
    assert job.steps >= 3000  # each step of the remainder ran; at most the one in flight ran twice
    assert job.steps <= 3001

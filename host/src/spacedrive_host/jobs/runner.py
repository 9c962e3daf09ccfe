"""Runs jobs: one thread per running job, at most ``concurrent_jobs`` per plugin
(the rest wait, queued). Each step calls the plugin's ``job:<name>`` with the
input and the last checkpoint, and commits the new checkpoint; a job cancelled
or paused stops before its next step (a plugin can also look itself up with
``query:jobs.status.v1`` to stop early).

A step's checkpoint is committed by the job's commit thread while the next step
runs: once the step's sidecar writes, which may be made durable in the
background (`durability`), are, and never before the previous step's. At most
one commit is outstanding per job; a job's thread ends only after its last
commit, so a crash loses at most the step in flight and the one before it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from .. import durability
from ..errors import InvalidInput, NotFound, PluginError
from ..runtime.manager import PluginManager
from .store import FINISHED, JobRecord, JobState, JobStore

__all__ = ["JobRunner", "StepResult"]

log = logging.getLogger("spacedrive.jobs")

#: The longest wait a step may ask for before the next one (`StepResult.delay_ms`).
MAX_STEP_DELAY_S = 60.0


class StepResult(BaseModel):
    """What a plugin answers for one step of a job."""

    model_config = ConfigDict(extra="forbid")
    progress: float = Field(ge=0, le=1)
    checkpoint: JsonValue = None
    done: bool = False
    output: JsonValue = None
    message: str | None = None
    #: Wait this long before the next step (capped at `MAX_STEP_DELAY_S`): a server's Retry-After.
    delay_ms: int | None = Field(None, ge=0)


class JobRunner:
    def __init__(self, plugins: PluginManager, store: JobStore) -> None:
        self._plugins = plugins
        self.store = store
        self._lock = threading.Lock()
        #: Notified whenever a job's thread ends (`wait` wakes then, not at its next poll).
        self._ended = threading.Condition(self._lock)
        self._threads: dict[str, threading.Thread] = {}
        self._stopping = threading.Event()

    def start(self, plugin_id: str, name: str, input: Any) -> JobRecord:
        manifest = self._plugins.get(plugin_id).manifest
        if not manifest.has_job(name):
            raise NotFound(f"plugin {plugin_id!r} declares no job {name!r}", plugin=plugin_id)
        job = self.store.create(plugin_id, name, input)
        self._schedule(plugin_id)
        return job

    def resume_unfinished(self) -> list[JobRecord]:
        """After a restart: every job that was queued or running continues from its checkpoint."""
        resumed = []
        for job in self.store.all():
            if job.state in (JobState.QUEUED, JobState.RUNNING) and job.id not in self._threads:
                self.store.set_state(job.id, JobState.QUEUED)
                resumed.append(job)
        for plugin_id in {j.plugin_id for j in resumed}:
            self._schedule(plugin_id)
        return resumed

    def cancel(self, job_id: str) -> JobRecord:
        self.store.set_state(job_id, JobState.CANCELLED, only_from=frozenset(JobState) - FINISHED)
        return self.store.get(job_id)

    def pause(self, job_id: str) -> JobRecord:
        self.store.set_state(
            job_id, JobState.PAUSED, only_from=frozenset({JobState.QUEUED, JobState.RUNNING})
        )
        return self.store.get(job_id)

    def resume(self, job_id: str) -> JobRecord:
        job = self.store.get(job_id)
        if self.store.set_state(job_id, JobState.QUEUED, only_from=frozenset({JobState.PAUSED})):
            self._schedule(job.plugin_id)
        return self.store.get(job_id)

    def wait(self, job_id: str, timeout: float | None = None) -> JobRecord:
        """Until the job is finished or paused and its step in flight (if any) has been saved."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.store.get(job_id)
            settled = job.state in FINISHED or job.state is JobState.PAUSED
            with self._lock:
                idle = job_id not in self._threads
                if not (settled and idle) and (deadline is None or time.monotonic() <= deadline):
                    self._ended.wait(0.02)
                    continue
            if settled and idle:
                return self.store.get(job_id)
            return job

    def _schedule(self, plugin_id: str) -> None:
        if self._stopping.is_set():
            return
        try:
            limit = self._plugins.get(plugin_id).manifest.permissions.rate_limits.concurrent_jobs
        except PluginError:
            return  # not loaded: its jobs wait for the plugin
        with self._lock:
            running = [
                j for j in self.store.all(plugin_id) if j.state is JobState.RUNNING and j.id in self._threads
            ]
            for job in self.store.all(plugin_id):
                if len(running) >= limit:
                    break
                if job.state is JobState.QUEUED and job.id not in self._threads:
                    self.store.set_state(job.id, JobState.RUNNING)
                    thread = threading.Thread(
                        target=self._run, args=(job.id,), name=f"job-{job.id[:8]}", daemon=True
                    )
                    self._threads[job.id] = thread
                    running.append(job)
                    thread.start()

    def _run(self, job_id: str) -> None:
        job = self.store.get(job_id)
        try:
            self._steps(job)
        except PluginError as err:
            log.warning("job %s of %s failed: %s", job_id, job.plugin_id, err)
            self.store.set_state(
                job_id, JobState.FAILED, only_from=frozenset({JobState.RUNNING}), error=str(err)
            )
        except Exception as exc:
            self.store.set_state(job_id, JobState.FAILED, error=f"internal error: {type(exc).__name__}")
            log.exception("job %s crashed", job_id)
        finally:
            with self._lock:
                self._threads.pop(job_id, None)
                self._ended.notify_all()
            self._schedule(job.plugin_id)

    def _steps(self, job: JobRecord) -> None:
        """Steps until the job is done, paused or cancelled, or the runner stops; returns
        (or raises) once the last step's checkpoint is committed."""
        commit: Future[None] | None = None  # the last step's, while it waits for its writes
        checkpoint, steps = job.checkpoint, job.steps
        committer = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"job-commit-{job.id[:8]}")
        try:
            while not self._stopping.is_set():
                job = self.store.get(job.id)
                if job.state is not JobState.RUNNING:
                    return
                request = {"job_id": job.id, "input": job.input, "checkpoint": checkpoint, "step": steps}
                writes = durability.StepWrites()
                with durability.deferring(writes):
                    out, _ = self._plugins.call(
                        job.plugin_id, f"job:{job.name}", json.dumps(request).encode()
                    )
                try:
                    step = StepResult.model_validate_json(out)
                except ValidationError as exc:
                    raise InvalidInput(f"job step answer is malformed: {exc.errors()[0]['msg']}") from None
                previous, commit = commit, None
                if previous is not None:
                    previous.result()  # the step before, committed (or its write's error)
                commit = committer.submit(self._commit, job.id, step, writes)
                checkpoint, steps = step.checkpoint, steps + 1
                if step.done:
                    return
                if step.delay_ms:
                    self._pause(job.id, min(step.delay_ms / 1000, MAX_STEP_DELAY_S))
        finally:
            committer.shutdown(wait=True)
            if commit is not None:
                commit.result()

    def _commit(self, job_id: str, step: StepResult, writes: durability.StepWrites) -> None:
        """Commits the step's checkpoint once its writes are durable (a failed write fails
        the job, whose checkpoint stays the last one committed)."""
        writes.wait()
        self.store.save_step(job_id, step.checkpoint, step.progress, step.message, step.done, step.output)

    def _pause(self, job_id: str, seconds: float) -> None:
        """Waits before a job's next step; a stop, cancel or pause ends the wait early."""
        deadline = time.monotonic() + seconds
        while not self._stopping.wait(min(0.05, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline or self.store.get(job_id).state is not JobState.RUNNING:
                return

    def close(self) -> None:
        """Stops after each job's current step; unfinished jobs resume on the next start."""
        self._stopping.set()
        with self._lock:
            threads = list(self._threads.values())
        for t in threads:
            t.join(timeout=30)

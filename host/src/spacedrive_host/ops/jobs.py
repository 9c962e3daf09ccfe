"""``jobs.*``: start, watch, cancel, pause and resume plugin jobs."""

from __future__ import annotations

from pydantic import ConfigDict, Field, JsonValue

from ..errors import ErrorCode, NotFound
from ..jobs import JobRecord
from ..wire.registry import Context, Empty, Model, Registry
from ._namespace import owner

__all__ = ["register"]

NOT_FOUND = (ErrorCode.NOT_FOUND,)


class StartJob(Model):
    model_config = ConfigDict(extra="forbid")
    job: str = Field(description="A job the plugin's manifest declares.")
    input: JsonValue = None
    plugin: str | None = Field(None, description="Whose job (trusted callers; a plugin starts its own).")


class JobRef(Model):
    model_config = ConfigDict(extra="forbid")
    id: str


class JobInfo(Model):
    id: str
    plugin: str
    job: str
    state: str = Field(description="queued, running, paused, cancelled, done or failed.")
    progress: float
    steps: int
    message: str | None
    output: JsonValue
    error: str | None


class JobList(Model):
    jobs: list[JobInfo]


def _info(job: JobRecord) -> JobInfo:
    return JobInfo(
        id=job.id,
        plugin=job.plugin_id,
        job=job.name,
        state=job.state.value,
        progress=job.progress,
        steps=job.steps,
        message=job.message,
        output=job.output,
        error=job.error,
    )


def _visible(ctx: Context, job_id: str) -> JobRecord:
    job = ctx.services.jobs.store.get(job_id)
    if ctx.caller.plugin_id not in (None, job.plugin_id):
        raise NotFound(f"no job {job_id}")  # another plugin's job does not exist for this one
    return job


def register(registry: Registry) -> None:
    @registry.action("jobs.start", errors=NOT_FOUND)
    def start(ctx: Context, inp: StartJob) -> JobInfo:
        """Queues a job; it runs when the plugin has fewer than `concurrent_jobs` running."""
        return _info(ctx.services.jobs.start(owner(ctx, inp.plugin, "jobs"), inp.job, inp.input))

    @registry.query("jobs.status", errors=NOT_FOUND)
    def status(ctx: Context, inp: JobRef) -> JobInfo:
        """A job's state, progress and (when done) output. A running job can poll its own to see a cancel."""
        return _info(_visible(ctx, inp.id))

    @registry.query("jobs.list")
    def list_jobs(ctx: Context, _: Empty) -> JobList:
        """Jobs, oldest first (a plugin sees its own)."""
        return JobList(jobs=[_info(j) for j in ctx.services.jobs.store.all(ctx.caller.plugin_id)])

    @registry.action("jobs.cancel", errors=NOT_FOUND)
    def cancel(ctx: Context, inp: JobRef) -> JobInfo:
        """Cancels a job; it stops before its next step."""
        return _info(ctx.services.jobs.cancel(_visible(ctx, inp.id).id))

    @registry.action("jobs.pause", errors=NOT_FOUND)
    def pause(ctx: Context, inp: JobRef) -> JobInfo:
        """Pauses a job after its current step; `jobs.resume` continues it from its checkpoint."""
        return _info(ctx.services.jobs.pause(_visible(ctx, inp.id).id))

    @registry.action("jobs.resume", errors=NOT_FOUND)
    def resume(ctx: Context, inp: JobRef) -> JobInfo:
        """Resumes a paused job from its last checkpoint."""
        return _info(ctx.services.jobs.resume(_visible(ctx, inp.id).id))

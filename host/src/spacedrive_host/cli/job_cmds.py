"""`spacedrive job ...`: run plugin jobs with a progress bar; resume them after a stop."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from .common import Operations, Settings, emit, handled, operations, out_console, parse_payload

app = typer.Typer(help="Start, watch, cancel and resume plugin jobs.", no_args_is_help=True)


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


#: States after which `_follow` stops watching a job.
_SETTLED = frozenset({"done", "failed", "cancelled", "paused"})


def _follow(ops: Operations, job_ids: list[str]) -> None:
    """Shows a progress bar per job until each finishes (or is paused)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TextColumn("{task.fields[state]}"),
        TimeElapsedColumn(),
        console=out_console,
    ) as bar:
        tasks = {}
        for job_id in job_ids:
            job = ops.execute("query:jobs.status.v1", {"id": job_id}).data()
            tasks[job_id] = bar.add_task(
                f"{job['plugin']}/{job['job']} {job_id[:8]}", total=1.0, state=job["state"]
            )
        pending = set(job_ids)
        while pending:
            for job_id in list(pending):
                job = ops.execute("query:jobs.status.v1", {"id": job_id}).data()
                bar.update(tasks[job_id], completed=job["progress"], state=job["state"])
                if job["state"] in _SETTLED:
                    pending.discard(job_id)
            time.sleep(0.1)


@app.command()
def start(
    ctx: typer.Context,
    plugin: Annotated[str, typer.Argument(help="An installed plugin's id.")],
    job: Annotated[str, typer.Argument(help="A job the plugin declares.")],
    input: Annotated[str | None, typer.Option("--input", help="JSON input for the job.")] = None,
) -> None:
    """Start a job and follow it to the end (Ctrl-C leaves it to `job resume`)."""
    settings = _settings(ctx)
    with operations(settings) as ops, handled():
        info = ops.execute(
            "action:jobs.start.v1", {"plugin": plugin, "job": job, "input": parse_payload(input)}
        )
        job_id = info.data()["id"]
        if not settings.json:
            _follow(ops, [job_id])
        else:
            while ops.execute("query:jobs.status.v1", {"id": job_id}).data()["state"] not in _SETTLED:
                time.sleep(0.1)
        emit(ops.execute("query:jobs.status.v1", {"id": job_id}).data(), b"", None)


@app.command()
def status(
    ctx: typer.Context, job_id: Annotated[str | None, typer.Argument(help="A job's id.")] = None
) -> None:
    """One job as JSON, or a table of all jobs."""
    settings = _settings(ctx)
    with operations(settings) as ops, handled():
        if job_id is not None:
            emit(ops.execute("query:jobs.status.v1", {"id": job_id}).data(), b"", None)
            return
        jobs = ops.execute("query:jobs.list.v1").data()
        if settings.json:
            emit(jobs, b"", None)
            return
        table = Table("id", "plugin", "job", "state", "progress", "steps")
        for j in jobs["jobs"]:
            table.add_row(j["id"], j["plugin"], j["job"], j["state"], f"{j['progress']:.0%}", str(j["steps"]))
    out_console.print(table)


@app.command()
def cancel(ctx: typer.Context, job_id: Annotated[str, typer.Argument(help="A job's id.")]) -> None:
    """Cancel a job."""
    with operations(_settings(ctx)) as ops, handled():
        emit(ops.execute("action:jobs.cancel.v1", {"id": job_id}).data(), b"", None)


@app.command()
def pause(ctx: typer.Context, job_id: Annotated[str, typer.Argument(help="A job's id.")]) -> None:
    """Pause a job after its current step (`job resume` continues it)."""
    with operations(_settings(ctx)) as ops, handled():
        emit(ops.execute("action:jobs.pause.v1", {"id": job_id}).data(), b"", None)


@app.command()
def resume(ctx: typer.Context) -> None:
    """Resume every unfinished job from its last checkpoint, and follow them."""
    from ..host import Host

    with operations(_settings(ctx)) as ops, handled():
        if isinstance(ops, Host):
            ids = [j.id for j in ops.jobs.resume_unfinished()]
        else:  # a daemon resumed them when it started; any paused since stay paused
            ids = ops.execute("action:daemon.jobs.resume.v1").data()["ids"]
        if not ids:
            out_console.print("no unfinished jobs")
            return
        _follow(ops, ids)

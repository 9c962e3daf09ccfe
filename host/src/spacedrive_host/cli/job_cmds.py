"""`spacedrive job ...`: run plugin jobs with a progress bar; resume them after a stop."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from ..errors import ErrorCode, InvalidInput, NotFound
from .common import Operations, Settings, emit, err_console, handled, operations, out_console, parse_payload
from .exit_codes import exit_code

app = typer.Typer(help="Start, watch, cancel and resume plugin jobs.", no_args_is_help=True)


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


#: States after which `_follow` stops watching a job.
_SETTLED = frozenset({"done", "failed", "cancelled", "paused"})
#: States of a job a host is (or should be) running.
_UNFINISHED = frozenset({"queued", "running"})
#: A job id in full (a UUID); anything shorter is a prefix.
_ID_LENGTH = 36

JobId = Annotated[str, typer.Argument(help="A job's id, or a unique prefix of it.")]


def _job_id(ops: Operations, ref: str) -> str:
    """The job ``ref`` names: its full id, or a prefix only one job's id starts with."""
    if len(ref) >= _ID_LENGTH:
        return ref
    ids = [j["id"] for j in ops.execute("query:jobs.list.v1").data()["jobs"] if j["id"].startswith(ref)]
    if not ids:
        raise NotFound(f"no job {ref}")
    if len(ids) > 1:
        listed = ", ".join(ids)
        raise InvalidInput(f"job id prefix {ref!r} matches {len(ids)} jobs: {listed}; give more of it")
    return str(ids[0])


def _failure_status(job: dict[str, Any]) -> int:
    """0, or the exit status of a failed job's error code (its error reads `code: message`)."""
    if job["state"] != "failed":
        return 0
    code = str(job["error"] or "").split(":", 1)[0]
    return exit_code(ErrorCode(code) if code in ErrorCode._value2member_map_ else ErrorCode.INTERNAL)


def _embedded(ops: Operations) -> bool:
    from ..host import Host

    return isinstance(ops, Host)


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
                f"{job['plugin']}/{job['job']} {job_id}", total=1.0, state=job["state"]
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
    """Start a job and follow it to the end (Ctrl-C leaves it to `job resume`); a failed job
    exits with its error code's status."""
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
        final = ops.execute("query:jobs.status.v1", {"id": job_id}).data()
        emit(final, b"", None)
    if status := _failure_status(final):
        raise typer.Exit(status)


def _unfinished_note(count: int) -> None:
    """Without a daemon only the host that started a job runs it (a `job start` still
    following it, maybe in another terminal); which one cannot be told from here."""
    err_console.print(
        f"{count} job(s) queued or running: no daemon serves this data directory, so only the "
        "host that started them runs them; if it stopped, they were interrupted and "
        "`spacedrive job resume` continues them from their last checkpoint",
        soft_wrap=True,
    )


@app.command()
def status(
    ctx: typer.Context,
    job_id: Annotated[str | None, typer.Argument(help="A job's id, or a unique prefix of it.")] = None,
) -> None:
    """One job as JSON, or a table of all jobs."""
    settings = _settings(ctx)
    with operations(settings) as ops, handled():
        # An embedded host runs no job until `job resume`: say who runs an unfinished one.
        embedded = _embedded(ops)
        if job_id is not None:
            job = ops.execute("query:jobs.status.v1", {"id": _job_id(ops, job_id)}).data()
            emit(job, b"", None)
            if embedded and job["state"] in _UNFINISHED:
                _unfinished_note(1)
            return
        jobs = ops.execute("query:jobs.list.v1").data()
        if settings.json:
            emit(jobs, b"", None)
            return
        table = Table()
        # Never cut or wrapped: the id is what the other commands take.
        table.add_column("id", no_wrap=True, min_width=_ID_LENGTH)
        for header in ("plugin", "job", "state", "progress", "steps"):
            table.add_column(header)
        for j in jobs["jobs"]:
            table.add_row(j["id"], j["plugin"], j["job"], j["state"], f"{j['progress']:.0%}", str(j["steps"]))
        unfinished = sum(j["state"] in _UNFINISHED for j in jobs["jobs"]) if embedded else 0
    if out_console.is_terminal:
        out_console.print(table)
    else:  # into a pipe or a file: at its natural width, no column cut to fit 80
        natural = Measurement.get(out_console, out_console.options.update_width(1 << 12), table).maximum
        Console(highlight=False, width=max(out_console.width, natural)).print(table)
    if unfinished:
        _unfinished_note(unfinished)


@app.command()
def cancel(ctx: typer.Context, job_id: JobId) -> None:
    """Cancel a job."""
    with operations(_settings(ctx)) as ops, handled():
        emit(ops.execute("action:jobs.cancel.v1", {"id": _job_id(ops, job_id)}).data(), b"", None)


@app.command()
def pause(ctx: typer.Context, job_id: JobId) -> None:
    """Pause a job after its current step (`job resume` continues it)."""
    with operations(_settings(ctx)) as ops, handled():
        emit(ops.execute("action:jobs.pause.v1", {"id": _job_id(ops, job_id)}).data(), b"", None)


@app.command()
def resume(ctx: typer.Context) -> None:
    """Resume every unfinished job from its last checkpoint, follow them, and print each
    one's final state as `job start` does (`{"jobs": [...]}`)."""
    from ..host import Host

    settings = _settings(ctx)
    with operations(settings) as ops, handled():
        if isinstance(ops, Host):
            ids = [j.id for j in ops.jobs.resume_unfinished()]
        else:  # a daemon resumed them when it started; any paused since stay paused
            ids = ops.execute("action:daemon.jobs.resume.v1").data()["ids"]
        if not ids:
            out_console.print("no unfinished jobs")
            return
        if settings.json:
            while any(
                ops.execute("query:jobs.status.v1", {"id": i}).data()["state"] not in _SETTLED for i in ids
            ):
                time.sleep(0.1)
        else:
            _follow(ops, ids)
        jobs = [ops.execute("query:jobs.status.v1", {"id": i}).data() for i in ids]
        emit({"jobs": jobs}, b"", None)
    if status := next((s for s in map(_failure_status, jobs) if s), 0):
        raise typer.Exit(status)

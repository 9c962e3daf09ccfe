"""What every command shares: the data directory, a host session, errors, output."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol
from uuid import UUID

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import InvalidInput, PluginError
from .exit_codes import exit_code

if TYPE_CHECKING:  # imported where used: `--help` and daemon calls need neither
    from ..host import Host

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)


@dataclass
class Settings:
    data_dir: Path | None = None
    #: `--json`: results and errors as JSON, for scripts.
    json: bool = False
    #: `--no-daemon`: always run an embedded host, even when a daemon serves the data directory.
    embedded: bool = False


class OpResult(Protocol):
    @property
    def tail(self) -> bytes: ...

    def data(self) -> Any: ...


class Operations(Protocol):
    """What a command calls: an embedded `Host` or a running daemon (`DaemonClient`)."""

    def execute(
        self, method: str, payload: Any = None, *, library_id: UUID | None = None, tail: bytes = b""
    ) -> OpResult: ...


class _PluginLogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        name = record.name.removeprefix("spacedrive.plugin.")
        if name != record.name:
            return f"[{name}] {record.levelname.lower()}: {record.getMessage()}"
        return f"spacedrive: {record.levelname.lower()}: {record.getMessage()}"


class _StderrHandler(logging.StreamHandler[Any]):
    """Writes to whatever ``sys.stderr`` is when a line is logged, not the stream of the
    moment it was set up: plugins log from worker threads after a command (or a test
    runner) may have swapped and closed the one it started with."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def setup_logging(level: str) -> None:
    handler = _StderrHandler()
    handler.setFormatter(_PluginLogFormatter())
    root = logging.getLogger("spacedrive")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


#: Set by the root command: errors as JSON too.
_json_errors = False


def fail(err: PluginError) -> NoReturn:
    if _json_errors:
        body = {"code": err.code.value, "message": err.message, "plugin": err.plugin}
        sys.stderr.write(json.dumps({"error": body}) + "\n")
    else:
        # One line, never wrapped: scripts grep it.
        err_console.print(f"[bold red]error\\[{err.code}][/]: {escape(err.message)}", soft_wrap=True)
        if err.plugin:
            err_console.print(f"  plugin: {err.plugin}", soft_wrap=True)
    raise typer.Exit(exit_code(err.code))


def set_json_errors(on: bool) -> None:
    global _json_errors  # noqa: PLW0603 - one process, one command line
    _json_errors = on


@contextmanager
def handled() -> Iterator[None]:
    """Turns typed errors into `error[code]: message` on stderr and the code's exit status."""
    try:
        yield
    except PluginError as err:
        fail(err)


def is_plugin_dir(target: str) -> bool:
    from ..manifest import MANIFEST_FILE

    return (Path(target) / MANIFEST_FILE).is_file()


@contextmanager
def host_session(settings: Settings, *, extra_dir: Path | None = None) -> Iterator[Host]:
    """A host with the installed plugins loaded, plus ``extra_dir`` if given
    (which takes the place of an installed plugin with the same id)."""
    from ..host import Host
    from ..manifest import load_manifest

    with handled(), Host(settings.data_dir) as host:
        # Failures are logged and listed (`plugin list`), not raised.
        host.load_installed(skip=load_manifest(extra_dir).id if extra_dir is not None else None)
        if extra_dir is not None:
            host.plugins.load(extra_dir)
        yield host


@contextmanager
def operations(settings: Settings) -> Iterator[Operations]:
    """The running daemon of the data directory if there is one (and not `--no-daemon`),
    else an embedded host with the installed plugins loaded: same calls, same results."""
    from ..daemon.client import DaemonClient

    with handled():
        client = None if settings.embedded else DaemonClient.connect(settings.data_dir)
    if client is not None:
        with handled(), client:
            yield client
        return
    with host_session(settings) as host:
        yield host


def parse_payload(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"--payload is not valid JSON: {exc}") from None


def read_tail(path: Path | None) -> bytes:
    if path is None:
        return b""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read --tail-file {path}: {exc.strerror}") from None


def emit(value: Any, tail: bytes, tail_out: Path | None) -> None:
    """Prints the JSON result; writes the binary tail to ``tail_out`` or reports its size."""
    out_console.print_json(json.dumps(value), indent=2)
    if tail_out is not None:
        tail_out.write_bytes(tail)
        err_console.print(f"binary tail: {len(tail)} bytes written to {tail_out}")
    elif tail:
        err_console.print(f"binary tail: {len(tail)} bytes (use --tail-out FILE to save it)")


def library_ref(ops: Operations, ref: str) -> UUID:
    """A library named on the command line, by id or name (``query:libraries.get.v1``)."""
    return UUID(ops.execute("query:libraries.get.v1", {"library": ref}).data()["id"])

"""The plugin object: which function serves which method or job.

Example:
    ```python
    from spacedrive_guest import Call, Plugin

    plugin = Plugin()

    @plugin.handler("greet")
    def greet(call: Call) -> dict[str, str]:
        return {"message": f"Hello, {call.input['name']}!"}
    ```
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from . import host
from .errors import HostError, Internal, InvalidInput, NotFound

__all__ = ["Call", "JobStep", "Plugin", "Reply", "StepResult", "current"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Call:
    """One call of a method the plugin provides."""

    #: The method's name, as the manifest's ``provides`` lists it.
    method: str
    #: The JSON input, decoded.
    input: Any
    #: The binary tail sent with it (empty when none).
    tail: bytes = b""
    #: The id (UUID) of the library the call is made for, or None. Using it in a
    #: host call needs the library granted to the plugin (``permission_denied`` if not).
    library: str | None = None


@dataclass(frozen=True)
class Reply:
    """An answer with a binary tail; a handler may also return any JSON value."""

    value: Any = None
    tail: bytes = b""


@dataclass(frozen=True)
class JobStep:
    """One step of a job: the host calls the job's function until it says done."""

    job_id: str
    #: The job's input, as it was started with.
    input: Any
    #: What the previous step returned as its checkpoint; None on the first step
    #: (also after a host restart, the last stored checkpoint comes back here).
    checkpoint: Any
    #: How many steps ran before this one.
    step: int


@dataclass(frozen=True)
class StepResult:
    """One step's answer: `more` (with a checkpoint) or `finished` (with the output)."""

    progress: float
    done: bool
    checkpoint: Any = None
    output: Any = None
    message: str | None = None

    @classmethod
    def more(cls, progress: float, checkpoint: Any, message: str | None = None) -> StepResult:
        """Not done: the host stores ``checkpoint``, reports ``progress`` (0 to 1) and calls again."""
        return cls(min(1.0, max(0.0, progress)), False, checkpoint, None, message)

    @classmethod
    def finished(cls, output: Any, message: str | None = None) -> StepResult:
        """Done, with the job's output."""
        return cls(1.0, True, None, output, message)

    def to_json(self) -> dict[str, Any]:
        """The step result as the host reads it (ABI v1 "Jobs")."""
        return {
            "progress": self.progress,
            "checkpoint": self.checkpoint,
            "done": self.done,
            "output": self.output,
            "message": self.message,
        }


@dataclass
class Plugin:
    """The plugin: create exactly one, at module level, and register its methods and jobs."""

    _handlers: dict[str, Callable[[Call], Any]] = field(default_factory=dict)
    _jobs: dict[str, Callable[[JobStep], StepResult]] = field(default_factory=dict)
    _init: Callable[[], None] | None = None
    _cleanup: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        global _current  # noqa: PLW0603 - one plugin per component, registered at import
        if _current is not None:
            raise RuntimeError("a plugin component holds one Plugin; this is the second")
        _current = self

    def handler(self, name: str) -> Callable[[F], F]:
        """Registers the decorated ``fn(call: Call) -> JSON value | Reply`` as method ``name``."""

        def register(fn: F) -> F:
            self._handlers[name] = fn
            return fn

        return register

    def job(self, name: str) -> Callable[[F], F]:
        """Registers the decorated ``fn(step: JobStep) -> StepResult`` as job ``name``."""

        def register(fn: F) -> F:
            self._jobs[name] = fn
            return fn

        return register

    def on_init(self, fn: F) -> F:
        """Registers a function run once per instance before any call; raising refuses the load."""
        self._init = fn
        return fn

    def on_cleanup(self, fn: F) -> F:
        """Registers a function run when the instance is released."""
        self._cleanup = fn
        return fn

    # -- what the component exports call ------------------------------------

    def run_init(self) -> None:
        """The world's ``init``."""
        if self._init is not None:
            _guarded("init", self._init)

    def run_cleanup(self) -> None:
        """The world's ``cleanup``; its failures are logged, not raised."""
        if self._cleanup is not None:
            try:
                self._cleanup()
            except Exception as exc:
                host.warn(f"cleanup failed: {exc!r}")

    def dispatch(
        self, method: str, json_in: str, tail: bytes, library: str | None = None
    ) -> tuple[str, bytes]:
        """The world's ``handle``: (JSON text, tail), or raises `HostError`."""
        try:
            value = json.loads(json_in)
        except ValueError as exc:
            raise InvalidInput(f"{method}: the input is not JSON: {exc}") from None
        if method.startswith("job:"):
            job = self._jobs.get(method[4:])
            if job is None:
                raise NotFound(f"this plugin has no job {method[4:]!r}")
            step = _job_step(method, value)
            result = _guarded(method, lambda: job(step))
            if not isinstance(result, StepResult):
                raise Internal(f"job {method[4:]!r} returned {type(result).__name__}, not a StepResult")
            return _json_text(f"job {method[4:]!r}", result.to_json()), b""
        fn = self._handlers.get(method)
        if fn is None:
            raise NotFound(f"this plugin has no method {method!r}")
        out = _guarded(method, lambda: fn(Call(method, value, tail, library)))
        reply = out if isinstance(out, Reply) else Reply(out)
        if not isinstance(reply.tail, bytes | bytearray | memoryview):
            raise Internal(f"{method} answered a tail of type {type(reply.tail).__name__}, not bytes")
        return _json_text(method, reply.value), bytes(reply.tail)


def _json_text(what: str, value: Any) -> str:
    """``value`` as JSON text, or `Internal` naming what answered it."""
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise Internal(f"{what} answered a value that is not JSON: {type(exc).__name__}: {exc}") from None


def _job_step(method: str, value: Any) -> JobStep:
    try:
        return JobStep(str(value["job_id"]), value["input"], value.get("checkpoint"), int(value["step"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise InvalidInput(f"{method}: the input is not a job step") from None


T = TypeVar("T")


def _guarded(what: str, run: Callable[[], T]) -> T:
    """Runs plugin code: a `HostError` passes as is; anything else is `Internal`,
    with its traceback in the log."""
    try:
        return run()
    except HostError:
        raise
    except Exception as exc:
        host.error(f"{what} raised:\n{traceback.format_exc()}")
        raise Internal(f"{what} raised {type(exc).__name__}: {exc}") from None


_current: Plugin | None = None


def current() -> Plugin:
    """The component's plugin (its module must have been imported)."""
    if _current is None:
        raise RuntimeError("the plugin module created no spacedrive_guest.Plugin")
    return _current

"""`Wire.execute`: the one path every request takes, whoever sends it.

Order of checks: method form, permission (by operation name, before the
registry is consulted, so a plugin cannot probe for operations it may not
call), rate limit, lookup, scope and library permission, tail, input
validation, then the handler.

A plugin reaches the wire through its `PluginEndpoint`, which remembers the
methods it has already been allowed (its manifest is immutable), so a repeated
call skips straight to the rate limit; every other check runs on every call.
A trusted in-process caller (the Python API's `call_plugin`) may take an
operation's direct entry (`Wire.direct`): resolved once, the arguments already
final, the operation's own checks and the error handling unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError

from ..errors import (
    InternalError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PluginError,
    RateLimited,
)
from ..manifest import Manifest
from ..services import Services
from .caller import Caller
from .methods import parse_method
from .permissions import check_library, method_allowed
from .rate_limit import RateLimiter
from .registry import Context, Operation, Registry, Reply, Scope

__all__ = ["Payload", "PluginEndpoint", "Response", "Wire"]

log = logging.getLogger("spacedrive.wire")

Payload = bytes | str | Mapping[str, Any] | BaseModel | None


@dataclass(slots=True)  # not frozen: see `Reply`
class Response:
    """An operation's result: a validated output model and a binary tail."""

    value: BaseModel
    tail: bytes = b""

    def json(self) -> bytes:
        return _to_json(self.value)

    def data(self) -> dict[str, Any]:
        """The output as JSON-compatible Python data (what the wire would send)."""
        return self.value.model_dump(mode="json")


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False)[:5]:
        loc = ".".join(str(p) for p in err["loc"]) or "(input)"
        parts.append(f"{loc}: {err['msg']}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def _rate_limited(manifest: Manifest) -> RateLimited:
    per_minute = manifest.permissions.rate_limits.requests_per_minute
    return RateLimited(f"more than {per_minute} host calls a minute", plugin=manifest.id)


_CORE = Scope.CORE
_new_tuple = tuple.__new__  # `Context(...)` without its generated Python-level __new__


def _to_json(value: BaseModel) -> bytes:
    # What `model_dump_json` does, without its str round trip.
    out: bytes = value.__pydantic_serializer__.to_json(value)
    return out


class Wire:
    """Executes operations from the registry under a caller's permissions."""

    def __init__(self, registry: Registry, services: Services) -> None:
        self.registry = registry
        self._services = services
        self._rates = RateLimiter()

    def execute(
        self,
        method: str,
        library_id: UUID | None,
        payload: Payload,
        caller: Caller,
        *,
        tail: bytes = b"",
    ) -> Response:
        """Runs one operation; raises a typed `PluginError` on any failure."""
        op = self._resolve(method, caller)
        value, out_tail = self._run(op, library_id, payload, caller, tail)
        return Response(value, out_tail)

    def direct(self, method: str, caller: Caller) -> Callable[..., Response] | None:
        """``method``'s direct entry (`Operation.direct`) for a trusted in-process caller,
        resolved once: the operation `execute` would run, minus the per-call lookup and
        the input model (the arguments arrive in their final form). The operation's own
        checks run on every call, and failures become typed errors as in `execute`.
        None when there is none (a plugin caller, an unregistered operation, one
        without a direct entry): use `execute`."""
        if caller.manifest is not None:  # plugins: permission and rate limit on every call
            return None
        op = self.registry.get(method)
        if op is None or op.direct is None or op.scope is not _CORE:
            return None
        entry, services = op.direct, self._services

        def call(*args: Any) -> Response:
            try:
                value, tail = entry(services, caller, *args)
            except PluginError:
                raise
            except Exception as exc:
                log.exception("operation %s failed", op.method)
                raise InternalError(f"{op.method} failed: {type(exc).__name__}") from exc
            return Response(value, tail)

        return call

    def endpoint(self, manifest: Manifest) -> PluginEndpoint:
        """The wire as the plugin with this manifest calls it."""
        return PluginEndpoint(self, manifest)

    def _resolve(self, method: str, caller: Caller) -> Operation:
        """Method form, permission, rate limit, lookup: the checks before the operation is known."""
        name = parse_method(method)
        manifest = caller.manifest
        if manifest is not None:
            perms = manifest.permissions
            if not method_allowed(perms.methods, name.name):
                granted = ", ".join(perms.methods) or "nothing"
                raise PermissionDenied(
                    f"{method} is not granted by the manifest (methods: {granted}); "
                    f'add "{name.name}" to permissions.methods',
                    plugin=manifest.id,
                )
            self._admit(manifest)
        op = self.registry.get(method)
        if op is None:
            others = self.registry.similar(name.name)
            hint = f" (available: {', '.join(others)})" if others else ""
            raise NotFound(f"no operation {method}{hint}", plugin=caller.plugin_id)
        return op

    def _admit(self, manifest: Manifest) -> None:
        per_minute = manifest.permissions.rate_limits.requests_per_minute
        if not self._rates.try_acquire(manifest.id, per_minute):
            raise _rate_limited(manifest)

    def _run(
        self, op: Operation, library_id: UUID | None, payload: Payload, caller: Caller, tail: bytes
    ) -> tuple[BaseModel, bytes]:
        """Scope, library permission, tail, input validation, then the handler: (output, tail).

        Per call on every path, so it reads no enum member or property it can avoid
        (each an attribute lookup through a descriptor) and builds `Context` as the
        plain tuple it is."""
        if library_id is not None or op.scope is not _CORE:
            self._check_scope(op, library_id, caller)
            if caller.manifest is not None and library_id is not None:
                check_library(caller.manifest, library_id, self._services.grants.granted)
        if tail and not op.takes_tail:
            raise InvalidInput(
                f"{op.method} takes no binary tail ({len(tail)} bytes given)", plugin=caller.plugin_id
            )
        value = self._validate(op, payload, caller)
        ctx = _new_tuple(Context, (self._services, caller, library_id, tail))
        try:
            result = op.handler(ctx, value)
        except PluginError as exc:
            exc.plugin = exc.plugin or caller.plugin_id
            raise
        except Exception as exc:
            log.exception("operation %s failed", op.method)
            raise InternalError(f"{op.method} failed: {type(exc).__name__}", plugin=caller.plugin_id) from exc
        if isinstance(result, Reply):
            return result.value, result.tail
        return result, b""

    @staticmethod
    def _check_scope(op: Operation, library_id: UUID | None, caller: Caller) -> None:
        pid = caller.plugin_id
        if op.scope is Scope.CORE:
            if library_id is not None:
                raise InvalidInput(f"{op.method} is a core operation and takes no library id", plugin=pid)
            return
        if library_id is None:
            raise InvalidInput(f"{op.method} runs against a library; give a library id", plugin=pid)

    @staticmethod
    def _validate(op: Operation, payload: Payload, caller: Caller) -> BaseModel:
        try:
            if type(payload) is op.input:  # the Python API's model (pydantic's isinstance costs more)
                return payload
            if isinstance(payload, bytes | str):  # what plugins send
                # `null` (what Rust's `()` serialises to) and nothing both mean "no input".
                if len(payload) < 16 and payload.strip() in (b"", "", b"null", "null"):
                    return op.input.model_validate({})
                parsed: BaseModel = op.input.__pydantic_validator__.validate_json(payload)
                return parsed
            if payload is None:
                return op.input.model_validate({})
            if isinstance(payload, op.input):
                return payload
            if isinstance(payload, BaseModel):
                return op.input.model_validate(payload.model_dump())
            return op.input.model_validate(payload)
        except ValidationError as exc:
            raise InvalidInput(
                f"bad input for {op.method}: {_describe(exc)}", plugin=caller.plugin_id
            ) from None


class PluginEndpoint:
    """The wire as one plugin calls it: under its manifest, with the methods it
    has been allowed remembered (at most one entry per registered operation)."""

    def __init__(self, wire: Wire, manifest: Manifest) -> None:
        self._wire = wire
        self._manifest = manifest
        self.caller = Caller.plugin(manifest)
        self._routes: dict[bytes, Operation] = {}
        self._bucket = wire._rates.bucket(manifest.id, manifest.permissions.rate_limits.requests_per_minute)

    def call(self, method: bytes, library_id: UUID | None, json: bytes, tail: bytes) -> tuple[bytes, bytes]:
        """Runs one operation for the plugin: (output JSON, output tail), or a typed `PluginError`."""
        op = self._routes.get(method)
        if op is None:
            try:
                name = method.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput("method name is not valid UTF-8", plugin=self._manifest.id) from None
            op = self._wire._resolve(name, self.caller)
            self._routes[method] = op
        elif not self._bucket.try_acquire():
            raise _rate_limited(self._manifest)
        value, out_tail = self._wire._run(op, library_id, json, self.caller, tail)
        try:
            return _to_json(value), out_tail
        except (
            PydanticSerializationError
        ) as exc:  # e.g. a lone surrogate: the caller's instance is not at fault
            log.error("operation %s produced output that is not JSON: %s", op.method, exc)
            raise InternalError(
                f"{op.method} produced output that is not JSON", plugin=self._manifest.id
            ) from None

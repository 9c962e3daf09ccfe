"""`Wire.execute`: the one path every request takes, whoever sends it.

Order of checks: method form, permission (by operation name, before the
registry is consulted, so a plugin cannot probe for operations it may not
call), rate limit, lookup, scope and library permission, tail, input
validation, then the handler.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import BaseModel, ValidationError

from ..errors import (
    InternalError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PluginError,
    RateLimited,
)
from .caller import Caller
from .methods import parse_method
from .permissions import library_allowed, method_allowed
from .rate_limit import RateLimiter
from .registry import Context, Operation, Registry, Reply, Scope

if TYPE_CHECKING:
    from ..host import Host

__all__ = ["Payload", "Response", "Wire"]

log = logging.getLogger("spacedrive.wire")

Payload = bytes | str | Mapping[str, Any] | BaseModel | None


@dataclass(frozen=True)
class Response:
    """An operation's result: a validated output model and a binary tail."""

    value: BaseModel
    tail: bytes = b""

    def json(self) -> bytes:
        return self.value.model_dump_json().encode()

    def data(self) -> dict[str, Any]:
        return self.value.model_dump(mode="json")


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False)[:5]:
        loc = ".".join(str(p) for p in err["loc"]) or "(input)"
        parts.append(f"{loc}: {err['msg']}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


class Wire:
    """Executes operations from the registry under a caller's permissions."""

    def __init__(self, registry: Registry, host: Host) -> None:
        self.registry = registry
        self._host = host
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
        name = parse_method(method)
        pid = caller.plugin_id
        manifest = caller.manifest
        if manifest is not None:
            perms = manifest.permissions
            if not method_allowed(perms.methods, name.name):
                granted = ", ".join(perms.methods) or "nothing"
                raise PermissionDenied(
                    f"{method} is not granted by the manifest (methods: {granted})", plugin=pid
                )
            if not self._rates.try_acquire(manifest.id, perms.rate_limits.requests_per_minute):
                raise RateLimited(
                    f"more than {perms.rate_limits.requests_per_minute} host calls a minute",
                    plugin=pid,
                )
        op = self.registry.get(method)
        if op is None:
            others = self.registry.similar(name.name)
            hint = f" (available: {', '.join(others)})" if others else ""
            raise NotFound(f"no operation {method}{hint}", plugin=pid)
        self._check_scope(op, library_id, caller)
        if tail and not op.takes_tail:
            raise InvalidInput(f"{method} takes no binary tail ({len(tail)} bytes given)", plugin=pid)
        value = self._validate(op, payload, pid)
        ctx = Context(host=self._host, caller=caller, library_id=library_id, tail=tail)
        try:
            result = op.handler(ctx, value)
        except PluginError as exc:
            exc.plugin = exc.plugin or pid
            raise
        except Exception as exc:
            log.exception("operation %s failed", method)
            raise InternalError(f"{method} failed: {type(exc).__name__}", plugin=pid) from exc
        if isinstance(result, Reply):
            return Response(result.value, result.tail)
        return Response(result)

    @staticmethod
    def _check_scope(op: Operation, library_id: UUID | None, caller: Caller) -> None:
        pid = caller.plugin_id
        if op.scope is Scope.CORE:
            if library_id is not None:
                raise InvalidInput(f"{op.method} is a core operation and takes no library id", plugin=pid)
            return
        if library_id is None:
            raise InvalidInput(f"{op.method} runs against a library; give a library id", plugin=pid)
        if caller.manifest is not None and not library_allowed(
            caller.manifest.permissions.libraries, library_id
        ):
            raise PermissionDenied(f"library {library_id} is not granted by the manifest", plugin=pid)

    @staticmethod
    def _validate(op: Operation, payload: Payload, pid: str | None) -> BaseModel:
        try:
            if payload is None:
                return op.input.model_validate({})
            if isinstance(payload, op.input):
                return payload
            if isinstance(payload, BaseModel):
                return op.input.model_validate(payload.model_dump())
            if isinstance(payload, bytes | str):
                # `null` (what Rust's `()` serialises to) and nothing both mean "no input".
                if payload.strip() in (b"", "", b"null", "null"):
                    return op.input.model_validate({})
                return op.input.model_validate_json(payload)
            return op.input.model_validate(payload)
        except ValidationError as exc:
            raise InvalidInput(f"bad input for {op.method}: {_describe(exc)}", plugin=pid) from None

"""``plugins.*``: list and inspect loaded plugins, and call a method a plugin provides."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field, JsonValue
from pydantic_core import PydanticSerializationError, from_json, to_json

from ..errors import AbiViolation, ErrorCode, InvalidInput
from ..runtime.manager import PluginInfo, PluginStatus
from ..services import Services
from ..views import ViewSpec
from ..wire.caller import Caller
from ..wire.permissions import check_library
from ..wire.registry import Context, Empty, Model, Registry, Reply, trusted

__all__ = [
    "PluginCall",
    "PluginCallResult",
    "PluginDetails",
    "PluginList",
    "PluginRef",
    "call_encoded",
    "encode_input",
    "register",
]


class PluginSummary(Model):
    id: str
    name: str | None = None
    version: str | None = None
    status: PluginStatus = Field(description="`failed` when the plugin failed to load or to restart.")
    error: str | None = None


class PluginList(Model):
    plugins: list[PluginSummary]


class PluginRef(Model):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="The plugin's id.")


class ProvidedMethodInfo(Model):
    name: str
    description: str


class LogLine(Model):
    level: str
    message: str


class PluginDetails(PluginSummary):
    description: str | None = None
    directory: str | None = Field(None, description="Shown to trusted callers only.")
    provides: list[ProvidedMethodInfo] = Field(default_factory=list)
    views: list[ViewSpec] = Field(default_factory=list, description="The console pages it declares.")
    permissions: dict[str, JsonValue] | None = None
    calls: int = 0
    faults: int = 0
    compile_cache: str | None = None
    load_ms: float | None = None
    recent_logs: list[LogLine] = Field(default_factory=list)
    logs_dropped: int = Field(0, description="Log lines dropped by the log rate limit.")
    retry_in_s: float | None = Field(
        None, description="When restarts are failing: seconds to the next attempt."
    )


_HEX = "[0-9a-fA-F]"
_UUID = rf"^{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}$"


class PluginCall(Model):
    model_config = ConfigDict(extra="forbid")
    plugin: str = Field(description="Id of the plugin to call.")
    method: str = Field(description="A method the plugin lists under `provides`.")
    input: JsonValue = Field(None, description="JSON input for the method.")
    library: str | None = Field(
        None,
        pattern=_UUID,
        description="The library the call is for (`Call::library`); caller and callee need it granted.",
    )

    @classmethod
    def encoded(cls, plugin: str, method: str, input: Any, library: UUID | None = None) -> PluginCall:
        """A call whose input is serialised once, here, as the plugin receives it
        (no validation into a model and serialisation again)."""
        # Bytes stand in for the JsonValue they encode: validation never lets
        # bytes into `input`, so only this path makes them.
        raw: Any = encode_input(input)
        lib = None if library is None else str(library)
        return trusted(cls, {"plugin": plugin, "method": method, "input": raw, "library": lib})


def encode_input(input: Any) -> bytes:
    """A call's input as JSON, serialised once, as the plugin receives it (plain
    bytes, not a subclass: cffi hands exact bytes to C without a buffer request)."""
    try:
        raw: bytes = to_json(input)
    except PydanticSerializationError as exc:
        raise InvalidInput(f"bad input for action:plugins.call.v1: input: {exc}") from None
    return raw


class PluginCallResult(Model):
    output: JsonValue = None


def _summary(info: PluginInfo) -> PluginSummary:
    m = info.manifest
    return PluginSummary(
        id=info.id,
        name=m.name if m else None,
        version=m.version if m else None,
        status=info.status,
        error=info.error,
    )


def _check_call_library(services: Services, caller: Caller, callee: str, library: UUID) -> None:
    """The library exists, and the calling plugin (if one) and the called one may both use it."""
    services.library.get(library)
    granted = services.grants.granted
    if caller.manifest is not None:
        check_library(caller.manifest, library, granted)
    check_library(services.plugins.get(callee).manifest, library, granted)


def call_encoded(
    services: Services,
    caller: Caller,
    plugin: str,
    method: str,
    json_in: bytes,
    tail: bytes,
    library: UUID | None,
) -> tuple[PluginCallResult, bytes]:
    """What ``plugins.call`` does once its input is known: the library checks, the
    call, the answer checked as JSON (also `Wire.direct`'s entry for the Python API)."""
    if library is not None:
        if type(library) is not UUID:
            library = UUID(str(library))
        _check_call_library(services, caller, plugin, library)
    out_json, out_tail = services.plugins.call(plugin, method, json_in, tail, library=library)
    try:
        # Rust-side parsing: a depth limit instead of Python's recursion, and a lone
        # surrogate refused here (the callee's fault) instead of when serialised for the caller.
        output = from_json(out_json) if out_json else None
    except ValueError as exc:
        raise AbiViolation(f"plugin {plugin!r} answered with invalid JSON: {exc}", plugin=plugin) from None
    return trusted(PluginCallResult, {"output": output}), out_tail


def register(registry: Registry) -> None:
    @registry.query("plugins.list")
    def list_plugins(ctx: Context, _: Empty) -> PluginList:
        """Every plugin the host knows, loaded or failed, with its status."""
        return PluginList(plugins=[_summary(i) for i in ctx.services.plugins.list()])

    @registry.query("plugins.info", errors=(ErrorCode.NOT_FOUND,))
    def plugin_info(ctx: Context, ref: PluginRef) -> PluginDetails:
        """One plugin's manifest, status, counters and recent log lines."""
        info = ctx.services.plugins.info(ref.id)
        m = info.manifest
        return PluginDetails(
            **_summary(info).model_dump(),
            description=m.description if m else None,
            directory=None if ctx.caller.is_plugin else str(info.directory),
            provides=[ProvidedMethodInfo(name=p.name, description=p.description) for p in m.provides]
            if m
            else [],
            views=list(m.views) if m else [],
            permissions=m.permissions.model_dump(mode="json") if m else None,
            calls=info.calls,
            faults=info.faults,
            compile_cache=info.cache.value if info.cache else None,
            load_ms=info.load_ms,
            recent_logs=[LogLine(level=r.level, message=r.message) for r in info.recent_logs],
            logs_dropped=info.logs_dropped,
            retry_in_s=info.retry_in_s,
        )

    # Also any code the called plugin itself returns.
    @registry.action(
        "plugins.call",
        takes_tail=True,
        errors=(
            ErrorCode.NOT_FOUND,
            ErrorCode.UNAVAILABLE,
            ErrorCode.TIMEOUT,
            ErrorCode.LIMIT_EXCEEDED,
            ErrorCode.TRAPPED,
            ErrorCode.ABI_VIOLATION,
        ),
        direct=call_encoded,
    )
    def call_plugin(ctx: Context, call: PluginCall) -> Reply[PluginCallResult]:
        """Calls a method a plugin provides, with JSON input and an optional binary tail."""
        given: Any = call.input  # JsonValue, or bytes from `PluginCall.encoded`
        json_in = given if type(given) is bytes else to_json(given)
        library = None if call.library is None else UUID(call.library)
        value, tail = call_encoded(
            ctx.services, ctx.caller, call.plugin, call.method, json_in, ctx.tail, library
        )
        return Reply(value, tail)

"""The wire's checks, with trusted and plugin callers (no wasm needed here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from pydantic import BaseModel

from spacedrive_host import (
    Caller,
    Context,
    Empty,
    Host,
    InternalError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    Registry,
    Scope,
)
from spacedrive_host.manifest import parse_manifest
from spacedrive_host.ops import register_builtin

LIB = UUID("550e8400-e29b-41d4-a716-446655440000")


class Count(BaseModel):
    n: int


def plugin_caller(**permissions: object) -> Caller:
    return Caller.plugin(
        parse_manifest(
            {
                "id": "p",
                "name": "P",
                "version": "1.0.0",
                "wasm_file": "p.wasm",
                "permissions": permissions,
            }
        )
    )


@pytest.fixture
def registry() -> Registry:
    reg = register_builtin(Registry())

    @reg.query("test.library_size", scope=Scope.LIBRARY)
    def library_size(ctx: Context, _: Empty) -> Count:
        """Stands in for a library operation."""
        assert ctx.library_id is not None
        return Count(n=ctx.library_id.int % 7)

    @reg.action("test.explode")
    def explode(ctx: Context, _: Empty) -> Count:
        raise RuntimeError("secret detail")

    def explode_direct(services: object, caller: Caller, n: int) -> tuple[Count, bytes]:
        if n < 0:
            raise RuntimeError("secret detail")
        return Count(n=n), caller.name.encode()

    @reg.action("test.direct", direct=explode_direct)
    def direct(ctx: Context, count: Count) -> Count:
        """Has a direct entry."""
        return explode_direct(ctx.services, ctx.caller, count.n)[0]

    return reg


@pytest.fixture
def wired(tmp_path: Path, registry: Registry) -> Iterator[Host]:
    with Host(data_dir=tmp_path, registry=registry) as host:
        yield host


def test_registry_infers_models_and_description(registry: Registry) -> None:
    op = registry.get("query:test.library_size.v1")
    assert op is not None
    assert (op.input, op.output, op.scope) == (Empty, Count, Scope.LIBRARY)
    assert op.description == "Stands in for a library operation."
    echo = registry.get("query:core.echo.v1")
    assert echo is not None
    assert echo.takes_tail
    assert echo.returns_tail


def test_duplicate_registration_is_refused(registry: Registry) -> None:
    with pytest.raises(ValueError, match="already registered"):

        @registry.query("core.version")
        def again(ctx: Context, _: Empty) -> Count:
            return Count(n=0)


@pytest.mark.parametrize(
    "method",
    [
        "core.version",
        "query:core.version",
        "query:Core.version.v1",
        "get:core.version.v1",
        "query:core.version.v0",
        "",
    ],
)
def test_malformed_methods(wired: Host, method: str) -> None:
    with pytest.raises(InvalidInput, match=r"expected kind:namespace\.name\.vN"):
        wired.execute(method)


def test_unknown_operation_lists_other_versions(wired: Host) -> None:
    with pytest.raises(NotFound, match=r"available: query:core\.version\.v1"):
        wired.execute("query:core.version.v2")


def test_plugin_needs_a_grant(wired: Host) -> None:
    caller = plugin_caller(methods=["core.echo"])
    assert wired.execute("query:core.echo.v1", {"value": 1}, caller=caller).data() == {"value": 1}
    with pytest.raises(PermissionDenied, match="not granted") as info:
        wired.execute("query:core.version.v1", caller=caller)
    assert info.value.plugin == "p"


def test_permission_is_checked_before_existence(wired: Host) -> None:
    with pytest.raises(PermissionDenied):
        wired.execute("query:secret.thing.v1", caller=plugin_caller(methods=["core."]))


def test_library_scope_and_grants(wired: Host) -> None:
    with pytest.raises(InvalidInput, match="give a library id"):
        wired.execute("query:test.library_size.v1")
    with pytest.raises(InvalidInput, match="takes no library"):
        wired.execute("query:core.version.v1", library_id=LIB)
    assert wired.execute("query:test.library_size.v1", library_id=LIB).data() == {"n": LIB.int % 7}
    granted = plugin_caller(methods=["test."], libraries=[str(LIB)])
    assert wired.execute("query:test.library_size.v1", library_id=LIB, caller=granted).data()["n"] >= 0
    other = UUID(int=1)
    with pytest.raises(PermissionDenied, match=f"library {other}"):
        wired.execute("query:test.library_size.v1", library_id=other, caller=granted)
    everything = plugin_caller(methods=["test."], libraries=["*"])
    wired.execute("query:test.library_size.v1", library_id=other, caller=everything)


def test_input_is_validated_with_field_names(wired: Host) -> None:
    with pytest.raises(InvalidInput, match=r"plugins\.info\.v1: id: Field required"):
        wired.execute("query:plugins.info.v1", {})
    with pytest.raises(InvalidInput, match="Invalid JSON"):
        wired.execute("query:plugins.info.v1", b"{nope")
    with pytest.raises(InvalidInput, match="Extra inputs"):
        wired.execute("query:core.echo.v1", {"value": 1, "extra": 2})


def test_tail_only_where_declared(wired: Host) -> None:
    assert wired.execute("query:core.echo.v1", tail=b"\x00\x01").tail == b"\x00\x01"
    with pytest.raises(InvalidInput, match="takes no binary tail"):
        wired.execute("query:core.version.v1", tail=b"x")


def test_handler_crash_is_internal_without_details(wired: Host) -> None:
    with pytest.raises(InternalError) as info:
        wired.execute("action:test.explode.v1")
    assert "secret detail" not in info.value.message
    assert "RuntimeError" in info.value.message


def test_rate_limit_refuses_without_blocking(wired: Host) -> None:
    caller = plugin_caller(methods=["core."], rate_limits={"requests_per_minute": 3})
    for _ in range(3):
        wired.execute("query:core.version.v1", caller=caller)
    with pytest.raises(RateLimited, match="3 host calls a minute"):
        wired.execute("query:core.version.v1", caller=caller)
    # Trusted callers are not rate limited.
    for _ in range(10):
        wired.execute("query:core.version.v1")


def test_plugin_endpoint_remembers_only_allowed_methods(wired: Host) -> None:
    caller = plugin_caller(methods=["core."], rate_limits={"requests_per_minute": 5})
    assert caller.manifest is not None
    endpoint = wired.wire.endpoint(caller.manifest)
    # Garbage, ungranted and unknown methods are refused every time and never remembered,
    # so a plugin cannot grow the endpoint by inventing names.
    for bad, error in [
        (b"\xff\xfe", InvalidInput),
        (b"query:plugins.list.v1", PermissionDenied),
        (b"query:core.nothing.v1", NotFound),
    ]:
        for _ in range(2):
            with pytest.raises(error):
                endpoint.call(bad, None, b"{}", b"")
    assert endpoint._routes == {}
    out, tail = endpoint.call(b"query:core.echo.v1", None, b'{"value": [1, "x"]}', b"\x00t")
    assert (out, tail) == (b'{"value":[1,"x"]}', b"\x00t")
    assert list(endpoint._routes) == [b"query:core.echo.v1"]
    # A remembered route skips the lookups, not the other checks: input, tail, rate.
    with pytest.raises(InvalidInput, match=r"bad input for query:core\.echo\.v1"):
        endpoint.call(b"query:core.echo.v1", None, b'{"value": 1, "extra": 2}', b"")
    with pytest.raises(InvalidInput, match="a core operation and takes no library id"):
        endpoint.call(b"query:core.echo.v1", LIB, b"{}", b"")
    with pytest.raises(RateLimited):
        endpoint.call(b"query:core.echo.v1", None, b"{}", b"")
    # The bucket belongs to the plugin, not the endpoint: a new endpoint (a reload) shares it.
    with pytest.raises(RateLimited):
        wired.wire.endpoint(caller.manifest).call(b"query:core.echo.v1", None, b"{}", b"")


def test_direct_entry_for_trusted_callers_only(wired: Host) -> None:
    direct = wired.wire.direct("action:test.direct.v1", Caller.trusted("python"))
    assert direct is not None
    out = direct(3)
    assert (out.data(), out.tail) == ({"n": 3}, b"python")
    # Failures become typed errors as through `execute`: no details leak.
    with pytest.raises(InternalError) as info:
        direct(-1)
    assert "secret detail" not in info.value.message
    assert "RuntimeError" in info.value.message
    # Plugins go through their endpoint (permission and rate limit on every call);
    # an operation without a direct entry, or none at all, has none.
    assert wired.wire.direct("action:test.direct.v1", plugin_caller(methods=["test."])) is None
    assert wired.wire.direct("action:test.explode.v1", Caller.trusted("python")) is None
    assert wired.wire.direct("action:test.nothing.v1", Caller.trusted("python")) is None


def test_call_plugin_without_plugins_call_says_what_is_missing(tmp_path: Path) -> None:
    with (
        Host(data_dir=tmp_path, registry=Registry()) as host,
        pytest.raises(NotFound, match=r"no operation action:plugins\.call\.v1"),
    ):
        host.call_plugin("echo", "echo", {})

"""`py-echo`: payloads and binary tails round-trip through ``handle`` and (with
``relay``) through the host too. The same component serves `py-hostile`, whose
manifest exposes the methods below the line: misbehaviour the host must contain,
and `py-notes`, whose manifest asks for granted libraries (``library``)."""

from __future__ import annotations

import os
import sys
from typing import Any

from spacedrive_guest import Call, HostError, Plugin, Reply, call_raw, host, ops

plugin = Plugin()


@plugin.handler("echo")
def echo(call: Call) -> Reply:
    return Reply(call.input, call.tail)


@plugin.handler("relay")
def relay(call: Call) -> Reply:
    args: dict[str, Any] = call.input
    out, tail = call_raw(args["method"], args.get("input"), library=args.get("library"), tail=call.tail)
    return Reply(out, tail)


@plugin.handler("fetch")
def fetch(call: Call) -> Reply:
    out, body = call_raw("action:http.request.v1", call.input, tail=call.tail)
    return Reply(out, body)


@plugin.handler("host_calls")
def host_calls(call: Call) -> int:
    """`n` calls to query:core.echo.v1 with a `size`-character string (benchmark)."""
    value = "x" * int(call.input["size"])
    for _ in range(int(call.input["n"])):
        call_raw("query:core.echo.v1", {"value": value})
    return int(call.input["n"])


# --8<-- [start:library]
@plugin.handler("library")
def library(call: Call) -> dict[str, Any]:
    """The library the call is made for and its entry count (py-notes; as the Rust notes)."""
    if call.library is None:
        return {"library": None, "entries": None}
    page = ops.vdfs_entries_list(call.library, {"limit": 1})
    return {"library": call.library, "entries": page["total"]}


# --8<-- [end:library]


# -- misbehaviour (exposed by py-hostile's manifest only) -------------------


@plugin.handler("call")
def call_method(call: Call) -> Any:
    args: dict[str, Any] = call.input
    return call_raw(args["method"], args.get("input"), library=args.get("library"))[0]


@plugin.handler("flood_calls")
def flood_calls(call: Call) -> dict[str, int]:
    counts: dict[str, int] = {}
    for i in range(int(call.input["n"])):
        try:
            call_raw("query:core.echo.v1", {"value": i})
            code = "ok"
        except HostError as err:
            code = err.code
        counts[code] = counts.get(code, 0) + 1
    return counts


@plugin.handler("spin")
def spin(call: Call) -> None:
    while True:
        pass


@plugin.handler("memory_bomb")
def memory_bomb(call: Call) -> int:
    blocks = []
    while True:
        blocks.append(bytearray(1 << 20))


@plugin.handler("raise")
def raise_(call: Call) -> None:
    raise ValueError("raised on purpose")


@plugin.handler("not_json")
def not_json(call: Call) -> Any:
    """Answers what JSON cannot hold (`form`): a set, NaN, or a tail that is not bytes."""
    form = call.input["form"]
    if form == "set":
        return {"s": {1, 2}}
    if form == "nan":
        return float("nan")
    return Reply(None, "text, not bytes")  # type: ignore[arg-type]


@plugin.handler("trap")
def trap(call: Call) -> None:
    os._exit(3)  # WASI proc_exit: the instance traps


@plugin.handler("print")
def print_(call: Call) -> None:
    print(call.input["text"])
    print(call.input["text"], file=sys.stderr)


#: Tails that are not the world's octets (the SDK never writes one).
BAD_OCTETS = {"odd": " 0", "digit": " 0g", "inner_space": " 00 11", "non_ascii": "caf\u00e9"}


@plugin.handler("bad_tail")
def bad_tail(call: Call) -> Reply:
    """Answers with a tail that is not octets: the SDK's writer replaced for this one answer."""
    from spacedrive_guest import _world

    writer, bad = _world._to_octets, BAD_OCTETS[call.input["form"]]

    def once(data: bytes) -> str:
        _world._to_octets = writer
        return bad

    _world._to_octets = once
    return Reply(None, b"\x80")


@plugin.handler("bad_request_tail")
def bad_request_tail(call: Call) -> dict[str, str]:
    """Sends core.echo a tail that is not octets, straight through the world's ``call``."""
    from spacedrive_guest._bindings import bindings, unwrap

    try:
        unwrap(bindings().call, "query:core.echo.v1", None, '{"value": 1}', BAD_OCTETS[call.input["form"]])
    except HostError as err:
        return {"code": err.code, "message": err.message}
    return {"code": "ok", "message": ""}


@plugin.handler("clock_random")
def clock_random(call: Call) -> dict[str, Any]:
    return {
        "now_ns": host.now_ns(),
        "monotonic_ns": host.monotonic_ns(),
        "random": host.random_bytes(int(call.input["n"])).hex(),
    }

"""What makes a component a plugin of the ``spacedrive:plugin@1.0.0`` world: its exports
and imports, its store limits, and the WIT values that cross it (results, failures,
the typed error of a failed entry)."""

from __future__ import annotations

import json
import os
import time
from typing import Any

import wasmtime
from wasmtime import component as wc

from ..errors import LimitExceeded, LoadError, PluginError, Timeout, TrapError
from .hostcalls import MAX_RANDOM_BYTES
from .traps import guest_failure

__all__ = [
    "ANSWER_FAULTS",
    "COMPONENT_LIMITS",
    "WORLD",
    "WORLD_EXPORTS",
    "WORLD_IMPORTS",
    "Answer",
    "ComponentLimits",
    "check_world",
    "clock_import",
    "entry_failure",
    "failure_answer",
    "failure_fields",
    "failure_text",
    "from_octets",
    "parse_wire_error",
    "public_answer",
    "random_import",
    "to_octets",
    "wire_error",
    "wit_answer",
    "wit_err",
    "wit_failure",
    "wit_ok",
    "wit_record",
]

#: The world every component plugin must be of.
WORLD = "spacedrive:plugin@1.0.0"
WORLD_EXPORTS = ("init", "handle", "cleanup")
#: ``handle``'s parameters, by name (a component of an earlier draft lacks ``library``).
HANDLE_PARAMS = ("method", "library", "json", "tail")
WORLD_IMPORTS = frozenset({"call", "http", "log", "clock", "random"})
#: WASI interfaces the host links (with nothing granted); wasi:http is not among them.
_WASI = ("wasi:cli/", "wasi:clocks/", "wasi:filesystem/", "wasi:io/", "wasi:random/", "wasi:sockets/")


class ComponentLimits:
    """Store limits for one component instance: componentize-py components use
    2 tables and up to ~40 core instances (a core module plugin gets 1 and 4)."""

    instances = 64
    tables = 8
    memories = 4
    table_elements = 1 << 20


COMPONENT_LIMITS = ComponentLimits()


def check_world(engine: wasmtime.Engine, component: wc.Component, source: str) -> None:
    """Refuses, naming the reason, a component that is not of the plugin world:
    an export missing, or an import the host does not provide."""
    kind = component.type
    exports = kind.exports(engine)
    missing = [name for name in WORLD_EXPORTS if name not in exports]
    if missing:
        raise LoadError(
            f"{source} is not a component of the {WORLD} world: it does not export {', '.join(missing)}"
        )
    handle = exports["handle"].ty
    params = [name for name, _ in handle.params] if isinstance(handle, wc.FuncType) else []
    if params != list(HANDLE_PARAMS):
        raise LoadError(
            f"{source} is not a component of the {WORLD} world: its handle takes "
            f"({', '.join(params)}), not ({', '.join(HANDLE_PARAMS)}); an earlier draft of the "
            "world, rebuild it with this spacedrive_guest"
        )
    foreign = sorted(n for n in kind.imports(engine) if n not in WORLD_IMPORTS and not n.startswith(_WASI))
    if foreign:
        raise LoadError(
            f"{source} imports {', '.join(foreign)}, which the host does not provide "
            f"(a plugin component imports only the {WORLD} world and WASI)"
        )


class Answer:
    """What came of a ``handle`` call, on either call path (component.c's ``SD_ANSWER_*``)."""

    FAILED = 0  # the call trapped or failed (raised, never returned)
    OK = 1  # (json, tail)
    ERR = 2  # (code, message)
    NOT_A_MESSAGE = 3  # the answer is not result<message, failure>
    TAIL_NOT_OCTETS = 4  # the answer's tail is not octets
    NO_MEMORY = 5  # the host could not allocate a tail buffer


#: The protocol fault each irregular answer is (the instance is discarded).
ANSWER_FAULTS = {
    Answer.NOT_A_MESSAGE: "handle answered something other than a result of message or failure",
    Answer.TAIL_NOT_OCTETS: "handle answered a tail that is not octets (ASCII, or a space and hex digits)",
}


def public_answer(result: Any) -> tuple[int, bytes, bytes]:
    """``handle``'s result as wasmtime-py's public API gives it, read as the C path reads
    it: (`Answer` code, first, second)."""
    if not isinstance(result, wc.Variant):
        return Answer.NOT_A_MESSAGE, b"", b""
    if result.tag == "err":
        code, message = failure_fields(result.payload)
        return Answer.ERR, code.encode(), message.encode()
    json_out, octets = getattr(result.payload, "json", None), getattr(result.payload, "tail", None)
    if not isinstance(json_out, str) or not isinstance(octets, str):
        return Answer.NOT_A_MESSAGE, b"", b""
    tail = from_octets(octets)
    if tail is None:
        return Answer.TAIL_NOT_OCTETS, b"", b""
    return Answer.OK, json_out.encode(), tail


def failure_answer(code: str, message: str) -> tuple[bool, bytes, bytes]:
    """An import's failure, as `wit_answer` and the C path take it."""
    return False, code.encode(), message.encode()


def wit_answer(answer: tuple[bool, bytes, bytes]) -> wc.Variant:
    """An import's answer, (True, json, tail) or (False, code, message), as wasmtime-py's
    value of ``result<message, failure>``."""
    ok, first, second = answer
    if ok:
        return wit_ok(wit_record(json=first.decode(), tail=to_octets(second)))
    return wit_err(first.decode(), second.decode())


def clock_import(which: int) -> int:
    """The ``clock`` import, as ABI v1's ``spacedrive_clock``: 0 wall clock, 1 monotonic, else 0."""
    return time.time_ns() if which == 0 else time.monotonic_ns() if which == 1 else 0


def random_import(length: int) -> bytes | wc.Record:
    """The ``random`` import: ``length`` bytes of OS randomness, or a failure past the limit."""
    if length > MAX_RANDOM_BYTES:
        return wit_failure(
            "limit_exceeded", f"{length} random bytes asked for; the limit is {MAX_RANDOM_BYTES}"
        )
    return os.urandom(length)


def wit_record(**fields: Any) -> wc.Record:
    """A WIT record value (wasmtime-py reads its fields as attributes)."""
    record = wc.Record()
    record.__dict__.update(fields)
    return record


# wasmtime-py tags a result only when its two cases have the same Python type:
# result<message, failure> is a Variant, result<list<u8>, failure> is bare bytes or a Record.
def wit_ok(value: Any) -> wc.Variant:
    return wc.Variant("ok", value)


def wit_failure(code: str, message: str) -> wc.Record:
    return wit_record(code=code, message=message)


def wit_err(code: str, message: str) -> wc.Variant:
    return wc.Variant("err", wit_failure(code, message))


def failure_fields(value: Any) -> tuple[str, str]:
    code, message = getattr(value, "code", None), getattr(value, "message", None)
    if not isinstance(code, str) or not isinstance(message, str):
        return "internal", "the plugin answered with a malformed failure"
    return code, message


def failure_text(value: Any) -> str:
    code, message = failure_fields(value)
    return f"{code}: {message}"


def to_octets(data: bytes) -> str:
    """``data`` as the world's ``octets``: the bytes themselves when all are ASCII and
    the first is not a space, else a space and two hex digits per byte."""
    if data.isascii() and not data.startswith(b" "):
        return data.decode("ascii")
    return " " + data.hex()


def from_octets(octets: str) -> bytes | None:
    """The bytes of a tail in the world's ``octets``, or None when it is not that
    (``bytes.fromhex`` alone would skip whitespace anywhere)."""
    if not octets.startswith(" "):
        return octets.encode("ascii") if octets.isascii() else None
    try:
        data = bytes.fromhex(octets)  # the leading space is skipped
    except ValueError:
        return None
    return data if 2 * len(data) + 1 == len(octets) else None


def wire_error(err: PluginError) -> tuple[bytes, bytes]:
    return json.dumps(err.to_wire()).encode(), b""


def parse_wire_error(raw: bytes) -> tuple[str, str]:
    try:
        obj = json.loads(raw)
        return str(obj["code"]), str(obj["message"])
    except (ValueError, KeyError, TypeError):
        return "internal", raw.decode("utf-8", "replace")


def entry_failure(
    what: str, exc: wasmtime.Trap | wasmtime.WasmtimeError, *, plugin: str, timeout: str, loading: bool
) -> PluginError:
    """The typed error for a failed entry into a component. Its errors carry no trap
    code, only text: the time limit reads "interrupt", the cause is the last line."""
    if isinstance(exc, wasmtime.Trap):
        return guest_failure(what, exc, plugin=plugin, timeout=timeout, loading=loading)
    text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cause = lines[-1] if lines else type(exc).__name__
    if "wasm trap: interrupt" in text:
        return Timeout(f"{what} ran past {timeout}", plugin=plugin)
    if "exceeds memory limits" in text:
        return LimitExceeded(f"{what} failed: {cause}", plugin=plugin)
    return (LoadError if loading else TrapError)(f"{what} trapped: {cause}", plugin=plugin)

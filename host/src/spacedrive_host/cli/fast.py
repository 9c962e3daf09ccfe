"""`spacedrive op call` through a running daemon without loading typer and rich.

A call through the daemon is a socket round trip; importing the CLI framework
costs ten times more than that. When the command line is exactly a plain
`op call` (the root's `--data-dir`, `--json`, `--log-level`; the call's
`--payload`, `--library`) and a daemon answers, it is served here with the same
output, errors and exit status as the typer command; anything else (other
options, bad JSON, no daemon) falls through to it.
"""

from __future__ import annotations

import sys

from ..daemon import lean_json

TYPE_CHECKING = False  # not `typing`'s
if TYPE_CHECKING:
    from typing import Any

__all__ = ["try_fast"]

_ROOT_VALUES = frozenset({"--data-dir", "--log-level"})
_CALL_VALUES = frozenset({"--payload", "--library"})


def _options(args: list[str], allowed: frozenset[str], flags: frozenset[str]) -> dict[str, str] | None:
    out: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if name in allowed:
            if not eq:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            out[name] = value
        elif arg in flags and not eq:
            out[arg] = ""
        else:
            return None
        i += 1
    return out


def try_fast(argv: list[str]) -> int | None:
    """The exit status if the command was served here, None to run the typer app."""
    try:
        at = argv.index("op")
    except ValueError:
        return None
    if argv[at + 1 : at + 2] != ["call"] or len(argv) < at + 3:
        return None
    root = _options(argv[:at], _ROOT_VALUES, frozenset({"--json"}))
    call = _options(argv[at + 3 :], _CALL_VALUES, frozenset())
    method = argv[at + 2]
    if root is None or call is None or method.startswith("-"):
        return None
    try:
        payload = lean_json.loads(call["--payload"]) if "--payload" in call else None
        library = None
        if call.get("--library"):
            from uuid import UUID  # `uuid` loads `platform`: only when asked

            library = UUID(call["--library"])
    except ValueError:
        return None  # the typer command words the error
    from ..daemon.quickcall import Unreachable
    from ..daemon.quickcall import call as call_daemon
    from ..data_dir import root_path

    params: dict[str, Any] = {} if payload is None else {"input": payload}
    if library is not None:
        params["library"] = str(library)
    try:
        reply = call_daemon(root_path(root.get("--data-dir")), method, params)
    except Unreachable as exc:
        return _fail({"code": "unavailable", "message": str(exc)}, as_json="--json" in root)
    if reply is None:
        return None
    if "error" in reply:
        err = reply["error"]
        data = err.get("data") or {}
        typed = {"code": data.get("code", "internal"), "message": err.get("message", "")}
        return _fail({**typed, "plugin": data.get("plugin")}, as_json="--json" in root)
    result = reply["result"]
    # As rich's `print_json` writes it when stdout is not a terminal.
    sys.stdout.write(lean_json.pretty(result["output"]) + "\n")
    if result["tail"]:
        from ..daemon.protocol import decode_tail

        tail = decode_tail(result["tail"])
        sys.stderr.write(f"binary tail: {len(tail)} bytes (use --tail-out FILE to save it)\n")
    return 0


def _fail(reply: dict[str, Any], *, as_json: bool) -> int:
    """Prints the daemon's typed error as the typer command would; its exit status."""
    import json  # `re`, `enum`: only when a call fails

    from ..errors import error_for_code
    from .exit_codes import exit_code

    err = error_for_code(reply["code"], reply["message"], plugin=reply.get("plugin"))
    if as_json:
        body = {"code": err.code.value, "message": err.message, "plugin": err.plugin}
        sys.stderr.write(json.dumps({"error": body}) + "\n")
    else:
        sys.stderr.write(f"error[{err.code}]: {err.message}\n")
        if err.plugin:
            sys.stderr.write(f"  plugin: {err.plugin}\n")
    return exit_code(err.code)

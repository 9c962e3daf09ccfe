"""JSON for the CLI's call through the daemon, without the `json` package.

`json` imports `re` (and with it `enum`), which costs `spacedrive op call` more
than its whole round trip to the daemon. The `_json` C module, which `json` uses
underneath, needs neither: its scanner decodes, its encoder writes compact JSON,
and `pretty` writes what ``json.dumps(value, indent=2, ensure_ascii=False)`` writes
(the CLI's output), for the values a decode gives (dict, list, str, int, float,
bool, None).
"""

from __future__ import annotations

import _json
from math import isinf, isnan

TYPE_CHECKING = False  # not `typing`'s: that import is what this module avoids
if TYPE_CHECKING:
    from typing import Any

__all__ = ["compact", "loads", "pretty"]

_WHITESPACE = " \t\n\r"
_CONSTANTS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


class _Context:
    """What `_json.make_scanner` reads from its `json.JSONDecoder`."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


_scan = _json.make_scanner(_Context())  # type: ignore[arg-type]  # duck-typed, as json does


def _unserializable(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# No circular check (markers None): a shared markers dict would keep the ids an
# encoding that failed left in it, and JSON-decoded or pydantic-dumped values have no cycles.
_compact = _json.make_encoder(
    None, _unserializable, _json.encode_basestring_ascii, None, ":", ",", False, False, True
)


def loads(text: str) -> Any:
    """As `json.loads` for a str (a ValueError if it is not JSON, in json's words)."""
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = _scan(text, start)
    except (StopIteration, SystemError):
        # SystemError: `_json` raises its errors as json.decoder's class, and fails to
        # when that module is not loaded. Either way `json` says what is wrong.
        end = -1
    if end < 0 or text[end:].strip(_WHITESPACE):
        import json

        return json.loads(text)
    return value


def compact(value: Any) -> str:
    """As ``json.dumps(value, separators=(",", ":"))``."""
    return "".join(_compact(value, 0))


def pretty(value: Any, level: int = 0) -> str:
    """As ``json.dumps(value, indent=2, ensure_ascii=False)``."""
    if isinstance(value, str):
        return _json.encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict):
        items = [f"{_json.encode_basestring(k)}: {pretty(v, level + 1)}" for k, v in value.items()]
        return _block("{", items, "}", level)
    if isinstance(value, list):
        return _block("[", [pretty(v, level + 1) for v in value], "]", level)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _block(opening: str, items: list[str], closing: str, level: int) -> str:
    if not items:
        return opening + closing
    inner = "\n" + "  " * (level + 1)
    return opening + inner + ("," + inner).join(items) + "\n" + "  " * level + closing


def _float(value: float) -> str:
    if isnan(value):
        return "NaN"
    if isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)

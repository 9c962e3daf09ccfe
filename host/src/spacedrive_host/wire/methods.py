"""Method strings: ``kind:namespace.name.vN``."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from ..errors import InvalidInput

__all__ = ["Kind", "MethodName", "parse_method"]

_METHOD = re.compile(r"(query|action):([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)\.v([1-9][0-9]{0,5})")


class Kind(StrEnum):
    QUERY = "query"
    ACTION = "action"


class MethodName(NamedTuple):
    kind: Kind
    name: str
    version: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}.v{self.version}"


@lru_cache(maxsize=4096)  # plugins call the same few methods over and over
def parse_method(method: str) -> MethodName:
    """Splits a method string; `InvalidInput` says what the form should be."""
    m = _METHOD.fullmatch(method)
    if m is None:
        shown = method if len(method) <= 80 else method[:80] + "..."
        raise InvalidInput(
            f"malformed method {shown!r}: expected kind:namespace.name.vN, e.g. query:core.version.v1"
        )
    return MethodName(Kind(m.group(1)), m.group(2), int(m.group(3)))

"""What the templates see: each operation with its types, and the naming rules
shared by every emitter."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Any

import jinja2

from .types import TypeRef, TypeSet, parse_types

__all__ = ["OpView", "environment", "op_views"]


@dataclass(frozen=True)
class OpView:
    method: str
    kind: str
    name: str
    version: int
    scope: str
    description: str
    permission: str
    errors: tuple[str, ...]
    takes_tail: bool
    returns_tail: bool
    input: TypeRef
    output: TypeRef
    input_is_empty: bool
    #: The function name in every client: `core.version` -> `core_version`
    #: (`_v2` and up are suffixed; v1 keeps the plain name).
    fn_name: str

    @property
    def namespace(self) -> str:
        return self.name.split(".")[0]

    @property
    def library_scoped(self) -> bool:
        return self.scope == "library"


def op_views(document: dict[str, Any]) -> tuple[TypeSet, list[OpView]]:
    types, signatures = parse_types(document)
    views = []
    seen: dict[str, str] = {}
    for op in document["operations"]:
        fn = re.sub(r"[^a-z0-9_]", "_", op["name"].replace(".", "_"))
        if op["version"] > 1:
            fn += f"_v{op['version']}"
        if keyword.iskeyword(fn) or fn in seen:
            fn = f"{op['kind']}_{fn}"
        if fn in seen:
            raise ValueError(f"{op['method']} and {seen[fn]} would share the client name {fn}")
        seen[fn] = op["method"]
        inp, out = signatures[op["method"]]
        views.append(
            OpView(
                method=op["method"],
                kind=op["kind"],
                name=op["name"],
                version=op["version"],
                scope=op["scope"],
                description=op["description"],
                permission=op["permission"],
                errors=tuple(op["errors"]),
                takes_tail=op["takes_tail"],
                returns_tail=op["returns_tail"],
                input=inp,
                output=out,
                input_is_empty=types.is_empty_struct(inp),
                fn_name=fn,
            )
        )
    return types, views


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("spacedrive_host.codegen", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # source code and Markdown, not HTML
    )

"""The typed client of the Python guest SDK (``sdk-python-guest/spacedrive_guest/ops.py``)."""

from __future__ import annotations

from typing import Any

from .types import Array, Map, Named, Optional, Prim, TypeRef
from .views import environment, op_views

__all__ = ["python_type", "render_python"]

_PRIMS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "any": "JsonValue"}


def python_type(ref: TypeRef) -> str:
    match ref:
        case Prim(kind):
            return _PRIMS[kind]
        case Named(name):
            return name
        case Optional(inner):
            return f"{python_type(inner)} | None"
        case Array(item):
            return f"list[{python_type(item)}]"
        case Map(value):
            return f"dict[str, {python_type(value)}]"
    raise TypeError(ref)


def render_python(document: dict[str, Any]) -> str:
    types, ops = op_views(document)
    return environment().get_template("ops.py.jinja").render(types=types, ops=ops, python_type=python_type)

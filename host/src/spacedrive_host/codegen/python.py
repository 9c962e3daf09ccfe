"""The typed client of the Python guest SDK (``sdk-python-guest/spacedrive_guest/ops.py``)."""

from __future__ import annotations

from typing import Any

from .types import Spelling, TypeRef, spell
from .views import environment, op_views

__all__ = ["python_type", "render_python"]

PYTHON = Spelling(
    prims={"string": "str", "integer": "int", "number": "float", "boolean": "bool", "any": "JsonValue"},
    optional="{} | None",
    array="list[{}]",
    map="dict[str, {}]",
)


def python_type(ref: TypeRef) -> str:
    return spell(ref, PYTHON)


def render_python(document: dict[str, Any]) -> str:
    types, ops = op_views(document)
    return environment().get_template("ops.py.jinja").render(types=types, ops=ops, python_type=python_type)

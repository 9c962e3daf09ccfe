"""The operation reference page of the docs (``docs/reference/operations.md``)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from .python import python_type
from .types import Array, Map, Named, Optional, Prim, TypeRef
from .views import environment, op_views

__all__ = ["GUEST_LANGUAGES", "render_markdown"]

#: Languages whose plugins build and load today: only these get a row per operation.
#: A language is listed once its plugins build and load.
GUEST_LANGUAGES = ("rust", "python")


def doc_type(ref: TypeRef) -> str:
    """A type as the reference shows it, linking named types to their section."""
    match ref:
        case Prim("any"):
            return "any JSON"
        case Prim(kind, constraints) if constraints:
            return f"{kind} ({', '.join(f'{k} `{v}`' for k, v in constraints)})"
        case Prim(kind):
            return kind
        case Named(name):
            return f"[`{name}`](#type-{name.lower()})"
        case Optional(inner):
            return f"{doc_type(inner)} or null"
        case Array(item):
            return f"list of {doc_type(item)}"
        case Map(value):
            return f"map of string to {doc_type(value)}"
    raise TypeError(ref)


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(document: dict[str, Any]) -> str:
    types, ops = op_views(document)
    namespaces = [
        (ns, list(group))
        for ns, group in groupby(
            sorted(ops, key=lambda o: (o.namespace, o.method)), key=lambda o: o.namespace
        )
    ]
    return (
        environment()
        .get_template("operations.md.jinja")
        .render(
            types=types,
            namespaces=namespaces,
            doc_type=doc_type,
            python_type=python_type,
            cell=cell,
            languages=GUEST_LANGUAGES,
        )
    )

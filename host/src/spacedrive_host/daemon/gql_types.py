"""GraphQL object types from the operations' pydantic output models.

Strings, floats, booleans, lists, optional fields and nested models map to their
GraphQL forms; integers to `Long` (GraphQL's `Int` stops at 2^31, our integers at
2^53); anything open (`JsonValue`, dicts, unions) to the `JSON` scalar.
"""

from __future__ import annotations

import types
from enum import Enum
from typing import Any, NewType, Union, get_args, get_origin

import strawberry
from pydantic import BaseModel
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

__all__ = ["SCALARS", "Long", "TypeBuilder", "dict_resolver"]

Long = NewType("Long", int)

#: For `StrawberryConfig.scalar_map`.
SCALARS: dict[object, ScalarDefinition] = {
    Long: strawberry.scalar(
        name="Long",
        serialize=int,
        parse_value=int,
        description="An integer of at most 53 bits (every JSON implementation holds it exactly).",
    )
}


def dict_resolver(obj: Any, name: str) -> Any:
    """Outputs arrive as JSON dicts (what `call_operation` returns): fields are keys."""
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name)


class TypeBuilder:
    """One GraphQL type per output model, named after it (a clash gets a number)."""

    def __init__(self) -> None:
        self._types: dict[type[BaseModel], type] = {}
        self._names: set[str] = set()

    def model(self, model: type[BaseModel]) -> type:
        built = self._types.get(model)
        if built is not None:
            return built
        name = model.__name__
        n = 2
        while name in self._names:
            name, n = f"{model.__name__}{n}", n + 1
        self._names.add(name)
        annotations = {f: self._annotation(info.annotation) for f, info in model.model_fields.items()}
        fields = {f: strawberry.field(description=info.description) for f, info in model.model_fields.items()}
        cls = type(name, (), {"__annotations__": annotations, **fields})
        built = strawberry.type(cls, name=name, description=(model.__doc__ or "").strip() or None)
        self._types[model] = built
        return built

    def _annotation(self, ann: Any) -> Any:
        origin = get_origin(ann)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(ann) if a is not type(None)]
            if len(args) == 1 and len(get_args(ann)) == 2:
                return self._annotation(args[0]) | None
            return JSON | None
        if origin is list:
            (item,) = get_args(ann) or (Any,)
            return list[self._annotation(item)]  # type: ignore[misc]
        if isinstance(ann, type):
            if issubclass(ann, BaseModel):
                return self.model(ann)
            if issubclass(ann, bool):
                return bool
            if issubclass(ann, Enum | str):
                return str
            if issubclass(ann, int):
                return Long
            if issubclass(ann, float):
                return float
        return JSON | None

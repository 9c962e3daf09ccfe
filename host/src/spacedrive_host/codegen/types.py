"""From JSON Schema (as pydantic writes it) to a small type model that the
Rust, Python and Markdown emitters share.

Supported: objects (named, in ``$defs``), nested objects, optionals
(``anyOf [T, null]``), arrays, maps (``additionalProperties``), string enums,
integers, numbers, strings, booleans, and any JSON (``{}``). Anything else is
refused with an error naming the schema, so the emitters never guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Array",
    "EnumDef",
    "Field",
    "Map",
    "Named",
    "Optional",
    "Prim",
    "Spelling",
    "StructDef",
    "TypeRef",
    "TypeSet",
    "UnsupportedSchema",
    "parse_types",
    "spell",
]


class UnsupportedSchema(ValueError):
    """A schema construct no emitter can express faithfully."""


_CONSTRAINTS = (
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
)


@dataclass(frozen=True)
class Prim:
    kind: str  # string | integer | number | boolean | any
    #: JSON Schema value constraints, as (keyword, value) pairs: documented, and
    #: honoured by the tests' value generators; clients leave checking to the host.
    constraints: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Named:
    name: str


@dataclass(frozen=True)
class Optional:
    inner: TypeRef


@dataclass(frozen=True)
class Array:
    item: TypeRef
    #: ``minItems`` / ``maxItems``, as (keyword, value) pairs (see `Prim.constraints`).
    constraints: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Map:
    value: TypeRef


TypeRef = Prim | Named | Optional | Array | Map


@dataclass(frozen=True)
class Field:
    name: str
    type: TypeRef
    required: bool
    description: str


@dataclass(frozen=True)
class StructDef:
    name: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class EnumDef:
    name: str
    description: str
    values: tuple[str, ...]


@dataclass
class TypeSet:
    """Every named type, in a stable (sorted) order."""

    structs: dict[str, StructDef] = field(default_factory=dict)
    enums: dict[str, EnumDef] = field(default_factory=dict)

    def is_empty_struct(self, ref: TypeRef) -> bool:
        return isinstance(ref, Named) and ref.name in self.structs and not self.structs[ref.name].fields


@dataclass(frozen=True)
class Spelling:
    """How one target language writes types; `spell` walks a `TypeRef` with it."""

    prims: dict[str, str]
    named: str = "{}"
    optional: str = "{}"
    array: str = "{}"
    map: str = "{}"


def spell(ref: TypeRef, how: Spelling) -> str:
    match ref:
        case Prim(kind):
            return how.prims[kind]
        case Named(name):
            return how.named.format(name)
        case Optional(inner):
            return how.optional.format(spell(inner, how))
        case Array(item):
            return how.array.format(spell(item, how))
        case Map(value):
            return how.map.format(spell(value, how))
    raise TypeError(ref)


def _ref_name(ref: str) -> str:
    prefix = "#/$defs/"
    if not ref.startswith(prefix):
        raise UnsupportedSchema(f"only local $defs references are supported, not {ref!r}")
    return ref[len(prefix) :]


class _Parser:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.types = TypeSet()
        self.names: dict[str, str] = {}  # type name -> the $defs key it came from

    def named(self, key: str) -> TypeRef:
        schema = self.defs[key]
        if schema == {}:  # pydantic's JsonValue: any JSON
            return Prim("any")
        # pydantic names a model used both ways with different schemas
        # `Model-Input` / `Model-Output`: make every name an identifier.
        name = _camel(re.sub(r"[^A-Za-z0-9]+", "_", key))
        owner = self.names.setdefault(name, key)
        if owner != key:
            raise UnsupportedSchema(f"$defs {owner!r} and {key!r} both become the type name {name}")
        if name not in self.types.structs and name not in self.types.enums:
            self.define(name, schema)
        return Named(name)

    def define(self, name: str, schema: dict[str, Any]) -> None:
        desc = schema.get("description", "")
        if "enum" in schema:
            values = schema["enum"]
            if not all(isinstance(v, str) for v in values):
                raise UnsupportedSchema(f"{name}: only string enums are supported")
            self.types.enums[name] = EnumDef(name, desc, tuple(values))
            return
        if schema.get("type") != "object" or "properties" not in schema:
            raise UnsupportedSchema(f"{name}: a named type must be an object or a string enum")
        self.types.structs[name] = StructDef(name, desc, ())  # placeholder against cycles
        required = set(schema.get("required", ()))
        fields = tuple(
            Field(
                prop,
                self.ref(sub, f"{name}{_camel(prop)}"),
                prop in required,
                sub.get("description", ""),
            )
            for prop, sub in schema["properties"].items()
        )
        self.types.structs[name] = StructDef(name, desc, fields)

    def ref(self, schema: dict[str, Any], context: str) -> TypeRef:
        if "$ref" in schema:
            return self.named(_ref_name(schema["$ref"]))
        if "anyOf" in schema:
            options = [o for o in schema["anyOf"] if o.get("type") != "null"]
            if len(options) == 1 and len(schema["anyOf"]) == 2:
                return Optional(self.ref(options[0], context))
            raise UnsupportedSchema(f"{context}: only `T | None` unions are supported")
        if "enum" in schema:  # an inline Literal[...]: named after where it appears
            self.define(context, schema)
            return Named(context)
        kind = schema.get("type")
        if kind == "array":
            sizes = tuple((k, schema[k]) for k in ("minItems", "maxItems") if k in schema)
            return Array(self.ref(schema.get("items", {}), f"{context}Item"), sizes)
        if kind == "object":
            if "properties" in schema:
                self.define(context, schema)
                return Named(context)
            return Map(self.ref(schema.get("additionalProperties", {}), f"{context}Value"))
        if kind in ("string", "integer", "number", "boolean"):
            return Prim(kind, tuple((k, schema[k]) for k in _CONSTRAINTS if k in schema))
        if kind is None and not ({"allOf", "oneOf", "not"} & schema.keys()):
            return Prim("any")
        raise UnsupportedSchema(f"{context}: unsupported schema {schema!r}")


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def parse_types(document: dict[str, Any]) -> tuple[TypeSet, dict[str, tuple[TypeRef, TypeRef]]]:
    """The named types of an operations document, and each method's (input, output)."""
    parser = _Parser(document.get("$defs", {}))
    signatures = {
        op["method"]: (parser.ref(op["input"], "Input"), parser.ref(op["output"], "Output"))
        for op in document["operations"]
    }
    types = parser.types
    types.structs = dict(sorted(types.structs.items()))
    types.enums = dict(sorted(types.enums.items()))
    return types, signatures

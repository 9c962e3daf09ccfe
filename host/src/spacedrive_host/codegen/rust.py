"""The typed Rust client in `spacedrive-sdk` (``sdk-rust/src/ops.rs``)."""

from __future__ import annotations

import re
from typing import Any

from .types import Array, Field, Map, Named, Optional, Prim, Spelling, TypeRef, TypeSet, spell
from .views import environment, op_views

__all__ = ["render_rust", "rust_ident", "rust_type", "variant"]

_RUST_KEYWORDS = frozenset(
    [
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "abstract",
        "become",
        "box",
        "do",
        "final",
        "macro",
        "override",
        "priv",
        "typeof",
        "unsized",
        "virtual",
        "yield",
        "try",
        "gen",
    ]
)
RUST = Spelling(
    prims={"string": "String", "integer": "i64", "number": "f64", "boolean": "bool", "any": "Value"},
    optional="Option<{}>",
    array="Vec<{}>",
    map="BTreeMap<String, {}>",
)


def rust_type(ref: TypeRef) -> str:
    return spell(ref, RUST)


def rust_ident(name: str) -> str:
    ident = re.sub(r"\W", "_", name)
    return f"r#{ident}" if ident in _RUST_KEYWORDS else ident


def variant(value: str) -> str:
    parts = re.split(r"[^A-Za-z0-9]+", value)
    name = "".join(p[:1].upper() + p[1:] for p in parts if p)
    return name if name and not name[0].isdigit() else f"V{name}"


def _field(f: Field) -> dict[str, Any]:
    """How one struct field is declared: its type and serde attributes."""
    ty = f.type
    attrs: list[str] = []
    if not f.required:
        if (isinstance(ty, Prim) and ty.kind == "any") or isinstance(ty, Array | Map):
            attrs.append("default")
        else:
            if not isinstance(ty, Optional):
                ty = Optional(ty)
            attrs += ["default", 'skip_serializing_if = "Option::is_none"']
    ident = rust_ident(f.name)
    if ident.removeprefix("r#") != f.name:
        attrs.append(f'rename = "{f.name}"')
    return {"ident": ident, "type": rust_type(ty), "serde": ", ".join(attrs), "doc": f.description}


def _defaultable(ref: TypeRef, types: TypeSet, seen: frozenset[str] = frozenset()) -> bool:
    match ref:
        case Named(name) if name in types.structs and name not in seen:
            return all(_defaultable(_field_type(f), types, seen | {name}) for f in types.structs[name].fields)
        case Named():
            return False
        case _:
            return True


def _field_type(f: Field) -> TypeRef:
    return f.type if f.required or isinstance(f.type, Optional | Array | Map) else Optional(f.type)


def render_rust(document: dict[str, Any]) -> str:
    types, ops = op_views(document)
    structs = [
        {
            "name": s.name,
            "doc": s.description,
            "fields": [_field(f) for f in s.fields],
            "default": _defaultable(Named(s.name), types),
        }
        for s in types.structs.values()
    ]
    enums = [
        {"name": e.name, "doc": e.description, "variants": [(variant(v), v) for v in e.values]}
        for e in types.enums.values()
    ]
    return (
        environment()
        .get_template("ops.rs.jinja")
        .render(structs=structs, enums=enums, ops=ops, rust_type=rust_type)
    )

"""The manifest reference's field table (``docs/reference/manifest-fields.inc``),
rendered from the manifest's JSON Schema, so the page cannot drift from the model."""

from __future__ import annotations

import json
from typing import Any

from .markdown import cell

__all__ = ["render_manifest_fields"]


def _target(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The object definition a field holds (itself, in a list, or or-null), if any."""
    for candidate in (prop, prop.get("items", {}), *prop.get("anyOf", [])):
        ref = candidate.get("$ref")
        if ref:
            target: dict[str, Any] | None = defs.get(ref.rsplit("/", 1)[-1])
            return target
    return None


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return "object"
    if "anyOf" in prop:
        return " or ".join(_type(alt) for alt in prop["anyOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        items = prop.get("items", {})
        inner = "object" if "$ref" in items else items.get("type", "any")
        text = f"list of {inner}"
    else:
        text = str(kind)
    bounds = [f"{label} {prop[key]}" for key, label in (("minimum", "≥"), ("maximum", "≤")) if key in prop]
    if "maxLength" in prop:
        low = prop.get("minLength", 0)
        bounds.append(f"length {low}-{prop['maxLength']}" if low else f"length ≤ {prop['maxLength']}")
    if "minItems" in prop:
        bounds.append(f"at least {prop['minItems']}")
    if "enum" in prop:
        bounds.append(" or ".join(f"`{json.dumps(v)}`" for v in prop["enum"]))
    if "pattern" in prop:
        bounds.append(f"`{prop['pattern']}`")
    return f"{text} ({', '.join(bounds)})" if bounds else text


def _rows(schema: dict[str, Any], defs: dict[str, Any], prefix: str) -> list[str]:
    rows = []
    required = set(schema.get("required", []))
    for name, prop in sorted(schema.get("properties", {}).items()):
        path = f"{prefix}{name}"
        target = _target(prop, defs)
        if "$ref" in prop and target is not None:  # a nested object: its fields instead
            rows += _rows(target, defs, f"{path}.")
            continue
        default = "required" if name in required else f"`{json.dumps(prop.get('default'))}`"
        description = prop.get("description") or (target or {}).get("description", "")
        rows.append(f"| `{path}` | {cell(_type(prop))} | {cell(default)} | {cell(description)} |")
        if target is not None:  # a list of objects, or an object or null: each one's fields
            rows += _rows(target, defs, f"{path}[]." if "items" in prop else f"{path}.")
    return rows


def render_manifest_fields(schema: dict[str, Any]) -> str:
    """A Markdown table of every field, nested ones as dotted paths (``[]`` for a list's items)."""
    header = "| field | type | default | meaning |\n|---|---|---|---|\n"
    return header + "\n".join(_rows(schema, schema.get("$defs", {}), "")) + "\n"

"""The manifest reference's field table (``docs/reference/manifest-fields.inc``),
rendered from the manifest's JSON Schema, so the page cannot drift from the model."""

from __future__ import annotations

import json
from typing import Any

from .markdown import cell

__all__ = ["render_manifest_fields"]


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        return "object"
    kind = prop.get("type", "any")
    if kind == "array":
        items = prop.get("items", {})
        inner = "object" if "$ref" in items else items.get("type", "any")
        text = f"list of {inner}"
    else:
        text = str(kind)
    bounds = [f"{label} {prop[key]}" for key, label in (("minimum", "≥"), ("maximum", "≤")) if key in prop]
    bounds += (
        [f"length {prop['minLength']}-{prop['maxLength']}"]
        if "maxLength" in prop and "minLength" in prop
        else []
    )
    if "pattern" in prop:
        bounds.append(f"`{prop['pattern']}`")
    return f"{text} ({', '.join(bounds)})" if bounds else text


def _rows(schema: dict[str, Any], defs: dict[str, Any], prefix: str) -> list[str]:
    rows = []
    required = set(schema.get("required", []))
    for name, prop in sorted(schema.get("properties", {}).items()):
        path = f"{prefix}{name}"
        ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
        target = defs.get(ref.rsplit("/", 1)[-1]) if ref else None
        if "$ref" in prop and target is not None:  # a nested object: its fields instead
            rows += _rows(target, defs, f"{path}.")
            continue
        default = "required" if name in required else f"`{json.dumps(prop.get('default'))}`"
        description = prop.get("description") or (target or {}).get("description", "")
        rows.append(f"| `{path}` | {cell(_type(prop, defs))} | {cell(default)} | {cell(description)} |")
    return rows


def render_manifest_fields(schema: dict[str, Any]) -> str:
    """A Markdown table of every field, nested ones as dotted paths."""
    header = "| field | type | default | meaning |\n|---|---|---|---|\n"
    return header + "\n".join(_rows(schema, schema.get("$defs", {}), "")) + "\n"

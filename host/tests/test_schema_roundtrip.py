"""For every operation, values generated from its published JSON Schema validate
against the host's pydantic model and round-trip unchanged through the
generated Rust types (compiled to wasm, inside the abi-probe plugin).

Values come from the schema through the same reader the emitters use
(`codegen.types`), turned into hypothesis strategies here. (hypothesis-jsonschema
0.23, the latest release, no longer runs on current hypothesis.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from spacedrive_host import Host, Registry
from spacedrive_host.codegen.types import Array, Map, Named, Optional, Prim, TypeRef, TypeSet, parse_types
from spacedrive_host.ops import register_builtin

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((REPO / "schema" / "operations.json").read_text())
REGISTRY = register_builtin(Registry())
TYPES, SIGNATURES = parse_types(DOCUMENT)
CASES = [(op["method"], direction) for op in DOCUMENT["operations"] for direction in ("input", "output")]

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def values(ref: TypeRef, types: TypeSet) -> st.SearchStrategy[Any]:
    """Everything the schema allows for ``ref`` (optional fields sometimes left out)."""
    match ref:
        case Prim("string", constraints):
            c = dict(constraints)
            if "pattern" in c:
                return st.from_regex(c["pattern"], fullmatch=True)
            return st.text(min_size=c.get("minLength", 0), max_size=min(c.get("maxLength", 20), 20))
        case Prim("integer", constraints):
            c = dict(constraints)
            low = max(c.get("minimum", -(2**63)), c.get("exclusiveMinimum", -(2**63) - 1) + 1)
            high = min(c.get("maximum", 2**63 - 1), c.get("exclusiveMaximum", 2**63) - 1)
            return st.integers(low, high)  # within i64: the documented contract
        case Prim("number", constraints):
            c = dict(constraints)
            return st.floats(c.get("minimum"), c.get("maximum"), allow_nan=False, allow_infinity=False)
        case Prim("boolean"):
            return st.booleans()
        case Prim(_):
            return JSON
        case Optional(inner):
            return st.none() | values(inner, types)
        case Array(item, sizes):
            n = dict(sizes)
            low = n.get("minItems", 0)
            return st.lists(
                values(item, types), min_size=low, max_size=min(n.get("maxItems", low + 4), low + 4)
            )
        case Map(value):
            return st.dictionaries(st.text(max_size=10), values(value, types), max_size=4)
        case Named(name) if name in types.enums:
            return st.sampled_from(types.enums[name].values)
        case Named(name):
            fields = types.structs[name].fields
            required: dict[str, st.SearchStrategy[Any]] = {
                f.name: values(f.type, types) for f in fields if f.required
            }
            optional: dict[str, st.SearchStrategy[Any]] = {
                f.name: values(f.type, types) for f in fields if not f.required
            }
            return st.fixed_dictionaries(required, optional=optional)
    raise TypeError(ref)


def fits(value: Any) -> bool:
    """Values a Rust guest can hold exactly: 64-bit integers, UTF-8 strings."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**64
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(map(fits, value))
    if isinstance(value, dict):
        return all(fits(k) and fits(v) for k, v in value.items())
    return False


def without_nulls(value: Any) -> Any:
    """Absent and null mean the same for an optional field."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def model_for(method: str, direction: str) -> type[BaseModel]:
    op = REGISTRY.get(method)
    assert op is not None
    return op.input if direction == "input" else op.output


def strategy(method: str, direction: str) -> st.SearchStrategy[Any]:
    inp, out = SIGNATURES[method]
    return values(inp if direction == "input" else out, TYPES)


@pytest.mark.parametrize(("method", "direction"), CASES, ids=[f"{m}:{d}" for m, d in CASES])
def test_schema_values_round_trip_through_rust(module_host: Host, method: str, direction: str) -> None:
    model = model_for(method, direction)
    mode = "json"

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], deadline=None)
    @given(value=strategy(method, direction))
    def run(value: Any) -> None:
        assume(fits(value))
        canonical = model.model_validate(value).model_dump(mode=mode)
        out = module_host.call_plugin(
            "abi-probe",
            "roundtrip",
            {"method": method, "output": direction == "output"},
            tail=json.dumps(canonical).encode(),
        )
        back = json.loads(out.tail)
        assert without_nulls(back) == without_nulls(canonical)
        assert model.model_validate(back).model_dump(mode=mode) == canonical

    run()

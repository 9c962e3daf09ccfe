"""Every registry operation fuzzed through the wire as a plugin would call it.

Inputs are derived from each operation's published input schema
(`schema/operations.json`), then pushed toward hostile values: boundary and
huge integers, huge strings, lone surrogates, wrong types, deep nesting,
bytes that are not JSON or not UTF-8, odd tails. Whatever comes in, only the
operation's documented error codes may come out (never `internal`), and the
host keeps serving. `nox -s fuzz` runs it with many more examples.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spacedrive_host import Host, PluginError
from spacedrive_host.errors import ErrorCode
from spacedrive_host.manifest import Manifest
from spacedrive_host.wire.caller import Caller
from spacedrive_host.wire.registry import COMMON_ERRORS

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schema" / "operations.json").read_text())
DEFS: dict[str, Any] = SCHEMA["$defs"]
OPERATIONS = {op["method"]: op for op in SCHEMA["operations"]}
# http.request resolves the names it is given; its hostile inputs have their own
# suites (test_http_bounds, test_net_registry), against loopback servers only.
SKIPPED = {"action:http.request.v1"}
EXAMPLES = 300 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 20

HOSTILE: list[Any] = [
    -1,
    0,
    2**31,
    2**32,
    2**53 + 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**20,
    1e20,
    -1e308,
    "",
    "x" * 70_000,
    "\ud800",
    "a\udfffb",
    "\x00",
    "../../escaped",
    "%PDF-",
    True,
    None,
    [],
    {},
    [[]],
    {"a": {"b": {"c": None}}},
]


def _deep(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def _schema(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = DEFS[node["$ref"].rsplit("/", 1)[-1]]
    return node


def valid_ish(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:  # noqa: PLR0912
    """Values shaped by the schema (not always inside its bounds)."""
    node = _schema(node)
    if depth > 4:
        return st.none()
    if "anyOf" in node:
        return st.one_of([valid_ish(n, depth + 1) for n in node["anyOf"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props: dict[str, Any] = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {k: valid_ish(v, depth + 1) for k, v in props.items() if k in required},
            optional={k: valid_ish(v, depth + 1) for k, v in props.items() if k not in required},
        )
    if kind == "array":
        return st.lists(valid_ish(node.get("items", {}), depth + 1), max_size=3)
    if kind == "string":
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True) | st.text(max_size=20)
        if node.get("format") == "uuid":
            return st.uuids().map(str)
        return st.text(max_size=40)
    if kind == "integer":
        lo, hi = node.get("minimum"), node.get("maximum")
        return st.integers(lo, hi) | st.integers()
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=8,
    )


@st.composite
def hostile(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with some of its leaves (or itself) replaced by hostile ones."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(HOSTILE)) if draw(st.booleans()) else _deep(50)
    if isinstance(value, dict):
        return {k: draw(hostile(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [draw(hostile(v)) for v in value]
    return value


def payloads(op: dict[str, Any]) -> st.SearchStrategy[bytes]:
    shaped = valid_ish(op["input"]).flatmap(hostile)
    as_json = shaped.map(lambda v: json.dumps(v).encode())
    deep = [b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000 + b"0" + b"}" * 3000]
    raw = st.sampled_from(
        [b"", b"{", b"\xff\xfe{}", b'{"a": "\xed\xa0\x80"}', b"null", b"[]", b"1e999", *deep]
    )
    return as_json | raw | st.binary(max_size=64)


@pytest.fixture(scope="module")
def fuzz_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Host, Caller, UUID]]:
    root = tmp_path_factory.mktemp("files")
    (root / "a.txt").write_text("alpha")
    with Host(data_dir=tmp_path_factory.mktemp("data")) as host:
        lib = host.execute("action:libraries.create.v1", {"name": "fuzz", "root": str(root)}).data()
        lid = UUID(lib["id"])
        host.execute("action:libraries.index.v1", library_id=lid)
        namespaces = sorted({m.split(":", 1)[1].split(".", 1)[0] + "." for m in OPERATIONS})
        manifest = Manifest.model_validate(
            {
                "id": "fuzzer",
                "name": "Fuzzer",
                "version": "0.1.0",
                "wasm_file": "fuzzer.wasm",
                "permissions": {
                    "methods": namespaces,
                    "libraries": ["*"],
                    "rate_limits": {"requests_per_minute": 1_000_000},
                },
            }
        )
        yield host, Caller.plugin(manifest), lid


def _answer(
    host: Host, method: str, payload: bytes, library: UUID | None, tail: bytes, caller: Caller
) -> PluginError | None:
    """None for a success, else the typed error."""
    try:
        host.execute(method, payload, library_id=library, tail=tail, caller=caller)
    except PluginError as e:
        return e
    return None


@pytest.mark.parametrize("method", sorted(set(OPERATIONS) - SKIPPED))
def test_every_operation_answers_hostile_input_with_its_documented_errors(
    fuzz_host: tuple[Host, Caller, UUID], method: str
) -> None:
    host, caller, lid = fuzz_host
    op = OPERATIONS[method]
    allowed = {str(c) for c in op["errors"]} | {c.value for c in COMMON_ERRORS}
    allowed.discard(ErrorCode.INTERNAL.value)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "fuzz",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(
        payload=payloads(op),
        tail=st.sampled_from([b"", b"\x00" * 16, b"%PDF-1.4 broken"]),
        scoped=st.booleans(),
    )
    def run(payload: bytes, tail: bytes, scoped: bool) -> None:
        library = lid if (scoped or op["scope"] == "library") else None
        error = _answer(host, method, payload, library, tail, caller)
        assert error is None or error.code.value in allowed, f"{method} answered {error}"
        # The host keeps serving.
        assert host.execute("query:core.version.v1", {}, caller=caller).data()["abi_version"] == 1

    run()

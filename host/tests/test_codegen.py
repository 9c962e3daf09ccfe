"""Codegen: the committed contracts match the registry, and a new or changed
operation shows up, typed, in every generated file (and fails the check until
regenerated)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import Field

from spacedrive_host import Context, Registry, Scope
from spacedrive_host.codegen import OPERATIONS, PYTHON_CLIENT, RUST_CLIENT, check, generate
from spacedrive_host.codegen.operations import operations_document
from spacedrive_host.codegen.rust import rust_ident, variant
from spacedrive_host.codegen.types import UnsupportedSchema, parse_types
from spacedrive_host.errors import ErrorCode
from spacedrive_host.ops import register_builtin
from spacedrive_host.wire.registry import Model

REPO = Path(__file__).resolve().parents[2]


def test_committed_files_are_current() -> None:
    assert check(REPO) == [], "run `nox -s codegen`"


def test_every_operation_is_in_the_document_in_stable_order() -> None:
    doc = json.loads((REPO / OPERATIONS).read_text())
    methods = [op["method"] for op in doc["operations"]]
    assert methods == sorted(methods)
    assert set(methods) == {op.method for op in register_builtin(Registry())}
    info = next(op for op in doc["operations"] if op["method"] == "query:plugins.info.v1")
    assert info["permission"] == "plugins.info"
    assert "not_found" in info["errors"]
    assert info["input"] == {"$ref": "#/$defs/PluginRef"}
    echo = next(op for op in doc["operations"] if op["method"] == "query:core.echo.v1")
    assert (echo["takes_tail"], echo["returns_tail"]) == (True, True)


class Colour(StrEnum):
    RED = "red"
    DARK_BLUE = "dark-blue"


class Inner(Model):
    depth: int
    ratio: float | None = None


class Added(Model):
    name: str = Field(description="A name.")
    count: int = 0
    weights: list[float] = Field(default_factory=list)
    colour: Colour = Colour.RED
    inner: Inner
    tags: dict[str, bool] = Field(default_factory=dict)
    type: str | None = None  # a Rust keyword


def registry_with_new_operation() -> Registry:
    reg = register_builtin(Registry())

    @reg.action("test.added", scope=Scope.LIBRARY, takes_tail=True, errors=(ErrorCode.NOT_FOUND,))
    def added(ctx: Context, inp: Added) -> Inner:
        """An operation a developer just added."""
        return inp.inner

    return reg


def test_a_new_operation_appears_typed_everywhere_and_fails_the_check() -> None:
    files = {f.path: f.content for f in generate(registry_with_new_operation())}
    rust = files[RUST_CLIENT]
    assert (
        "pub fn test_added(\n        &self,\n        library: &LibraryId,\n        input: &Added,\n        tail: &[u8],"
        in rust
    )
    assert "pub enum Colour {" in rust
    assert '#[serde(rename = "dark-blue")]\n    DarkBlue,' in rust
    assert "pub weights: Vec<f64>," in rust
    assert "pub tags: BTreeMap<String, bool>," in rust
    # Used both ways with different schemas: pydantic's Inner-Input / Inner-Output.
    assert "pub inner: InnerInput," in rust
    assert "pub struct InnerOutput {" in rust
    assert "pub r#type: Option<String>," in rust
    assert "pub count: Option<i64>," in rust  # an input field with a default: optional to send
    assert "pub ratio: Option<f64>," in rust
    python = files[PYTHON_CLIENT]
    assert (
        'def test_added(\n    library: str,\n    input: Added,\n    tail: bytes = b"",\n) -> InnerOutput:'
        in python
    )
    assert (
        'Colour = Literal["dark-blue", "red"]' in python or 'Colour = Literal["red", "dark-blue"]' in python
    )
    assert "    weights: NotRequired[list[float]]" in python
    page = files["docs/reference/operations.md"]
    assert "### `action:test.added.v1`" in page
    assert "library (give a library id)" in page
    diffs = check(REPO, generate(registry_with_new_operation()))
    stale = {d.splitlines()[0] for d in diffs}
    assert len(diffs) == 4, stale  # operations.json, ops.rs, ops.py, operations.md
    assert all("(committed)" in line for line in stale)


def test_changing_a_model_without_regenerating_fails_the_check() -> None:
    reg = register_builtin(Registry())
    op = reg.get("query:core.version.v1")
    assert op is not None

    class VersionInfoPlus(op.output):  # type: ignore[name-defined,misc]
        build: str = "dev"

    reg._ops[op.method] = op.__class__(**{**op.__dict__, "output": VersionInfoPlus})
    diffs = check(REPO, generate(reg))
    assert any("+    pub build: String," in d for d in diffs)


def test_unsupported_schemas_are_refused_by_name() -> None:
    doc = {
        "operations": [{"method": "query:x.y.v1", "input": {"$ref": "#/$defs/Bad"}, "output": {}}],
        "$defs": {
            "Bad": {
                "type": "object",
                "properties": {"u": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            }
        },
    }
    with pytest.raises(UnsupportedSchema, match=r"BadU: only `T \| None` unions"):
        parse_types(doc)


@pytest.mark.parametrize(
    ("name", "ident"), [("type", "r#type"), ("name", "name"), ("weird-name", "weird_name")]
)
def test_rust_identifiers(name: str, ident: str) -> None:
    assert rust_ident(name) == ident


def test_enum_variants() -> None:
    assert [variant(v) for v in ("ready", "dark-blue", "2x")] == ["Ready", "DarkBlue", "V2x"]


def test_document_is_self_contained() -> None:
    doc = operations_document(register_builtin(Registry()))
    text = json.dumps(doc)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        assert ref.startswith("#/$defs/")
        assert ref.removeprefix("#/$defs/") in doc["$defs"]


def test_the_installed_trampoline_was_built_from_the_generated_header() -> None:
    """`host/native/sd_abi.h` is generated; this catches an installed trampoline built
    from an older one (the package is installed as a copy, not in place)."""
    native = pytest.importorskip("spacedrive_host_native")
    from spacedrive_host.errors import HOST_ONLY_CODES
    from spacedrive_host.runtime import abi

    lib = native.lib
    assert (lib.SD_ABI_VERSION, lib.SD_MESSAGE_HEADER, lib.SD_BLOCK_HEADER, lib.SD_MAX_METHOD_LEN) == (
        abi.ABI_VERSION,
        abi.MESSAGE_HEADER,
        abi.BLOCK_HEADER,
        abi.MAX_METHOD_LEN,
    )
    assert (lib.SD_STATUS_OK, lib.SD_STATUS_ERROR) == (abi.STATUS_OK, abi.STATUS_ERROR)
    codes = [c for c in ErrorCode if c not in HOST_ONLY_CODES]
    assert len(codes) == lib.SD_ERROR_CODES
    assert [getattr(lib, f"SD_ERROR_{c.value.upper()}") for c in codes] == list(range(len(codes)))

"""Codegen: the committed contracts match the registry, and a new or changed
operation shows up, typed, in every generated file (and fails the check until
regenerated)."""

from __future__ import annotations

import json
import re
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


def _reference_rows(lang: str) -> dict[str, str]:
    """The operations page's call shown per method for ``lang`` ("Rust" or "Python")."""
    page = (REPO / "docs" / "reference" / "operations.md").read_text()
    rows = {}
    for section in page.split("\n### `")[1:]:
        method = section.split("`", 1)[0]
        row = re.search(rf"^\| {lang} \| `(.*)` \|$", section, re.MULTILINE)
        if row:
            rows[method] = row.group(1)
    return rows


def test_the_reference_shows_each_python_call_as_the_client_defines_it() -> None:
    """An operation whose tail goes out returns (output, tail): the page unpacks exactly those."""
    import inspect

    from spacedrive_guest import ops

    rows = _reference_rows("Python")
    assert "query:core.echo.v1" in rows
    for method, shown in rows.items():
        call = re.fullmatch(r"(out, tail = )?ops\.(\w+)\(([^)]*)\)", shown)
        assert call, shown
        fn = getattr(ops, call.group(2))
        assert method in (fn.__doc__ or "")
        returns_pair = str(inspect.signature(fn).return_annotation).startswith("tuple[")
        assert bool(call.group(1)) == returns_pair, method
        args = [a for a in call.group(3).split(", ") if a]
        assert args == list(inspect.signature(fn).parameters), method


def test_the_reference_shows_each_rust_call_as_the_client_defines_it() -> None:
    client = (REPO / RUST_CLIENT).read_text()
    for method, shown in _reference_rows("Rust").items():
        call = re.fullmatch(r"(let \(out, tail\) = )?client\.(\w+)\(([^)]*)\)(\?)?", shown)
        assert call, shown
        signature = re.search(rf"pub fn {call.group(2)}\(([^)]*)\) -> Result<(.*)> \{{", client, re.DOTALL)
        assert signature, method
        assert bool(call.group(1)) == signature.group(2).startswith("("), method
        assert bool(call.group(1)) == bool(call.group(4)), method


def _key_paths(value: object, prefix: str = "") -> set[str]:
    """Every field path of a JSON document, list items as ``[]``."""
    if isinstance(value, dict):
        paths = set()
        for key, inner in value.items():
            paths |= {f"{prefix}{key}"} | _key_paths(inner, f"{prefix}{key}.")
        return paths
    if isinstance(value, list):
        return set().union(*(_key_paths(item, prefix.removesuffix(".") + "[].") for item in value))
    return set()


def test_the_manifest_field_table_lists_every_field_of_a_real_manifest() -> None:
    """Nested objects (each `provides`, `jobs` and `views` entry, a view's chart and
    tables) are rows of their own, so a mistake in one can be looked up."""
    table = (REPO / "docs" / "reference" / "manifest-fields.inc").read_text()
    rows = set(re.findall(r"^\| `([^`]+)` \|", table, re.MULTILINE))
    manifest = json.loads((REPO / "finance-extension" / "manifest.json").read_text())
    paths = _key_paths(manifest)
    assert {"provides[].name", "jobs[].name", "views[].chart.label", "views[].tables[].columns"} <= paths
    # An object field is shown by its fields (`permissions.methods`, not `permissions`).
    objects = {p for p in paths if any(r.startswith(p + ".") for r in rows) and p not in rows}
    assert paths - objects <= rows

"""Manifest validation: the reference example loads, errors name the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spacedrive_host import LoadError, Manifest, ManifestError, fs, load_manifest
from spacedrive_host.codegen import check
from spacedrive_host.manifest import manifest_json_schema, parse_manifest

# The reference design's example, without its comments.
REFERENCE = {
    "id": "finance",
    "name": "Spacedrive Finance",
    "version": "0.1.0",
    "wasm_file": "finance.wasm",
    "permissions": {
        "methods": ["vdfs.", "ai.ocr", "credentials."],
        "libraries": ["*"],
        "rate_limits": {"requests_per_minute": 1000, "concurrent_jobs": 10},
        "max_memory_mb": 512,
    },
}
# The checkout root, also from mutmut's copy of the tests (host/mutants/tests).
REPO = next(p for p in Path(__file__).resolve().parents if (p / "noxfile.py").is_file())


def test_reference_example_loads_unchanged() -> None:
    m = parse_manifest(REFERENCE)
    assert m.permissions.methods == ("vdfs.", "ai.ocr", "credentials.")
    assert m.permissions.max_memory_mb == 512
    assert m.provides == ()
    assert m.permissions.call_timeout_ms == 5000  # a default beyond the reference


def test_minimal_manifest_gets_safe_defaults() -> None:
    m = parse_manifest({"id": "x", "name": "X", "version": "1.0.0", "wasm_file": "x.wasm"})
    assert m.permissions.methods == ()
    assert m.permissions.libraries == ()
    assert m.permissions.http_hosts == ()


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"surprise": 1}, "surprise"),
        ({"permissions": {"methods": ["vdfs."], "unknown_limit": 3}}, "permissions.unknown_limit"),
        (
            {"permissions": {"rate_limits": {"requests_per_minute": 0}}},
            "permissions.rate_limits.requests_per_minute",
        ),
        ({"permissions": {"max_memory_mb": -1}}, "permissions.max_memory_mb"),
        ({"permissions": {"libraries": ["not-a-uuid"]}}, "permissions.libraries"),
        ({"permissions": {"methods": ["Bad Name"]}}, "permissions.methods.0"),
        ({"id": "Has Spaces"}, "id"),
        ({"wasm_file": "../escape.wasm"}, "wasm_file"),
        ({"version": "one"}, "version"),
        ({"provides": [{"name": "a"}, {"name": "a"}]}, "provides"),
    ],
)
def test_bad_fields_are_named(patch: dict[str, object], field: str) -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest({**REFERENCE, **patch})
    assert f"{field}:" in info.value.message


def test_manifest_is_frozen() -> None:
    m = parse_manifest(REFERENCE)
    with pytest.raises(ValueError, match="frozen"):
        m.id = "other"  # type: ignore[misc]


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"no manifest\.json"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text("{ not json")
    with pytest.raises(ManifestError, match="not valid JSON"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps(REFERENCE))
    with pytest.raises(LoadError, match=r"finance\.wasm"):
        load_manifest(tmp_path)


def test_unknown_abi_version_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({**REFERENCE, "abi_version": 2}))
    (tmp_path / "finance.wasm").write_bytes(b"\0asm")
    with pytest.raises(ManifestError, match="abi_version: 2 is not supported"):
        load_manifest(tmp_path)


def test_test_plugin_manifests_are_valid() -> None:
    for path in sorted((REPO / "test-plugins").glob("*/manifest.json")):
        Manifest.model_validate_json(path.read_text())


def test_published_schema_is_current() -> None:
    assert check(REPO) == [], "run `nox -s codegen`"


# -- each check's exact answer (`nox -s mutation` found these loose) -----------------------

MINIMAL = {"id": "x", "name": "X", "version": "1.0.0", "wasm_file": "x.wasm"}


def test_library_grants_are_normalized_uuids_or_star() -> None:
    upper = "0F8FAD5B-D9CB-469F-A165-70867728950E"
    m = parse_manifest({**MINIMAL, "permissions": {"libraries": ["*", upper]}})
    assert m.permissions.libraries == ("*", upper.lower())
    with pytest.raises(ManifestError) as info:
        parse_manifest({**MINIMAL, "permissions": {"libraries": ["*", "nope"]}})
    assert info.value.message == (
        'manifest: permissions.libraries: Value error, \'nope\' is neither a library UUID, "granted" nor "*"'
    )


def test_methods_listed_twice_are_named_and_looked_up_by_name() -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest({**MINIMAL, "jobs": [{"name": n} for n in ("b", "a", "b", "a", "c")]})
    assert info.value.message == "manifest: jobs: Value error, methods listed twice: a, b"
    m = parse_manifest({**MINIMAL, "provides": [{"name": "p"}], "jobs": [{"name": "j"}]})
    assert m.provides_method("p")
    assert not m.provides_method("j")
    assert m.has_job("j")
    assert not m.has_job("p")


def test_every_bad_field_is_listed_and_json_errors_say_so() -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest({**MINIMAL, "id": "A", "version": "v"}, source="here")
    assert info.value.message.startswith("here: id: String should match pattern")
    assert "; version: String should match pattern" in info.value.message
    with pytest.raises(ManifestError) as info:
        parse_manifest(b"[]", source="there")
    assert info.value.message == "there: (root): Input should be an object"
    for text in (b"{", "{"):
        with pytest.raises(ManifestError) as info:
            parse_manifest(text, source="file")
        assert info.value.message.startswith("file is not valid JSON: (root): Invalid JSON")
    assert parse_manifest(json.dumps(MINIMAL)).id == "x"
    assert parse_manifest(json.dumps(MINIMAL).encode()).id == "x"


def test_load_manifest_names_the_file_and_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as info:
        load_manifest(tmp_path)
    assert info.value.message == f"no manifest.json in {tmp_path}"
    (tmp_path / "manifest.json").mkdir()
    with pytest.raises(ManifestError) as info:
        load_manifest(tmp_path)
    assert info.value.message.startswith(f"cannot read {tmp_path / 'manifest.json'}: ")
    (tmp_path / "manifest.json").rmdir()
    (tmp_path / "manifest.json").write_text(json.dumps({**MINIMAL, "abi_version": 2}))
    with pytest.raises(ManifestError) as info:
        load_manifest(tmp_path)
    assert info.value.message == (
        f"{tmp_path / 'manifest.json'}: abi_version: 2 is not supported by this host (supported: [1])"
    )
    (tmp_path / "manifest.json").write_text(json.dumps(MINIMAL))
    with pytest.raises(LoadError) as load:
        load_manifest(tmp_path)
    assert load.value.message == f"wasm_file 'x.wasm' not found in {tmp_path}"
    assert load.value.plugin == "x"
    (tmp_path / "x.wasm").mkdir()
    with pytest.raises(LoadError) as load:
        load_manifest(tmp_path)
    assert load.value.message.startswith("wasm_file 'x.wasm': ")
    assert load.value.plugin == "x"
    (tmp_path / "x.wasm").rmdir()
    (tmp_path / "x.wasm").write_bytes(b"\0asm")
    assert load_manifest(tmp_path).id == "x"


def test_the_published_schema_names_its_dialect() -> None:
    schema = manifest_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Manifest"


def test_a_bad_manifest_file_is_named_and_the_module_size_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({**MINIMAL, "id": "A"}))
    with pytest.raises(ManifestError) as info:
        load_manifest(tmp_path)
    assert info.value.message.startswith(f"{tmp_path / 'manifest.json'}: id: ")
    (tmp_path / "manifest.json").write_text(json.dumps(MINIMAL))
    (tmp_path / "x.wasm").write_bytes(b"\0asm")
    monkeypatch.setattr(fs, "MAX_WASM_BYTES", 3)  # the bound is checked before a byte is read
    with pytest.raises(LoadError) as load:
        load_manifest(tmp_path)
    assert load.value.message == f"wasm_file 'x.wasm': {tmp_path}/x.wasm is 4 bytes; the limit is 3"


def test_a_provided_method_given_as_a_bare_name_is_refused_as_the_reference_says() -> None:
    """docs/reference/manifest.md quotes this message for `"provides": ["greet"]`."""
    with pytest.raises(ManifestError) as info:
        parse_manifest(json.dumps({**MINIMAL, "provides": ["greet"]}), source="m")  # as from a file
    quoted = "provides.0: Input should be an object"
    assert quoted in info.value.message
    page = REPO / "docs" / "reference" / "manifest.md"
    assert quoted in page.read_text()

"""The method-permission rule and library grants (a manifest's list, the operator's grants)."""

from __future__ import annotations

from uuid import UUID

import pytest

from spacedrive_host import PermissionDenied
from spacedrive_host.manifest import Manifest
from spacedrive_host.wire.permissions import check_library, library_allowed, method_allowed, pattern_matches


@pytest.mark.parametrize(
    ("pattern", "operation", "allowed"),
    [
        ("vdfs.", "vdfs.create_entry", True),
        ("vdfs.", "vdfs.sidecar.write", True),
        ("vdfs.", "vdfs", False),
        ("vdfs.", "vdfsx.create", False),
        ("ai.ocr", "ai.ocr", True),
        ("ai.ocr", "ai.ocr.batch", True),
        ("ai.ocr", "ai.ocrx", False),
        ("ai.ocr", "ai.oc", False),
        ("ai.ocr", "ai", False),
        ("ai.ocr", "xai.ocr", False),
        ("ai", "ai.ocr", True),
        ("ai", "aix.ocr", False),
        ("credentials.", "credentials.get", True),
        ("", "core.version", False),
        ("", ".hidden", False),
    ],
)
def test_pattern_rule(pattern: str, operation: str, allowed: bool) -> None:
    assert pattern_matches(pattern, operation) is allowed


def test_no_patterns_grant_nothing() -> None:
    assert not method_allowed([], "core.version")
    assert method_allowed(["plugins.list", "core."], "core.version")


def test_library_grants() -> None:
    lib = UUID("550e8400-e29b-41d4-a716-446655440000")
    other = UUID("00000000-0000-0000-0000-000000000001")
    assert library_allowed(["*"], lib)
    assert library_allowed([str(lib)], lib)
    assert not library_allowed([str(lib)], other)
    assert not library_allowed([], lib)


def _manifest(libraries: list[str]) -> Manifest:
    return Manifest.model_validate(
        {
            "id": "notes",
            "name": "Notes",
            "version": "1.0.0",
            "wasm_file": "notes.wasm",
            "permissions": {"libraries": libraries},
        }
    )


LIB = UUID("550e8400-e29b-41d4-a716-446655440000")


@pytest.mark.parametrize("libraries", [["*"], [str(LIB)], ["granted", str(LIB)]])
def test_a_listed_library_needs_no_grant(libraries: list[str]) -> None:
    asked: list[tuple[str, UUID]] = []

    def granted(plugin: str, library: UUID) -> bool:
        asked.append((plugin, library))
        return False

    check_library(_manifest(libraries), LIB, granted)
    assert asked == []  # the operator's grants are not even consulted


@pytest.mark.parametrize(
    ("libraries", "listed"),
    [
        ([], "none"),
        (["00000000-0000-0000-0000-000000000001"], "00000000-0000-0000-0000-000000000001"),
        (
            ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"],
            "00000000-0000-0000-0000-000000000001, 00000000-0000-0000-0000-000000000002",
        ),
    ],
)
def test_an_unlisted_library_is_refused_naming_what_the_manifest_lists(
    libraries: list[str], listed: str
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        check_library(_manifest(libraries), LIB, lambda p, lib: True)  # a grant does not help
    assert refused.value.message == (
        f"plugin 'notes' may not use library {LIB}: its manifest does not list it (libraries: {listed})"
    )
    assert refused.value.plugin == "notes"


def test_granted_libraries_follow_the_operators_grants() -> None:
    asked: list[tuple[str, UUID]] = []

    def granted(plugin: str, library: UUID) -> bool:
        asked.append((plugin, library))
        return library == LIB

    check_library(_manifest(["granted"]), LIB, granted)
    other = UUID("00000000-0000-0000-0000-000000000001")
    with pytest.raises(PermissionDenied) as refused:
        check_library(_manifest(["granted"]), other, granted)
    assert refused.value.message == (
        f"plugin 'notes' has no grant for library {other}: "
        f"`spacedrive plugin grant notes --library {other}` grants it"
    )
    assert refused.value.plugin == "notes"
    assert asked == [("notes", LIB), ("notes", other)]

"""The method-permission rule and library grants."""

from __future__ import annotations

from uuid import UUID

import pytest

from spacedrive_host.wire.permissions import library_allowed, method_allowed, pattern_matches


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

"""The permission rule (DESIGN.md): which operations and libraries a manifest grants."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from uuid import UUID

from ..errors import PermissionDenied
from ..manifest import GRANTED, Manifest

__all__ = ["check_library", "library_allowed", "method_allowed", "pattern_matches"]


def pattern_matches(pattern: str, operation: str) -> bool:
    """Does one manifest pattern cover an operation name?

    A pattern ending in ``.`` matches by prefix (``vdfs.`` covers
    ``vdfs.create_entry``). Any other pattern matches the name exactly or at a
    dot boundary (``ai.ocr`` covers ``ai.ocr`` and ``ai.ocr.batch``, never
    ``ai.ocrx``).
    """
    if not pattern or not operation:
        return False
    if pattern.endswith("."):
        return operation.startswith(pattern)
    return operation == pattern or operation.startswith(pattern + ".")


def method_allowed(patterns: Iterable[str], operation: str) -> bool:
    return _allowed(tuple(patterns), operation)


@lru_cache(maxsize=4096)  # the same (manifest, operation) pairs recur on every call
def _allowed(patterns: tuple[str, ...], operation: str) -> bool:
    return any(pattern_matches(p, operation) for p in patterns)


def library_allowed(grants: Iterable[str], library_id: UUID) -> bool:
    """``"*"`` grants every library; otherwise the id must be listed."""
    wanted = str(library_id)
    return any(g in ("*", wanted) for g in grants)


def check_library(manifest: Manifest, library_id: UUID, granted: Callable[[str, UUID], bool]) -> None:
    """`PermissionDenied` unless the manifest lists the library (or ``"*"``), or asks
    for ``"granted"`` libraries and ``granted(plugin, library)`` (the operator's grants)."""
    asked = manifest.permissions.libraries
    if library_allowed(asked, library_id):
        return
    pid = manifest.id
    if GRANTED not in asked:
        listed = ", ".join(asked) or "none"
        raise PermissionDenied(
            f"plugin {pid!r} may not use library {library_id}: its manifest does not list it "
            f"(libraries: {listed})",
            plugin=pid,
        )
    if not granted(pid, library_id):
        raise PermissionDenied(
            f"plugin {pid!r} has no grant for library {library_id}: "
            f"`spacedrive plugin grant {pid} --library {library_id}` grants it",
            plugin=pid,
        )

"""The library store: libraries, their indexed entries, and plugin sidecars, on SQLite."""

from .grants import Grant, Grants
from .store import Entry, IndexReport, Library, LibraryStore, Sidecar

__all__ = ["Entry", "Grant", "Grants", "IndexReport", "Library", "LibraryStore", "Sidecar"]

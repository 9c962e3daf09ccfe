"""The library store: libraries, their indexed entries, and plugin sidecars, on SQLite."""

from .store import Entry, IndexReport, Library, LibraryStore, Sidecar

__all__ = ["Entry", "IndexReport", "Library", "LibraryStore", "Sidecar"]

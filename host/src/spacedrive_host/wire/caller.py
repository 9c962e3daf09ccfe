"""Who is calling the wire: a plugin (permission-checked) or a trusted surface."""

from __future__ import annotations

from dataclasses import dataclass

from ..manifest import Manifest

__all__ = ["Caller"]


@dataclass(frozen=True)
class Caller:
    """The identity a request runs under.

    Plugins are checked against their manifest; trusted surfaces (the Python
    API, the CLI, the daemon) act for the local user and are not.
    """

    name: str
    manifest: Manifest | None = None

    @classmethod
    def plugin(cls, manifest: Manifest) -> Caller:
        return cls(f"plugin:{manifest.id}", manifest)

    @classmethod
    def trusted(cls, surface: str) -> Caller:
        return cls(surface)

    @property
    def is_plugin(self) -> bool:
        return self.manifest is not None

    @property
    def plugin_id(self) -> str | None:
        return self.manifest.id if self.manifest else None

"""What a plugin instance is to the rest of the host, whatever kind of module
backs it: the `PluginInstance` protocol the manager depends on, and what an
instance needs from the host (`HostServices`).

Core modules (wasm32-unknown-unknown, ABI v1) are `core.CoreInstance`; a
component instance implements the same protocol."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from ..manifest import Manifest
from .limits import LogRecord

__all__ = ["Endpoint", "HostServices", "PluginInstance"]


class Endpoint(Protocol):
    """The wire as one plugin calls it (`spacedrive_host.wire.dispatch.PluginEndpoint`)."""

    def call(self, method: bytes, library_id: UUID | None, json: bytes, tail: bytes) -> tuple[bytes, bytes]:
        """(output JSON, output tail), or raises a typed `PluginError`."""
        ...


class HostServices(Protocol):
    """What an instance needs from the host: the wire and a place for logs."""

    def endpoint(self, manifest: Manifest) -> Endpoint: ...

    def plugin_log(self, manifest: Manifest, record: LogRecord) -> None: ...


class PluginInstance(Protocol):
    """A live, initialised instance of one plugin. Any fault (trap, time limit,
    protocol violation) sets `poisoned`; the owner then discards the instance
    and creates a new one before the next call."""

    manifest: Manifest
    poisoned: bool

    @property
    def logs_dropped(self) -> int:
        """Log lines dropped by the log rate limit so far."""
        ...

    def call(
        self, method: str, json_in: bytes, tail: bytes = b"", *, library: UUID | None = None
    ) -> tuple[bytes, bytes]:
        """Calls a method the plugin provides: (json, tail), or raises the typed error.
        ``library``: the library the call is made for, which the guest may read."""
        ...

    def close(self) -> None:
        """Runs the plugin's cleanup (when healthy) and releases the instance. Idempotent."""
        ...

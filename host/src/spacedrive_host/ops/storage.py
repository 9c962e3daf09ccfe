"""``storage.*``: a plugin's own key-value store, no library needed (`spacedrive_host.storage`)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from ..errors import ErrorCode
from ..manifest import PLUGIN_ID
from ..wire.registry import Context, Model, Registry
from ._namespace import owner

__all__ = ["register"]

_LIMITS = (ErrorCode.LIMIT_EXCEEDED, ErrorCode.UNAVAILABLE)
_WHOSE = "Whose storage (trusted callers only)."


class KeyRef(Model):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(description="Not empty, at most 512 bytes of UTF-8, no NUL.")
    plugin: str | None = Field(None, pattern=PLUGIN_ID, description=_WHOSE)


class SetValue(KeyRef):
    value: str = Field(description="Text (JSON, usually); at most 1 MiB of UTF-8.")
    if_absent: bool = Field(
        False, description="Store only if the key does not exist yet (else `invalid_input`)."
    )


class StoredValue(Model):
    key: str
    value: str
    updated_ns: int = Field(description="When it was stored, ns since the Unix epoch.")


class Stored(Model):
    key: str
    size: int = Field(description="Bytes it takes: its key plus its value, in UTF-8.")
    updated_ns: int
    total_bytes: int = Field(description="Bytes the plugin keeps now, of its limit (64 MiB by default).")


class ListKeys(Model):
    model_config = ConfigDict(extra="forbid")
    prefix: str = Field("", max_length=512, description="Only keys that start with this.")
    after: str | None = Field(
        None, max_length=512, description="The `next` of the previous page: list the keys after it."
    )
    limit: int = Field(100, ge=1, le=1000)
    plugin: str | None = Field(None, pattern=PLUGIN_ID, description=_WHOSE)


class KeyInfo(Model):
    key: str
    size: int
    updated_ns: int


class KeyPage(Model):
    keys: list[KeyInfo] = Field(description="In key order (by code point).")
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page.")


class Deleted(Model):
    deleted: bool


def register(registry: Registry) -> None:
    @registry.query("storage.get", errors=(ErrorCode.NOT_FOUND, *_LIMITS))
    def get(ctx: Context, inp: KeyRef) -> StoredValue:
        """The value stored under a key of the caller's storage; `not_found` if there is none."""
        found = ctx.services.storage.get(owner(ctx, inp.plugin, "storage"), inp.key)
        return StoredValue(key=found.key, value=found.value, updated_ns=found.updated_ns)

    @registry.action("storage.set", errors=_LIMITS)
    def set_value(ctx: Context, inp: SetValue) -> Stored:
        """Stores (or replaces) a value in the caller's storage, atomically, within its limits."""
        stored, total = ctx.services.storage.set(
            owner(ctx, inp.plugin, "storage"), inp.key, inp.value, if_absent=inp.if_absent
        )
        return Stored(key=stored.key, size=stored.size, updated_ns=stored.updated_ns, total_bytes=total)

    @registry.action("storage.delete", errors=_LIMITS)
    def delete(ctx: Context, inp: KeyRef) -> Deleted:
        """Deletes a key of the caller's storage; `deleted` says whether it existed."""
        return Deleted(deleted=ctx.services.storage.delete(owner(ctx, inp.plugin, "storage"), inp.key))

    @registry.query("storage.list", errors=(ErrorCode.UNAVAILABLE,))
    def list_keys(ctx: Context, inp: ListKeys) -> KeyPage:
        """A page of the caller's keys (with their sizes, no values), by prefix, in key order."""
        page, more = ctx.services.storage.keys(
            owner(ctx, inp.plugin, "storage"), prefix=inp.prefix, after=inp.after, limit=inp.limit
        )
        keys = [KeyInfo(key=v.key, size=v.size, updated_ns=v.updated_ns) for v in page]
        return KeyPage(keys=keys, next=keys[-1].key if more else None)

"""``vdfs.*``: a library's entries, file contents, and plugin sidecars."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from ..errors import ErrorCode, InvalidInput
from ..library import Entry, Sidecar
from ..wire.registry import MAX_SAFE_INT, Context, Model, Registry, Reply, Scope
from ._namespace import owner

__all__ = ["register"]

NOT_FOUND = (ErrorCode.NOT_FOUND,)
HASH = r"^[0-9a-f]{64}$"
KIND = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
PLUGIN_ID = r"^[a-z][a-z0-9_-]{0,63}$"  # as the manifest's `id`
#: Sidecars per `vdfs.sidecars.read_many` / `write_many` call.
MAX_BATCH = 1000


class EntryInfo(Model):
    path: str = Field(description="Relative to the library root, with `/` separators.")
    size: int
    mtime_ns: int
    content_hash: str = Field(description="SHA-256 of the contents, hex.")
    kind: str = Field(description="MIME type, guessed from the name.")


class ListEntries(Model):
    model_config = ConfigDict(extra="forbid")
    prefix: str = Field("", description="Only paths starting with this.")
    kind: str | None = Field(None, description="Only entries of this MIME type.")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_SAFE_INT)


class EntryPage(Model):
    entries: list[EntryInfo]
    total: int = Field(description="How many entries match, over all pages.")


class EntryRef(Model):
    model_config = ConfigDict(extra="forbid")
    path: str


class ReadFile(Model):
    model_config = ConfigDict(extra="forbid")
    path: str
    offset: int = Field(0, ge=0, le=MAX_SAFE_INT)
    length: int | None = Field(
        None, ge=0, le=MAX_SAFE_INT, description="Bytes to read; the rest of the file when absent."
    )


class FileData(Model):
    size: int = Field(description="Bytes in the tail.")


class SidecarRef(Model):
    model_config = ConfigDict(extra="forbid")
    content_hash: str = Field(pattern=HASH)
    kind: str = Field(pattern=KIND, description="The sidecar's name, e.g. `ocr.txt`.")
    plugin: str | None = Field(
        None, pattern=PLUGIN_ID, description="Whose sidecar (trusted callers only; a plugin gets its own)."
    )


class SidecarPart(Model):
    model_config = ConfigDict(extra="forbid")
    content_hash: str = Field(pattern=HASH)
    size: int = Field(ge=0, le=MAX_SAFE_INT, description="Its bytes in the tail, after the parts before it.")


class SidecarsRef(Model):
    model_config = ConfigDict(extra="forbid")
    content_hashes: list[Annotated[str, Field(pattern=HASH)]] = Field(min_length=1, max_length=MAX_BATCH)
    kind: str = Field(pattern=KIND, description="The sidecars' name, e.g. `ocr.txt`.")
    plugin: str | None = Field(
        None, pattern=PLUGIN_ID, description="Whose sidecars (trusted callers only; a plugin gets its own)."
    )


class SidecarsWrite(Model):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(pattern=KIND, description="The sidecars' name, e.g. `ocr.txt`.")
    parts: list[SidecarPart] = Field(
        min_length=1, max_length=MAX_BATCH, description="One sidecar each; the tail is their bytes in order."
    )
    plugin: str | None = Field(
        None, pattern=PLUGIN_ID, description="Whose sidecars (trusted callers only; a plugin gets its own)."
    )


class SidecarParts(Model):
    parts: list[SidecarPart] = Field(
        description="The contents asked for that have the sidecar, in order; the tail is their bytes."
    )


class SidecarQuery(Model):
    model_config = ConfigDict(extra="forbid")
    content_hash: str = Field(pattern=HASH)
    plugin: str | None = Field(None, pattern=PLUGIN_ID, description="Whose sidecars (trusted callers only).")


class SidecarInfo(Model):
    content_hash: str
    kind: str
    size: int
    sha256: str
    updated_ns: int


class SidecarList(Model):
    sidecars: list[SidecarInfo]


class Deleted(Model):
    deleted: bool


def _entry(e: Entry) -> EntryInfo:
    return EntryInfo(path=e.path, size=e.size, mtime_ns=e.mtime_ns, content_hash=e.content_hash, kind=e.kind)


def _sidecar(s: Sidecar) -> SidecarInfo:
    return SidecarInfo(
        content_hash=s.content_hash, kind=s.kind, size=s.size, sha256=s.sha256, updated_ns=s.updated_ns
    )


def _owner(ctx: Context, requested: str | None) -> str:
    return owner(ctx, requested, "sidecars")


def register(registry: Registry) -> None:
    @registry.query("vdfs.entries.list", scope=Scope.LIBRARY, errors=NOT_FOUND)
    def list_entries(ctx: Context, inp: ListEntries) -> EntryPage:
        """A page of the library's entries, ordered by path."""
        assert ctx.library_id is not None
        rows, total = ctx.services.library.entries(
            ctx.library_id, prefix=inp.prefix, kind=inp.kind, limit=inp.limit, offset=inp.offset
        )
        return EntryPage(entries=[_entry(e) for e in rows], total=total)

    @registry.query("vdfs.entries.get", scope=Scope.LIBRARY, errors=NOT_FOUND)
    def get_entry(ctx: Context, inp: EntryRef) -> EntryInfo:
        """One entry by path."""
        assert ctx.library_id is not None
        return _entry(ctx.services.library.entry(ctx.library_id, inp.path))

    @registry.query("vdfs.files.read", scope=Scope.LIBRARY, errors=(*NOT_FOUND, ErrorCode.LIMIT_EXCEEDED))
    def read_file(ctx: Context, inp: ReadFile) -> Reply[FileData]:
        """Bytes of an indexed file (or a range of it), as the binary tail."""
        assert ctx.library_id is not None
        limit = ctx.services.limits.max_payload_bytes - 64  # room for the frame around it
        data = ctx.services.library.read(
            ctx.library_id, inp.path, offset=inp.offset, length=inp.length, limit=limit
        )
        return Reply(FileData(size=len(data)), data)

    @registry.action("vdfs.sidecars.write", scope=Scope.LIBRARY, takes_tail=True, errors=NOT_FOUND)
    def write_sidecar(ctx: Context, inp: SidecarRef) -> SidecarInfo:
        """Stores the tail as the caller's sidecar `kind` of some content (atomically)."""
        assert ctx.library_id is not None
        owner = _owner(ctx, inp.plugin)
        return _sidecar(
            ctx.services.library.write_sidecar(ctx.library_id, owner, inp.content_hash, inp.kind, ctx.tail)
        )

    @registry.query("vdfs.sidecars.read", scope=Scope.LIBRARY, errors=NOT_FOUND)
    def read_sidecar(ctx: Context, inp: SidecarRef) -> Reply[FileData]:
        """One of the caller's sidecars, as the binary tail."""
        assert ctx.library_id is not None
        data = ctx.services.library.read_sidecar(
            ctx.library_id, _owner(ctx, inp.plugin), inp.content_hash, inp.kind
        )
        return Reply(FileData(size=len(data)), data)

    @registry.action("vdfs.sidecars.write_many", scope=Scope.LIBRARY, takes_tail=True, errors=NOT_FOUND)
    def write_sidecars(ctx: Context, inp: SidecarsWrite) -> SidecarList:
        """Stores several of the caller's sidecars `kind` (each atomically) from one tail, cut by `parts`."""
        assert ctx.library_id is not None
        total = sum(p.size for p in inp.parts)
        if total != len(ctx.tail):
            raise InvalidInput(f"the parts' sizes add up to {total} bytes; the tail has {len(ctx.tail)}")
        items, start = [], 0
        for part in inp.parts:
            items.append((part.content_hash, ctx.tail[start : start + part.size]))
            start += part.size
        cars = ctx.services.library.write_sidecars(ctx.library_id, _owner(ctx, inp.plugin), inp.kind, items)
        return SidecarList(sidecars=[_sidecar(s) for s in cars])

    @registry.query(
        "vdfs.sidecars.read_many", scope=Scope.LIBRARY, errors=(*NOT_FOUND, ErrorCode.LIMIT_EXCEEDED)
    )
    def read_sidecars(ctx: Context, inp: SidecarsRef) -> Reply[SidecarParts]:
        """The caller's sidecars `kind` of several contents (those that have one), as one tail."""
        assert ctx.library_id is not None
        limit = ctx.services.limits.max_payload_bytes - 128 * (len(inp.content_hashes) + 1)
        found = ctx.services.library.read_sidecars(
            ctx.library_id, _owner(ctx, inp.plugin), inp.kind, inp.content_hashes, limit=limit
        )
        parts = [SidecarPart(content_hash=h, size=len(data)) for h, data in found]
        return Reply(SidecarParts(parts=parts), b"".join(data for _, data in found))

    @registry.query("vdfs.sidecars.list", scope=Scope.LIBRARY, errors=NOT_FOUND)
    def list_sidecars(ctx: Context, inp: SidecarQuery) -> SidecarList:
        """The caller's sidecars of some content."""
        assert ctx.library_id is not None
        rows = ctx.services.library.sidecars(ctx.library_id, _owner(ctx, inp.plugin), inp.content_hash)
        return SidecarList(sidecars=[_sidecar(s) for s in rows])

    @registry.action("vdfs.sidecars.delete", scope=Scope.LIBRARY, errors=NOT_FOUND)
    def delete_sidecar(ctx: Context, inp: SidecarRef) -> Deleted:
        """Deletes one of the caller's sidecars; `deleted` says whether it existed."""
        assert ctx.library_id is not None
        owner = _owner(ctx, inp.plugin)
        return Deleted(
            deleted=ctx.services.library.delete_sidecar(ctx.library_id, owner, inp.content_hash, inp.kind)
        )

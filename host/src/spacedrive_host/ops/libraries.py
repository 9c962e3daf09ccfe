"""``libraries.*``: create, list and index libraries."""

from __future__ import annotations

from pathlib import Path

from pydantic import ConfigDict, Field

from ..errors import ErrorCode, PermissionDenied
from ..library import Library
from ..manifest import PLUGIN_ID
from ..wire.permissions import check_library
from ..wire.registry import Context, Empty, Model, Registry, Scope

__all__ = ["register"]


class LibraryInfo(Model):
    id: str
    name: str
    root: str | None = Field(None, description="Shown to trusted callers only.")
    created_ns: int = Field(description="Creation time, ns since the Unix epoch.")


class LibraryList(Model):
    libraries: list[LibraryInfo]


class NewLibrary(Model):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    root: str = Field(description="An existing folder; its files become the library's entries.")


class SkippedFile(Model):
    path: str = Field(
        description="Relative to the root; bytes that are not UTF-8 are shown escaped (`backslashreplace`)."
    )
    reason: str


class IndexReport(Model):
    added: int
    updated: int
    removed: int
    unchanged: int
    skipped: list[SkippedFile] = Field(
        default_factory=list, description="Files left out (a name that is not UTF-8, a special file ...)."
    )


class GrantRequest(Model):
    model_config = ConfigDict(extra="forbid")
    plugin: str = Field(pattern=PLUGIN_ID, description="The plugin's id.")
    library: str = Field(min_length=1, max_length=200, description="The library's id or name.")


class LibraryRef(Model):
    model_config = ConfigDict(extra="forbid")
    library: str = Field(min_length=1, max_length=200, description="The library's id or name.")


class GrantQuery(Model):
    model_config = ConfigDict(extra="forbid")
    plugin: str | None = Field(None, pattern=PLUGIN_ID, description="Only this plugin's.")


class GrantInfo(Model):
    plugin: str
    library: LibraryInfo
    granted_ns: int = Field(description="Since when, ns since the Unix epoch.")


class GrantChange(Model):
    plugin: str
    library: LibraryInfo
    changed: bool = Field(description="False when there was nothing to do (granted already, or not granted).")


class GrantList(Model):
    grants: list[GrantInfo]


def _operator_only(ctx: Context) -> None:
    if ctx.caller.is_plugin:
        # Which plugin sees which library is the operator's decision, never a plugin's.
        raise PermissionDenied("library grants are given by the operator, not by plugins")


def _visible(ctx: Context, lib: Library) -> bool:
    """A plugin learns of a library only if its manifest or the operator's grants let it use it:
    names and ids of the others are the user's business."""
    manifest = ctx.caller.manifest
    if manifest is None:
        return True
    try:
        check_library(manifest, lib.id, ctx.services.grants.granted)
    except PermissionDenied:
        return False
    return True


def _info(ctx: Context, lib: Library) -> LibraryInfo:
    return LibraryInfo(
        id=str(lib.id),
        name=lib.name,
        root=None if ctx.caller.is_plugin else str(lib.root),
        created_ns=lib.created_ns,
    )


def register(registry: Registry) -> None:
    @registry.query("libraries.list")
    def list_libraries(ctx: Context, _: Empty) -> LibraryList:
        """Every library of this host; a plugin sees only the libraries it may use."""
        libs = ctx.services.library.libraries()
        return LibraryList(libraries=[_info(ctx, lib) for lib in libs if _visible(ctx, lib)])

    @registry.query("libraries.get", errors=(ErrorCode.NOT_FOUND,))
    def get(ctx: Context, inp: LibraryRef) -> LibraryInfo:
        """One library, by id or by name (a name several libraries share is `invalid_input`)."""
        return _info(ctx, ctx.services.library.find(inp.library))

    @registry.action("libraries.create")
    def create(ctx: Context, inp: NewLibrary) -> LibraryInfo:
        """Creates a library over an existing folder (index it next). Trusted callers only."""
        if ctx.caller.is_plugin:
            # A library exposes a folder's files: which folders is the user's decision, never a plugin's.
            raise PermissionDenied("libraries are created by the user, not by plugins")
        return _info(ctx, ctx.services.library.create(inp.name, Path(inp.root)))

    @registry.action("libraries.grant", errors=(ErrorCode.NOT_FOUND,))
    def grant(ctx: Context, inp: GrantRequest) -> GrantChange:
        """Lets a plugin whose manifest asks for `"granted"` libraries use one. Trusted callers only."""
        _operator_only(ctx)
        given, new = ctx.services.grants.grant(inp.plugin, inp.library)
        return GrantChange(plugin=inp.plugin, library=_info(ctx, given.library), changed=new)

    @registry.action("libraries.revoke", errors=(ErrorCode.NOT_FOUND,))
    def revoke(ctx: Context, inp: GrantRequest) -> GrantChange:
        """Takes a library grant back (the plugin's next call to it is refused). Trusted callers only."""
        _operator_only(ctx)
        lib, had = ctx.services.grants.revoke(inp.plugin, inp.library)
        return GrantChange(plugin=inp.plugin, library=_info(ctx, lib), changed=had)

    @registry.query("libraries.grants")
    def grants(ctx: Context, inp: GrantQuery) -> GrantList:
        """The library grants the operator gave (to one plugin, or all). Trusted callers only."""
        _operator_only(ctx)
        rows = ctx.services.grants.list(inp.plugin)
        return GrantList(
            grants=[
                GrantInfo(plugin=g.plugin_id, library=_info(ctx, g.library), granted_ns=g.granted_ns)
                for g in rows
            ]
        )

    @registry.action("libraries.index", scope=Scope.LIBRARY, errors=(ErrorCode.NOT_FOUND,))
    def index(ctx: Context, _: Empty) -> IndexReport:
        """Indexes the library's folder: new and changed files are hashed, vanished ones dropped."""
        assert ctx.library_id is not None
        r = ctx.services.library.index(ctx.library_id)
        skipped = [SkippedFile(path=p, reason=why) for p, why in r.skipped]
        return IndexReport(
            added=r.added, updated=r.updated, removed=r.removed, unchanged=r.unchanged, skipped=skipped
        )

"""The plugin manifest: a typed, frozen model, validated strictly.

The reference design's example manifest loads unchanged; every field beyond it
is optional with a safe default. Unknown fields are refused, and each error
names the field (``permissions.rate_limits.requests_per_minute: ...``).
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import fs
from .errors import LoadError, ManifestError, NotFound, PluginError
from .views import ViewSpec

__all__ = [
    "GRANTED",
    "MANIFEST_FILE",
    "PLUGIN_ID",
    "Manifest",
    "Permissions",
    "ProvidedMethod",
    "RateLimits",
    "load_manifest",
    "read_manifest",
]

MANIFEST_FILE = "manifest.json"
MAX_MANIFEST_BYTES = 1 << 20
SUPPORTED_ABI_VERSIONS = frozenset({1})
#: What a plugin id (the manifest's `id`) looks like.
PLUGIN_ID = r"^[a-z][a-z0-9_-]{0,63}$"
#: In `permissions.libraries`: the plugin asks for the libraries the operator grants it.
GRANTED = "granted"

_NAME = r"[a-z][a-z0-9_]*"
MethodPattern = Annotated[
    str,
    Field(
        pattern=rf"^{_NAME}(\.{_NAME})*\.?$",
        max_length=200,
        description=(
            "An operation name (`ai.ocr`: matches `ai.ocr` and `ai.ocr.*` at a dot "
            "boundary) or a prefix ending in `.` (`vdfs.`: every `vdfs.*` operation)."
        ),
    ),
]
HostPattern = Annotated[
    str,
    Field(
        pattern=r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
        max_length=253,
        description="A host name the plugin may reach over HTTP, exact or `*.` wildcard.",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class RateLimits(_Strict):
    """How fast a plugin may call the host."""

    requests_per_minute: int = Field(1000, ge=1, le=1_000_000, description="Host calls per minute.")
    concurrent_jobs: int = Field(10, ge=1, le=1000, description="Jobs running at once.")


class Permissions(_Strict):
    """What a plugin may do. Everything not granted is denied."""

    methods: tuple[MethodPattern, ...] = Field(
        (), description="Host operations the plugin may call (see the permission rule)."
    )
    libraries: tuple[str, ...] = Field(
        (),
        description=(
            'Libraries the plugin may use: `"granted"` (those the operator grants it, '
            '`spacedrive plugin grant`), library UUIDs of one data directory, or `"*"` for all.'
        ),
    )
    rate_limits: RateLimits = RateLimits()
    max_memory_mb: int = Field(128, ge=1, le=4096, description="Linear memory limit, in MiB.")
    call_timeout_ms: int = Field(
        5000, ge=1, le=600_000, description="CPU time limit for one call into the plugin."
    )
    http_hosts: tuple[HostPattern, ...] = Field((), description="Hosts the HTTP proxy lets the plugin reach.")

    @field_validator("libraries")
    @classmethod
    def _libraries_are_uuids_or_star(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for item in value:
            if item in ("*", GRANTED):
                out.append(item)
                continue
            try:
                out.append(str(UUID(item)))
            except ValueError:
                raise ValueError(f'{item!r} is neither a library UUID, "{GRANTED}" nor "*"') from None
        return tuple(out)


class ProvidedMethod(_Strict):
    """A method the plugin answers through `plugin_handle`."""

    name: str = Field(
        pattern=r"^[a-z][a-z0-9_.-]{0,63}$",
        description="The method's (or job's) name, as callers and `methods!`/`@plugin.handler` spell it.",
    )
    description: str = Field("", description="One line for people: shown by `plugin info` and the console.")


class Manifest(_Strict):
    """A plugin's `manifest.json`."""

    id: str = Field(pattern=PLUGIN_ID, description="Unique plugin id.")
    name: str = Field(min_length=1, max_length=200)
    version: str = Field(pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$", description="Semantic version.")
    wasm_file: str = Field(
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}\.wasm$",
        description="The module's file name, in the plugin's directory.",
    )
    description: str = ""
    abi_version: int = Field(1, ge=1, description="The ABI the module speaks.")
    kind: Literal["module", "component"] = Field(
        "module",
        description="`module`: a core module speaking ABI v1 (Rust); "
        "`component`: a component of the `spacedrive:plugin@1.0.0` world (Python).",
    )
    permissions: Permissions = Permissions()
    provides: tuple[ProvidedMethod, ...] = Field((), description="Methods callers may invoke on the plugin.")
    jobs: tuple[ProvidedMethod, ...] = Field(
        (),
        description="Long-running jobs the plugin runs step by step (`plugin_handle` method `job:<name>`).",
    )
    views: tuple[ViewSpec, ...] = Field(
        (), description="Pages the web console draws from provided methods' output (`spacedrive_host.views`)."
    )

    @field_validator("provides", "jobs")
    @classmethod
    def _unique_methods(cls, value: tuple[ProvidedMethod, ...]) -> tuple[ProvidedMethod, ...]:
        names = [m.name for m in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"methods listed twice: {', '.join(dupes)}")
        return value

    @model_validator(mode="after")
    def _views_use_provided_methods(self) -> Manifest:
        for view in self.views:
            if not self.provides_method(view.method):
                raise ValueError(f"view {view.name!r} uses {view.method!r}, which is not under `provides`")
        names = [v.name for v in self.views]
        if len(set(names)) != len(names):
            raise ValueError("views named twice")
        return self

    def provides_method(self, name: str) -> bool:
        return any(m.name == name for m in self.provides)

    def has_job(self, name: str) -> bool:
        return any(j.name == name for j in self.jobs)


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model whose fields sit at ``loc`` (a path of field names and list indexes)."""
    model: type[BaseModel] = Manifest
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        kinds: list[Any] = [field.annotation]
        while kinds:
            kind = kinds.pop(0)
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                model = kind
                break
            if isinstance(kind, types.UnionType) or typing.get_origin(kind) is not None:
                kinds.extend(typing.get_args(kind))
        else:
            return None
    return model


def _unknown_field_hint(loc: tuple[int | str, ...]) -> str:
    """For a field the model does not know: the field meant, or the fields there are."""
    model = _model_at(loc[:-1])
    if model is None:
        return ""
    known = list(model.model_fields)
    given = str(loc[-1])
    close = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    close = close or [k for k in known if k.startswith(given)]
    if close:
        return f" (did you mean `{close[0]}`?)"
    return f" (allowed: {', '.join(known)})"


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(part) for part in err["loc"]) or "(root)"
        hint = _unknown_field_hint(err["loc"]) if err["type"] == "extra_forbidden" else ""
        lines.append(f"{loc}: {err['msg']}{hint}")
    return "; ".join(lines)


def parse_manifest(data: bytes | str | dict[str, Any], *, source: str = "manifest") -> Manifest:
    """Validates manifest content; `ManifestError` names each bad field."""
    try:
        if isinstance(data, dict):
            return Manifest.model_validate(data)
        return Manifest.model_validate_json(data)
    except ValidationError as exc:
        if isinstance(data, bytes | str) and any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ManifestError(f"{source} is not valid JSON: {_describe(exc)}") from None
        raise ManifestError(f"{source}: {_describe(exc)}") from None


def read_manifest(plugin_dir: Path) -> Manifest:
    """Reads and validates ``<plugin_dir>/manifest.json`` (not its module: plugin
    sources are checked before they are built); errors name that file."""
    path = plugin_dir / MANIFEST_FILE
    try:
        # No links followed, regular files only, never a blocking open (a FIFO), size bounded.
        raw = fs.read_file(plugin_dir, MANIFEST_FILE, max_bytes=MAX_MANIFEST_BYTES)
    except NotFound:
        raise ManifestError(f"no {MANIFEST_FILE} in {plugin_dir}") from None
    except PluginError as exc:
        raise ManifestError(f"cannot read {path}: {exc.message}") from None
    manifest = parse_manifest(raw, source=str(path))
    if manifest.abi_version not in SUPPORTED_ABI_VERSIONS:
        raise ManifestError(
            f"{path}: abi_version: {manifest.abi_version} is not supported by this host "
            f"(supported: {sorted(SUPPORTED_ABI_VERSIONS)})"
        )
    return manifest


def load_manifest(plugin_dir: Path) -> Manifest:
    """Reads and validates ``<plugin_dir>/manifest.json`` and checks its module exists."""
    manifest = read_manifest(plugin_dir)
    try:
        with fs.open_file(plugin_dir, manifest.wasm_file, max_bytes=fs.MAX_WASM_BYTES):
            pass
    except NotFound:
        raise LoadError(
            f"wasm_file {manifest.wasm_file!r} not found in {plugin_dir}", plugin=manifest.id
        ) from None
    except PluginError as exc:
        raise LoadError(f"wasm_file {manifest.wasm_file!r}: {exc.message}", plugin=manifest.id) from None
    return manifest


def manifest_json_schema() -> dict[str, Any]:
    """The manifest's JSON Schema, as published in ``schema/manifest.schema.json``."""
    schema = Manifest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema

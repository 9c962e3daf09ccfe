"""The operation registry: every operation the host offers, to every surface.

An operation is declared once, with types: its input model, output model and
description come from the handler's annotations and docstring.

    registry = Registry()

    @registry.query("core.version")
    def version(ctx: Context, _: Empty) -> VersionInfo:
        \"\"\"The host's version.\"\"\"
        ...
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, NamedTuple, TypeVar, get_args, get_origin
from uuid import UUID

import annotated_types
from pydantic import BaseModel, ConfigDict

from ..errors import ErrorCode
from ..services import Services
from .caller import Caller
from .methods import Kind, MethodName

__all__ = [
    "MAX_SAFE_INT",
    "Context",
    "Direct",
    "Empty",
    "Model",
    "Operation",
    "Registry",
    "Reply",
    "Scope",
    "trusted",
    "unbounded_numbers",
]

#: The largest integer an operation input may hold unless its field says less:
#: every JSON implementation (and SQLite, and a file offset) holds it exactly.
MAX_SAFE_INT = 2**53 - 1

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


class Scope(StrEnum):
    CORE = "core"  # needs no library
    LIBRARY = "library"  # runs against one library


class Model(BaseModel):
    """Base of operation inputs and outputs.

    Outputs are always serialised whole, so their published schema marks
    fields with defaults as required: typed clients then need no `Option`
    for a field that is always there.
    """

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


M = TypeVar("M", bound=BaseModel)
_new = object.__new__
# BaseModel's slots, set through their descriptors: no attribute lookup by name per field.
_set_dict, _set_fields, _set_extra, _set_private = (
    vars(BaseModel)[name].__set__
    for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
)


def trusted(model: type[M], values: dict[str, Any]) -> M:
    """A ``model`` holding ``values`` (every field, each already valid: parsed by
    pydantic-core or built by the host) without validating them again: what
    `BaseModel.model_construct` does, minus its pass over defaults and aliases,
    which costs a microsecond on a call path of a few."""
    obj = _new(model)
    _set_dict(obj, values)
    _set_fields(obj, set(values))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


class Empty(Model):
    """An input or output with no fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(slots=True)  # not frozen: a frozen dataclass pays a setattr call per field, per call
class Reply(Generic[Out]):
    """An operation's output together with a binary tail (raw bytes, never base64)."""

    value: Out
    tail: bytes = b""


class Context(NamedTuple):
    """What an operation handler gets besides its input (a tuple: built on every call)."""

    #: What the handler may use: library, vault, http, jobs, plugins, limits, data_dir, ocr, classifier.
    services: Services
    caller: Caller
    library_id: UUID | None
    tail: bytes


Handler = Callable[[Context, Any], Any]
#: An operation's direct entry: ``(services, caller, *arguments) -> (output, tail)``,
#: the handler's work on arguments already in their final form (see `Wire.direct`).
Direct = Callable[..., tuple[BaseModel, bytes]]

#: What any operation can fail with: bad input, no grant, too many calls, a bug.
COMMON_ERRORS = (
    ErrorCode.INVALID_INPUT,
    ErrorCode.PERMISSION_DENIED,
    ErrorCode.RATE_LIMITED,
    ErrorCode.INTERNAL,
)


@dataclass(frozen=True)
class Operation:
    """One registered operation."""

    kind: Kind
    name: str
    version: int
    scope: Scope
    input: type[BaseModel]
    output: type[BaseModel]
    description: str
    handler: Handler
    takes_tail: bool = False
    returns_tail: bool = False
    #: Error codes beyond the ones every operation can return (see `COMMON_ERRORS`).
    errors: tuple[ErrorCode, ...] = ()
    #: A way in for trusted in-process callers without the input model (`Wire.direct`).
    direct: Direct | None = None

    @property
    def method(self) -> str:
        return str(MethodName(self.kind, self.name, self.version))


def _signature_models(fn: Handler) -> tuple[type[BaseModel], type[BaseModel], bool]:
    """(input model, output model, returns a tail?) from the handler's annotations."""
    hints = typing.get_type_hints(fn)
    params = [p for p in inspect.signature(fn).parameters if p != "return"]
    if len(params) != 2:
        raise TypeError(f"{fn.__qualname__} must take (ctx, input)")
    input_model = hints.get(params[1])
    output = hints.get("return")
    returns_tail = get_origin(output) is Reply
    if returns_tail:
        (output,) = get_args(output)
    for what, model in (("input", input_model), ("output", output)):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise TypeError(f"{fn.__qualname__}: the {what} must be annotated with a pydantic model")
    assert isinstance(input_model, type)
    assert isinstance(output, type)
    return input_model, output, returns_tail


def _bounded(metadata: list[Any]) -> bool:
    lower = any(isinstance(m, annotated_types.Ge | annotated_types.Gt) for m in metadata)
    upper = any(isinstance(m, annotated_types.Le | annotated_types.Lt) for m in metadata)
    return lower and upper


def unbounded_numbers(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The int fields of ``model`` (nested models included) without both a lower
    and an upper bound: every integer an operation takes has a documented range,
    enforced by validation, so no huge value reaches a handler (an offset of 2^64
    is `invalid_input`, never an `OverflowError`)."""
    out = []
    for name, field in model.model_fields.items():
        types = [a for a in get_args(field.annotation) if a is not type(None)] or [field.annotation]
        for ty in types:
            if ty is int and not _bounded(field.metadata):
                out.append(prefix + name)
            elif isinstance(ty, type) and issubclass(ty, BaseModel):
                out += unbounded_numbers(ty, f"{prefix}{name}.")
    return out


class Registry:
    """Operations by method string. Belongs to one host; nothing here is global."""

    def __init__(self) -> None:
        self._ops: dict[str, Operation] = {}

    def add(self, op: Operation) -> Operation:
        if op.method in self._ops:
            raise ValueError(f"operation {op.method} is already registered")
        self._ops[op.method] = op
        return op

    def _decorator(
        self,
        kind: Kind,
        name: str,
        version: int,
        scope: Scope,
        takes_tail: bool,
        errors: tuple[ErrorCode, ...],
        direct: Direct | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            input_model, output_model, returns_tail = _signature_models(fn)
            doc = inspect.getdoc(fn) or ""
            self.add(
                Operation(
                    kind=kind,
                    name=name,
                    version=version,
                    scope=scope,
                    input=input_model,
                    output=output_model,
                    description=doc.split("\n\n")[0].replace("\n", " "),
                    handler=fn,
                    takes_tail=takes_tail,
                    returns_tail=returns_tail,
                    errors=errors,
                    direct=direct,
                )
            )
            return fn

        return register

    def query(
        self,
        name: str,
        *,
        version: int = 1,
        scope: Scope = Scope.CORE,
        takes_tail: bool = False,
        errors: tuple[ErrorCode, ...] = (),
    ) -> Callable[[Handler], Handler]:
        """Registers a read-only operation. ``errors``: codes it returns beyond the common ones."""
        return self._decorator(Kind.QUERY, name, version, scope, takes_tail, errors)

    def action(
        self,
        name: str,
        *,
        version: int = 1,
        scope: Scope = Scope.CORE,
        takes_tail: bool = False,
        errors: tuple[ErrorCode, ...] = (),
        direct: Direct | None = None,
    ) -> Callable[[Handler], Handler]:
        """Registers an operation that changes state. ``errors``: as for `query`;
        ``direct``: the handler's work without the input model, for `Wire.direct`."""
        return self._decorator(Kind.ACTION, name, version, scope, takes_tail, errors, direct)

    def get(self, method: str) -> Operation | None:
        return self._ops.get(method)

    def similar(self, name: str) -> list[str]:
        """Registered methods with this operation name (other kinds or versions)."""
        return sorted(m for m, op in self._ops.items() if op.name == name)

    def __iter__(self) -> Iterator[Operation]:
        return iter(sorted(self._ops.values(), key=lambda op: op.method))

    def __len__(self) -> int:
        return len(self._ops)

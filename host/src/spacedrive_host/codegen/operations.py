"""The registry as a document: ``schema/operations.json``, the one contract every
generated client and the docs reference are derived from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..errors import HOST_ONLY_CODES, ErrorCode, error_class
from ..runtime import abi
from ..wire.registry import COMMON_ERRORS, Registry

__all__ = ["FORMAT_VERSION", "operations_document"]

#: Bumped when the document's own shape changes.
FORMAT_VERSION = 1


def operations_document(registry: Registry) -> dict[str, Any]:
    """Every operation with its contract; shared models live once under ``$defs``.

    Inputs use pydantic's validation schema (what a caller may send), outputs
    its serialisation schema (what the host always sends back).
    """
    ops = list(registry)
    pairs: list[tuple[type[BaseModel], Any]] = []
    for op in ops:
        pairs += [(op.input, "validation"), (op.output, "serialization")]
    refs, top = models_json_schema(pairs, ref_template="#/$defs/{model}")
    operations = []
    for op in ops:
        operations.append(
            {
                "method": op.method,
                "kind": op.kind.value,
                "name": op.name,
                "version": op.version,
                "scope": op.scope.value,
                "description": op.description,
                "permission": op.name,
                "input": refs[(op.input, "validation")],
                "output": refs[(op.output, "serialization")],
                "takes_tail": op.takes_tail,
                "returns_tail": op.returns_tail,
                "errors": sorted({c.value for c in (*COMMON_ERRORS, *op.errors)}),
            }
        )
    return {
        "format_version": FORMAT_VERSION,
        "generated_by": "nox -s codegen (spacedrive_host.codegen); do not edit",
        "operations": operations,
        "error_codes": error_codes(),
        "abi": abi_constants(),
        "$defs": top.get("$defs", {}),
    }


def error_codes() -> list[dict[str, Any]]:
    """The fixed set of error codes, in order: the one definition the SDKs' codes,
    and the errors page's table, are generated from."""
    return [
        {"code": code.value, "python_class": error_class(code).__name__, "abi": code not in HOST_ONLY_CODES}
        for code in ErrorCode
    ]


def abi_constants() -> dict[str, int]:
    """ABI v1's framing constants, for the C trampoline's generated header."""
    return {
        "abi_version": abi.ABI_VERSION,
        "message_header": abi.MESSAGE_HEADER,
        "block_header": abi.BLOCK_HEADER,
        "max_method_len": abi.MAX_METHOD_LEN,
        "status_ok": abi.STATUS_OK,
        "status_error": abi.STATUS_ERROR,
    }

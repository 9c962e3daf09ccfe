"""GraphQL, generated from the registry: a query field per query operation, a
mutation field per action, no hand-written resolver.

Field ``core_version_v1(input: JSON, library: String, tail: String): OperationResult``
stands for ``query:core.version.v1``; ``OperationResult`` has the output as JSON
and the binary tail as base64. Errors carry the typed code in
``extensions.code``. Job progress is polled with ``jobs_status_v1``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from ..errors import PluginError
from ..host import Host
from ..wire.methods import Kind
from ..wire.registry import Operation
from .rpc import call_operation

__all__ = ["OperationResult", "build_schema", "field_name"]


@strawberry.type(description="An operation's output, and its binary tail as base64 (empty when none).")
class OperationResult:
    output: JSON
    tail: str


def field_name(op: Operation) -> str:
    """``query:core.version.v1`` -> ``core_version_v1`` (GraphQL names allow no dots)."""
    return f"{op.name.replace('.', '_')}_v{op.version}"


def _resolver(host: Host, method: str) -> Callable[..., OperationResult]:
    def resolve(
        input: JSON | None = None, library: str | None = None, tail: str | None = None
    ) -> OperationResult:
        params = {"input": input, "library": library, "tail": tail}
        try:
            result = call_operation(host, method, {k: v for k, v in params.items() if v is not None})
        except PluginError as exc:
            raise GraphQLError(
                exc.message, extensions={"code": exc.code.value, "plugin": exc.plugin}
            ) from None
        return OperationResult(output=result["output"], tail=result["tail"])

    return resolve


def _root(name: str, host: Host, ops: list[Operation]) -> type:
    fields: dict[str, Any] = {
        field_name(op): strawberry.field(
            resolver=_resolver(host, op.method), description=f"{op.method}: {op.description}"
        )
        for op in ops
    }
    return strawberry.type(type(name, (), fields))


class _Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        pass  # typed errors are answers, not daemon faults; those are logged where they happen


def build_schema(host: Host) -> strawberry.Schema:
    queries = [op for op in host.registry if op.kind is Kind.QUERY]
    actions = [op for op in host.registry if op.kind is Kind.ACTION]
    return _Schema(
        query=_root("Query", host, queries),
        mutation=_root("Mutation", host, actions),
        config=StrawberryConfig(auto_camel_case=False),  # field names stay the methods' names
        # Clients send the same few documents again and again: parse and validate each once.
        extensions=[ParserCache(maxsize=256), ValidationCache(maxsize=256)],
    )


def executor(schema: strawberry.Schema) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """``{query, variables, operationName}`` -> ``{data, errors}``, as GraphQL over HTTP answers."""

    def execute(request: dict[str, Any]) -> dict[str, Any]:
        query = request.get("query")
        if not isinstance(query, str):
            return {"errors": [{"message": "bad GraphQL request: `query` must be a string"}]}
        variables = request.get("variables")
        result = schema.execute_sync(
            query,
            variable_values=variables if isinstance(variables, dict) else None,
            operation_name=request.get("operationName")
            if isinstance(request.get("operationName"), str)
            else None,
        )
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        return out

    return execute

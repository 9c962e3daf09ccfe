"""GraphQL, generated from the registry: a query field per query operation, a
mutation field per action, no hand-written resolver.

Field ``core_version_v1(input: JSON, library: String, tail: String): CoreVersionV1Result``
stands for ``query:core.version.v1``; its result has the output typed from the
operation's pydantic model (`gql_types`), the same output as one ``json`` value,
and the binary tail as base64. Errors carry the typed code in ``extensions.code``.
Job progress is polled with ``jobs_status_v1``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from ..errors import PluginError
from ..host import Host
from ..wire.methods import Kind
from ..wire.registry import Operation
from .gql_types import SCALARS, TypeBuilder, dict_resolver
from .rpc import call_operation

__all__ = ["build_schema", "executor", "field_name"]


def field_name(op: Operation) -> str:
    """``query:core.version.v1`` -> ``core_version_v1`` (GraphQL names allow no dots)."""
    return f"{op.name.replace('.', '_')}_v{op.version}"


def _result_type(op: Operation, types: TypeBuilder) -> type:
    name = "".join(part.capitalize() for part in field_name(op).split("_")) + "Result"
    cls = type(
        name,
        (),
        {
            "__annotations__": {"output": types.model(op.output), "json": JSON, "tail": str},
            "output": strawberry.field(description=f"The output of {op.method}."),
            "json": strawberry.field(description="The same output as one JSON value."),
            "tail": strawberry.field(description="The binary tail, base64 (empty when none)."),
        },
    )
    return strawberry.type(cls, name=name)


def _resolver(host: Host, method: str) -> Callable[..., dict[str, Any]]:
    def resolve(
        input: JSON | None = None, library: str | None = None, tail: str | None = None
    ) -> dict[str, Any]:
        params = {"input": input, "library": library, "tail": tail}
        try:
            result = call_operation(host, method, {k: v for k, v in params.items() if v is not None})
        except PluginError as exc:
            raise GraphQLError(
                exc.message, extensions={"code": exc.code.value, "plugin": exc.plugin}
            ) from None
        return {"output": result["output"], "json": result["output"], "tail": result["tail"]}

    return resolve


def _root(name: str, host: Host, ops: list[Operation], types: TypeBuilder) -> type:
    fields: dict[str, Any] = {
        field_name(op): strawberry.field(
            resolver=_resolver(host, op.method),
            graphql_type=_result_type(op, types),
            description=f"{op.method}: {op.description}",
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
    types = TypeBuilder()
    return _Schema(
        query=_root("Query", host, queries, types),
        mutation=_root("Mutation", host, actions, types),
        # Field names stay the models' and methods' names; outputs are dicts.
        config=StrawberryConfig(auto_camel_case=False, default_resolver=dict_resolver, scalar_map=SCALARS),
        # Clients send the same few documents again and again: parse and validate each once.
        extensions=[ParserCache, ValidationCache],  # their caches are module-wide, bounded
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

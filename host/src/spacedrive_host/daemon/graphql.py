"""GraphQL, generated from the registry: a query field per query operation, a
mutation field per action, no hand-written resolver.

Field ``core_version_v1(input: JSON, library: String, tail: String): CoreVersionV1Result``
stands for ``query:core.version.v1``; its result has the output typed from the
operation's pydantic model (`gql_types`), the same output as one ``json`` value,
and the binary tail as base64. Errors carry the typed code in ``extensions.code``.

One subscription, ``jobs_watch(id)``: a job's status (what ``jobs_status_v1`` returns)
each time it changes, until the job ends; served as GraphQL over Server-Sent Events
(`streamer`; the "distinct connections" mode of the GraphQL-over-SSE protocol).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from ..errors import PluginError
from ..host import Host
from ..wire.methods import Kind
from ..wire.registry import Operation
from . import progress
from .gql_types import SCALARS, TypeBuilder, dict_resolver
from .rpc import call_operation

__all__ = ["Send", "build_schema", "executor", "field_name", "streamer"]

#: Writes one server-sent event (``next`` with a result, ``complete`` with None);
#: False once the client has gone.
Send = Callable[[str, dict[str, Any] | None], bool]


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


def _typed(exc: PluginError) -> GraphQLError:
    return GraphQLError(exc.message, extensions={"code": exc.code.value, "plugin": exc.plugin})


def _resolver(host: Host, method: str) -> Callable[..., dict[str, Any]]:
    def resolve(
        input: JSON | None = None, library: str | None = None, tail: str | None = None
    ) -> dict[str, Any]:
        params = {"input": input, "library": library, "tail": tail}
        try:
            result = call_operation(host, method, {k: v for k, v in params.items() if v is not None})
        except PluginError as exc:
            raise _typed(exc) from None
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


def _subscription(host: Host, types: TypeBuilder) -> type:
    status = host.registry.get(progress.STATUS)
    assert status is not None  # a built-in operation

    async def jobs_watch(id: str) -> AsyncIterator[dict[str, Any]]:
        # Every look goes through jobs.status (same ids, visibility and errors as
        # jobs.watch on the socket); the job store is SQLite, so it is polled.
        last: dict[str, Any] | None = None
        while True:
            try:
                info: dict[str, Any] = call_operation(host, progress.STATUS, {"input": {"id": id}})["output"]
            except PluginError as exc:
                raise _typed(exc) from None
            if info != last:
                yield info
                last = info
            if info["state"] in progress.ENDED:
                return
            await asyncio.sleep(progress.POLL_S)

    field = strawberry.subscription(
        resolver=jobs_watch,
        graphql_type=types.model(status.output),
        description="A job's status each time it changes (state, progress, step, message), until it ends.",
    )
    return strawberry.type(type("Subscription", (), {"jobs_watch": field}))


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
        subscription=_subscription(host, types),
        # Field names stay the models' and methods' names; outputs are dicts.
        config=StrawberryConfig(auto_camel_case=False, default_resolver=dict_resolver, scalar_map=SCALARS),
        # Clients send the same few documents again and again: parse and validate each once.
        extensions=[ParserCache, ValidationCache],  # their caches are module-wide, bounded
    )


def executor(schema: strawberry.Schema) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """``{query, variables, operationName}`` -> ``{data, errors}``, as GraphQL over HTTP answers."""

    def execute(request: dict[str, Any]) -> dict[str, Any]:
        query, variables, name = _request(request)
        if query is None:
            return {"errors": [{"message": "bad GraphQL request: `query` must be a string"}]}
        try:
            result = schema.execute_sync(
                query, variable_values=variables, operation_name=name, allowed_operation_types=_ANSWERED
            )
        except InvalidOperationTypeError:
            return {"data": None, "errors": [{"message": _NOT_STREAMED}]}
        return _formatted(result)

    return execute


def _request(request: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None, str | None]:
    query, variables, name = request.get("query"), request.get("variables"), request.get("operationName")
    return (
        query if isinstance(query, str) else None,
        variables if isinstance(variables, dict) else None,
        name if isinstance(name, str) else None,
    )


def _formatted(result: ExecutionResult) -> dict[str, Any]:
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    return out


_ANSWERED = (OperationType.QUERY, OperationType.MUTATION)
_NOT_STREAMED = (
    "a subscription is a stream of events: POST it with `Accept: text/event-stream` (GraphQL over SSE)"
)
_STOPPING = {
    "message": "the daemon is stopping; subscribe again once it is back",
    "extensions": {"code": "unavailable"},
}


def streamer(
    schema: strawberry.Schema,
) -> Callable[[dict[str, Any], Send, Callable[[], bool]], None]:
    """Runs one request as a stream of events on the calling thread: every result of a
    subscription, or the one result of a query or mutation, then ``complete``. Ends early
    when the client leaves or ``stop()`` turns true (checked at least twice a second)."""

    def stream(request: dict[str, Any], send: Send, stop: Callable[[], bool]) -> None:
        asyncio.run(_stream(schema, request, send, stop))

    return stream


async def _stream(
    schema: strawberry.Schema, request: dict[str, Any], send: Send, stop: Callable[[], bool]
) -> None:
    query, variables, name = _request(request)
    if query is None:
        send("next", {"errors": [{"message": "bad GraphQL request: `query` must be a string"}]})
        send("complete", None)
        return
    results = await schema.stream(query, variable_values=variables, operation_name=name)
    if isinstance(results, ExecutionResult):  # a query, a mutation, or a refused document
        if send("next", _formatted(results)):
            send("complete", None)
        return
    events = aiter(results)
    pending: asyncio.Task[Any] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(events))
            done, _ = await asyncio.wait({pending}, timeout=0.5)
            if not done:
                if stop():
                    send("next", {"errors": [_STOPPING]})
                    break
                continue
            try:
                result = pending.result()
            except StopAsyncIteration:
                send("complete", None)
                return
            pending = None
            if not send("next", _formatted(result)):
                return  # the client left
    finally:
        if pending is not None:
            pending.cancel()
        await results.aclose()
    send("complete", None)

"""`py-hello`: the hello plugin in Python. Greets you, with the host's version
and the loaded plugins (typed host operations), and logs."""

from __future__ import annotations

from typing import TypedDict

# --8<-- [start:plugin]
from spacedrive_guest import Call, InvalidInput, Plugin, host, ops

plugin = Plugin()
greeted = 0


class Greeting(TypedDict):
    greeting: str
    host_version: str
    plugins: list[str]


@plugin.on_init
def ready() -> None:
    host.info("hello: ready")


@plugin.handler("greet")
def greet(call: Call) -> Greeting:
    global greeted  # noqa: PLW0603 - per-instance state lives in the module
    name = call.input.get("name", "") if isinstance(call.input, dict) else ""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name must not be empty")
    version = ops.core_version()
    listed = ops.plugins_list()
    greeted += 1
    host.info(f"hello: greeting {name} (#{greeted})")
    return {
        "greeting": f"Hello, {name}!",
        "host_version": version["host_version"],
        "plugins": [p["id"] for p in listed["plugins"]],
    }


# --8<-- [end:plugin]

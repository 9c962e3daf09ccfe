"""``core.*``: facts about the host, and an echo for testing the wire end to end."""

from __future__ import annotations

import platform
from importlib.metadata import version as dist_version

from pydantic import ConfigDict, Field, JsonValue

from ..runtime.abi import ABI_VERSION
from ..runtime.engine import WASMTIME_VERSION
from ..wire.registry import Context, Empty, Model, Registry, Reply

__all__ = ["EchoInput", "EchoOutput", "VersionInfo", "register"]


class VersionInfo(Model):
    host_version: str = Field(description="Version of the spacedrive-host package.")
    abi_version: int = Field(description="The plugin ABI version this host speaks.")
    wasmtime_version: str
    python_version: str


class EchoInput(Model):
    model_config = ConfigDict(extra="forbid")
    value: JsonValue = Field(None, description="Any JSON value; returned unchanged.")


class EchoOutput(Model):
    value: JsonValue = None


def register(registry: Registry) -> None:
    @registry.query("core.version")
    def version(ctx: Context, _: Empty) -> VersionInfo:
        """The host's version, the ABI version it speaks, and its wasmtime and Python versions."""
        return VersionInfo(
            host_version=dist_version("spacedrive-host"),
            abi_version=ABI_VERSION,
            wasmtime_version=WASMTIME_VERSION,
            python_version=platform.python_version(),
        )

    @registry.query("core.echo", takes_tail=True)
    def echo(ctx: Context, inp: EchoInput) -> Reply[EchoOutput]:
        """Returns its input value and binary tail unchanged (for testing the wire)."""
        return Reply(EchoOutput(value=inp.value), ctx.tail)

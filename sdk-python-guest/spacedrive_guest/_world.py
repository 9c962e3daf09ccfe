"""The component's exports: the `spacedrive:plugin` world's ``init``,
``handle`` and ``cleanup`` on the plugin object, and the host transport.

componentize-py looks for a ``WitWorld`` class in the entry module; the build
(`spacedrive_guest.build`) generates an entry module that imports the author's
module and then this class."""

from __future__ import annotations

import binascii
import contextlib
import sys
from typing import Any

from ._bindings import Message, bindings, failure_of, unwrap
from ._transport import set_transport
from .errors import HostError, Internal
from .plugin import current

__all__ = ["WitWorld"]


def _transport(method: str, library: str | None, json_in: bytes, tail: bytes) -> tuple[bytes, bytes]:
    world = bindings()
    octets = _to_octets(tail)
    if method == "action:http.request.v1" and library is None:
        out = unwrap(world.http, json_in.decode(), octets)
    else:
        out = unwrap(world.call, method, library, json_in.decode(), octets)
    return out.json.encode(), _from_octets(out.tail)


# The world's tails: the bytes themselves when all are ASCII and the first is not a
# space, else a space and two hex digits per byte (CPython does both in C; hex is its
# fastest binary-to-ASCII codec, and a2b_hex, which skips no whitespace, beats fromhex).
# Bytes known to be ASCII decode as Latin-1 to the same string, as a copy (the ASCII
# codec checks every byte again: 0.28 ms against 0.02 ms for 1 MiB in the guest).
def _to_octets(data: bytes) -> str:
    return data.decode("latin-1") if data.isascii() and not data.startswith(b" ") else " " + data.hex()


def _from_octets(octets: str) -> bytes:
    return binascii.a2b_hex(octets[1:]) if octets.startswith(" ") else octets.encode("ascii")


set_transport(_transport)


class WitWorld:
    """The world's exports (the class name is componentize-py's convention)."""

    def init(self) -> None:
        """``init``: the plugin's `Plugin.on_init`; a `HostError` refuses the load."""
        try:
            current().run_init()
        except HostError as exc:
            raise failure_of(exc) from None
        finally:
            _flush()

    def handle(self, method: str, library: str | None, json: str, tail: str) -> Any:
        """``handle``: a method or a job step; a `HostError` answers with its code.
        Tails cross as ASCII text (as they are, or hex; see the world)."""
        try:
            out, out_tail = current().dispatch(method, json, _from_octets(tail), library)
            return Message(out, _to_octets(out_tail))
        except HostError as exc:
            raise failure_of(exc) from None
        except Exception as exc:  # past the SDK's own checks: still an answer, never a trap
            raise failure_of(Internal(f"{method}: {type(exc).__name__}: {exc}")) from None
        finally:
            _flush()

    def cleanup(self) -> None:
        """``cleanup``: the plugin's `Plugin.on_cleanup`."""
        try:
            current().run_cleanup()
        finally:
            _flush()


def _flush() -> None:
    """stdout is block-buffered under WASI: what ``print`` wrote reaches the host's
    log at the end of the call that printed it."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed by the plugin: its business
            stream.flush()

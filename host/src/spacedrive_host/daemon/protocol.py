"""What the daemon's surfaces share on the wire: file names, JSON-RPC codes, the
call shape. Standard library only: the CLI's client imports it on every call.

A call of a registry operation is the JSON-RPC method ``query:core.version.v1``
with params ``{"input": ..., "library": "<uuid>", "tail": "<base64>"}`` (all
optional); its result is ``{"output": ..., "tail": "<base64>"}``.
"""

from __future__ import annotations

import base64
import binascii

from ..errors import ErrorCode, InvalidInput
from .quickcall import SOCKET_FILE

TYPE_CHECKING = False  # not `typing`'s: a CLI call through the daemon must not import it
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

__all__ = [
    "HTTP_FILE",
    "JSONRPC_CODES",
    "LOCK_FILE",
    "MAX_BATCH_REPLY_BYTES",
    "MAX_REQUEST_BYTES",
    "SOCKET_FILE",
    "TOKEN_FILE",
    "decode_tail",
    "encode_tail",
    "rpc_code",
    "socket_path",
]

LOCK_FILE = "daemon.lock"
TOKEN_FILE = "daemon.token"
#: Holds the daemon's HTTP address (``http://127.0.0.1:PORT``) while it serves one.
HTTP_FILE = "daemon.http"

#: A request larger than this is refused (and its connection closed: it cannot be resynchronised).
MAX_REQUEST_BYTES = 64 * 1024 * 1024
#: Most bytes of replies one batch (or one read of pipelined lines) holds before they go out.
MAX_BATCH_REPLY_BYTES = 16 * 1024 * 1024

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603

#: JSON-RPC error codes of the typed errors (``error.data.code`` carries the name).
JSONRPC_CODES: dict[ErrorCode, int] = {
    ErrorCode.INVALID_INPUT: INVALID_PARAMS,
    ErrorCode.INTERNAL: INTERNAL_ERROR,
    ErrorCode.PERMISSION_DENIED: -32001,
    ErrorCode.RATE_LIMITED: -32002,
    ErrorCode.NOT_FOUND: -32003,
    ErrorCode.LIMIT_EXCEEDED: -32004,
    ErrorCode.TIMEOUT: -32005,
    ErrorCode.UNAVAILABLE: -32006,
    ErrorCode.INVALID_MANIFEST: -32007,
    ErrorCode.LOAD_FAILED: -32008,
    ErrorCode.ABI_VIOLATION: -32009,
    ErrorCode.TRAPPED: -32010,
}


def rpc_code(code: ErrorCode) -> int:
    return JSONRPC_CODES[code]


def socket_path(data_dir: Path) -> Path:
    return data_dir / SOCKET_FILE


def encode_tail(tail: bytes) -> str:
    return base64.b64encode(tail).decode("ascii")


def decode_tail(text: Any) -> bytes:
    if text in (None, ""):
        return b""
    if not isinstance(text, str):
        raise InvalidInput("tail must be a base64 string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("tail is not valid base64") from None

"""ABI v1 framing on the host side: messages, response blocks, packed locations.

The guest-side twin is the Rust crate ``spacedrive-abi``; both follow the
normative spec in ``docs/reference/abi-v1.md``. Everything here is pure.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

__all__ = [
    "ABI_VERSION",
    "BLOCK_HEADER",
    "MAX_METHOD_LEN",
    "MESSAGE_HEADER",
    "STATUS_ERROR",
    "STATUS_OK",
    "U32",
    "U32_MAX",
    "FrameError",
    "Message",
    "block_len",
    "block_prefix",
    "block_size",
    "checked_range",
    "decode_block",
    "decode_body",
    "decode_message",
    "encode_block",
    "encode_message",
    "message_json_len",
    "pack_location",
    "unpack_location",
]

ABI_VERSION = 1
STATUS_OK = 0
STATUS_ERROR = 1
MESSAGE_HEADER = 4
BLOCK_HEADER = 4
MAX_METHOD_LEN = 256
U32_MAX = 0xFFFF_FFFF
U64_MASK = 0xFFFF_FFFF_FFFF_FFFF

U32 = struct.Struct("<I")
_BLOCK_PREFIX = struct.Struct("<IBI")  # len, status, json_len


class FrameError(ValueError):
    """A buffer is not a well-formed ABI v1 frame.

    ``kind`` names the failure as the Rust crate's ``FrameError`` variants do:
    ``truncated``, ``json_overrun``, ``bad_status``, ``length_mismatch``, ``too_large``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Message(NamedTuple):
    json: bytes
    tail: bytes


def message_len(json_len: int, tail_len: int) -> int:
    total = MESSAGE_HEADER + json_len + tail_len
    if json_len > U32_MAX or total > U32_MAX:
        raise FrameError("too_large", "frame larger than 4 GiB")
    return total


def block_size(json_len: int, tail_len: int) -> int:
    """Total size of a response block (its 4-byte header included), unchecked."""
    return BLOCK_HEADER + 1 + MESSAGE_HEADER + json_len + tail_len


def block_len(json_len: int, tail_len: int) -> int:
    """`block_size`, refusing frames past 4 GiB."""
    message_len(json_len, tail_len)
    total = block_size(json_len, tail_len)
    if total > U32_MAX:
        raise FrameError("too_large", "frame larger than 4 GiB")
    return total


def encode_message(json: bytes, tail: bytes = b"") -> bytes:
    message_len(len(json), len(tail))
    return b"".join((U32.pack(len(json)), json, tail))


def encode_block(status: int, json: bytes, tail: bytes = b"") -> bytes:
    if status not in (STATUS_OK, STATUS_ERROR):
        raise FrameError("bad_status", f"unknown response status {status}")
    block_len(len(json), len(tail))
    return b"".join((block_prefix(status, len(json), len(tail)), json, tail))


def decode_message(buf: bytes | memoryview) -> Message:
    end = MESSAGE_HEADER + message_json_len(buf, 0, len(buf))
    view = memoryview(buf)  # slices without copying; each part is copied once, below
    return Message(bytes(view[MESSAGE_HEADER:end]), bytes(view[end:]))


def message_json_len(buf: bytes | memoryview, offset: int, length: int) -> int:
    """The checked ``json_len`` of the ``length``-byte message at ``offset`` in ``buf``."""
    if length < MESSAGE_HEADER:
        raise FrameError("truncated", f"frame truncated: need {MESSAGE_HEADER} bytes, got {length}")
    (json_len,) = U32.unpack_from(buf, offset)
    _check_json_len(json_len, length - MESSAGE_HEADER)
    return int(json_len)


def _check_json_len(json_len: int, available: int) -> None:
    if json_len > available:
        raise FrameError(
            "json_overrun", f"json_len {json_len} exceeds the {available} bytes after the header"
        )


def block_prefix(status: int, json_len: int, tail_len: int) -> bytes:
    """The first 9 bytes of a response block (len, status, json_len); the JSON and
    the tail follow. Lengths must have been checked against the payload limit."""
    return _BLOCK_PREFIX.pack(block_size(json_len, tail_len) - BLOCK_HEADER, status, json_len)


def decode_body(body: bytes | memoryview) -> tuple[int, Message]:
    """Decodes a block body (the bytes after the `len` header)."""
    if not body:
        raise FrameError("truncated", "frame truncated: need 1 bytes, got 0")
    status = body[0]
    if status not in (STATUS_OK, STATUS_ERROR):
        raise FrameError("bad_status", f"unknown response status {status}")
    return status, decode_message(memoryview(body)[1:])


def body_layout(prefix: bytes, body_len: int) -> tuple[int, int]:
    """(status, json_len) of a block body of ``body_len`` bytes from its first
    (up to) 5 bytes, checked as `decode_body` would, so the JSON and the tail can
    then be copied out of guest memory directly, once each."""
    if body_len < 1:
        raise FrameError("truncated", "frame truncated: need 1 bytes, got 0")
    status = prefix[0]
    if status not in (STATUS_OK, STATUS_ERROR):
        raise FrameError("bad_status", f"unknown response status {status}")
    if body_len < 1 + MESSAGE_HEADER:
        raise FrameError("truncated", f"frame truncated: need {MESSAGE_HEADER} bytes, got {body_len - 1}")
    (json_len,) = U32.unpack_from(prefix, 1)
    _check_json_len(json_len, body_len - 1 - MESSAGE_HEADER)
    return status, json_len


def decode_block(block: bytes) -> tuple[int, Message]:
    """Decodes a whole block; its header must agree with its length."""
    if len(block) < BLOCK_HEADER:
        raise FrameError("truncated", f"frame truncated: need {BLOCK_HEADER} bytes, got {len(block)}")
    (declared,) = U32.unpack_from(block)
    actual = len(block) - BLOCK_HEADER
    if declared != actual:
        raise FrameError("length_mismatch", f"block declares {declared} bytes but {actual} are given")
    return decode_body(memoryview(block)[BLOCK_HEADER:])


def pack_location(ptr: int, total: int) -> int:
    return ((ptr & U32_MAX) << 32) | (total & U32_MAX)


def unpack_location(packed: int) -> tuple[int, int]:
    """Splits `plugin_handle`'s result; wasmtime hands i64 over signed, so mask first."""
    packed &= U64_MASK
    return packed >> 32, packed & U32_MAX


def checked_range(ptr: int, length: int, mem_len: int) -> range | None:
    """``[ptr, ptr + length)`` as u32 values, if it lies inside ``mem_len`` bytes.

    Guest i32s reach Python signed, so both are masked to u32 first; the end is
    computed in Python ints, so it cannot wrap.
    """
    start = ptr & U32_MAX
    end = start + (length & U32_MAX)
    return range(start, end) if end <= mem_len else None

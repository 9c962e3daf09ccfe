"""The host's ABI v1 codec, property-tested."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacedrive_host.runtime import abi

small = st.binary(max_size=512)


@given(json=small, tail=small)
def test_message_round_trips(json: bytes, tail: bytes) -> None:
    encoded = abi.encode_message(json, tail)
    assert len(encoded) == abi.MESSAGE_HEADER + len(json) + len(tail)
    assert abi.decode_message(encoded) == abi.Message(json, tail)


@given(status=st.sampled_from([abi.STATUS_OK, abi.STATUS_ERROR]), json=small, tail=small)
def test_block_round_trips_and_header_counts_the_body(status: int, json: bytes, tail: bytes) -> None:
    block = abi.encode_block(status, json, tail)
    assert len(block) == abi.block_len(len(json), len(tail))
    assert int.from_bytes(block[:4], "little") == len(block) - 4
    assert abi.decode_block(block) == (status, abi.Message(json, tail))


@given(st.binary(max_size=64))
def test_decoding_arbitrary_bytes_fails_only_with_frame_error(data: bytes) -> None:
    for decode in (abi.decode_message, abi.decode_body, abi.decode_block):
        with contextlib.suppress(abi.FrameError):
            decode(data)


@given(json=small, tail=small, delta=st.integers(min_value=1, max_value=1000))
def test_block_that_lies_about_its_length_is_rejected(json: bytes, tail: bytes, delta: int) -> None:
    block = bytearray(abi.encode_block(abi.STATUS_OK, json, tail))
    declared = int.from_bytes(block[:4], "little") + delta
    block[:4] = declared.to_bytes(4, "little")
    with pytest.raises(abi.FrameError, match="declares"):
        abi.decode_block(bytes(block))


@given(st.integers(min_value=2, max_value=255))
def test_unknown_status_is_rejected(status: int) -> None:
    with pytest.raises(abi.FrameError, match="status"):
        abi.decode_body(bytes([status]) + abi.encode_message(b"{}"))


@given(
    ptr=st.integers(min_value=0, max_value=abi.U32_MAX),
    total=st.integers(min_value=0, max_value=abi.U32_MAX),
)
def test_packed_location_round_trips_even_when_signed(ptr: int, total: int) -> None:
    packed = abi.pack_location(ptr, total)
    signed = packed - (1 << 64) if packed >= 1 << 63 else packed  # as wasmtime hands an i64 over
    assert abi.unpack_location(signed) == (ptr, total)


i32 = st.integers(min_value=-(2**31), max_value=2**31 - 1)


@given(ptr=i32, length=i32, mem=st.integers(min_value=0, max_value=2**32 + 10))
def test_checked_range_accepts_exactly_the_ranges_inside_memory(ptr: int, length: int, mem: int) -> None:
    start, n = ptr & abi.U32_MAX, length & abi.U32_MAX
    span = abi.checked_range(ptr, length, mem)
    if start + n <= mem:
        assert span == range(start, start + n)
    else:
        assert span is None


def test_checked_range_cases_that_wrap_in_u32() -> None:
    assert abi.checked_range(-16, 32, 65536) is None  # 0xFFFFFFF0 + 32 wraps in u32
    assert abi.checked_range(0xFFFF_FFFF, 1, 65536) is None
    assert abi.checked_range(65536, 0, 65536) == range(65536, 65536)
    assert abi.checked_range(65536, 1, 65536) is None


def test_oversized_frames_are_refused() -> None:
    with pytest.raises(abi.FrameError):
        abi.block_len(abi.U32_MAX, 0)


@given(
    st.binary(max_size=40)
    | st.builds(lambda s, j, t: bytes([s]) + abi.encode_message(j, t), st.integers(0, 3), small, small)
)
def test_body_layout_agrees_with_decode_body(body: bytes) -> None:
    try:
        status, msg = abi.decode_body(body)
        expected: object = (status, len(msg.json))
    except abi.FrameError as exc:
        expected = exc.kind
    try:
        got: object = abi.body_layout(body[:5], len(body))
    except abi.FrameError as exc:
        got = exc.kind
    assert got == expected

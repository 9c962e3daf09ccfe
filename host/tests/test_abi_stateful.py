"""A stateful property test that drives a real guest's memory through the host.

Random sequences of: allocations of random sizes through the guest's wasm_alloc
(0, 1, page-crossing, near the memory limit), writes of response blocks and
binary tails, frees (good and bad), memory growth, guest-internal allocations,
and plugin_handle round trips. After every step: what one side wrote is exactly
what the other reads, live blocks never overlap and lie inside memory, and the
guest's ledger of ABI blocks balances with this model.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, multiple, rule

from spacedrive_host import Host
from spacedrive_host.runtime import abi
from spacedrive_host.runtime.core import CoreInstance

PAGE = 65536
LIMIT = 64 << 20  # abi-probe's max_memory_mb
SIZES = (
    st.sampled_from([0, 1, 7, 8, 9, PAGE - 1, PAGE, PAGE + 1, 3 * PAGE + 5])
    | st.integers(0, 300_000)
    | st.integers(LIMIT - 8 * PAGE, LIMIT + PAGE)  # near (and past) the limit: may fail
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
# What the host sends for a call with no input: "stats" + a message holding `null`.
STATS_REQUEST = len(b"stats") + len(abi.encode_message(b"null"))


class GuestMemory(RuleBasedStateMachine):
    host: Host  # set by the test below

    blocks = Bundle("blocks")

    def __init__(self) -> None:
        super().__init__()
        self.host.plugins.reload("abi-probe")  # a fresh instance per run
        inst = self.host.plugins.instance("abi-probe")
        assert isinstance(inst, CoreInstance)
        self.inst: CoreInstance = inst
        self.live: dict[int, bytes] = {}  # ptr -> the bytes written there
        self.held: list[int] = []

    def call(self, method: str, payload: Any = None, tail: bytes = b"") -> tuple[Any, bytes]:
        out = self.host.call_plugin("abi-probe", method, payload, tail=tail)
        return out.data()["output"], out.tail

    @initialize()
    def start_clean(self) -> None:
        stats, _ = self.call("stats")
        assert (stats["blocks"], stats["bytes"]) == (1, STATS_REQUEST)

    @rule(target=blocks, size=SIZES, seed=st.integers(0, 255))
    def alloc(self, size: int, seed: int) -> Any:
        ptr = self.inst.guest_alloc(size)
        if ptr == 0:
            assert size > 8 << 20, f"wasm_alloc({size}) failed"
            return multiple()
        assert ptr % 8 == 0
        assert ptr + max(size, 1) <= self.inst.memory_size()
        for p, data in self.live.items():
            assert ptr + max(size, 1) <= p or p + max(len(data), 1) <= ptr, "overlapping live blocks"
        data = bytes((seed + i) & 0xFF for i in range(min(size, 64))) * (size // 64 + 1)
        data = data[:size]
        self.inst.write_memory(ptr, data)
        if size > 8 << 20:
            # Near the limit: check it reads back and let it go, so the live set
            # (re-read after every step) stays small.
            assert self.inst.read_memory(ptr, size) == data
            self.inst.guest_free(ptr, size)
            return multiple()
        self.live[ptr] = data
        return ptr

    @rule(ptr=consumes(blocks))
    def free(self, ptr: int) -> None:
        self.inst.guest_free(ptr, len(self.live.pop(ptr)))

    @rule(ptr=blocks, delta=st.sampled_from([-1, 1, 8, 4096]))
    def free_with_wrong_size_is_refused(self, ptr: int, delta: int) -> None:
        size = len(self.live[ptr]) + delta
        if size >= 0:
            self.inst.guest_free(ptr, size)  # the ledger refuses it; the invariant checks nothing moved

    @rule(ptr=st.integers(0, 2**32 - 1))
    def free_of_an_unknown_pointer_is_refused(self, ptr: int) -> None:
        if ptr not in self.live:
            self.inst.guest_free(ptr, 8)

    @rule(value=JSON, tail=st.binary(max_size=3 * PAGE), status=st.sampled_from([0, 1]))
    def host_writes_a_response_block(self, value: Any, tail: bytes, status: int) -> None:
        """What spacedrive_call does: a block in memory from wasm_alloc, read and freed by the SDK."""
        json = repr(value).encode()
        block = abi.encode_block(status, json, tail)
        ptr = self.inst.guest_alloc(len(block))
        assert ptr != 0
        self.inst.write_memory(ptr, block)
        out, body = self.call("take_block", {"ptr": ptr})
        assert out == {"status": status, "json_len": len(json)}
        assert body == json + tail

    @rule(value=JSON, tail=st.binary(max_size=2 * PAGE))
    def plugin_handle_round_trip(self, value: Any, tail: bytes) -> None:
        assert self.call("echo", value, tail) == (value, tail)

    @rule(pages=st.integers(0, 3))
    def grow(self, pages: int) -> None:
        before = self.inst.memory_size()
        out, _ = self.call("grow", {"pages": pages})
        if out["old_pages"] >= 0:
            assert self.inst.memory_size() >= before + pages * PAGE

    @rule(size=st.integers(0, 200_000))
    def guest_allocates_internally(self, size: int) -> None:
        out, _ = self.call("hold", {"size": size})
        self.held.append(out["id"])

    @rule(data=st.data())
    def guest_frees_internally(self, data: st.DataObject) -> None:
        if self.held:
            held_id = self.held.pop(data.draw(st.integers(0, len(self.held) - 1)))
            out, _ = self.call("release", {"id": held_id})
            assert out == {"released": True}  # untouched by anything the host wrote

    @invariant()
    def written_bytes_are_intact(self) -> None:
        for ptr, data in self.live.items():
            assert self.inst.read_memory(ptr, len(data)) == data, f"block at {ptr:#x} changed"

    @invariant()
    def ledger_balances(self) -> None:
        stats, _ = self.call("stats")
        assert stats["blocks"] == len(self.live) + 1  # + this call's request buffer
        assert stats["bytes"] == sum(map(len, self.live.values())) + STATS_REQUEST
        # The guest measured memory before allocating its reply, which may grow it.
        assert stats["memory"] <= self.inst.memory_size() <= LIMIT


def test_stateful_guest_memory(module_host: Host) -> None:
    GuestMemory.host = module_host
    # Each example is a whole run of steps: fewer examples than the flat properties.
    profile = settings()
    runner = GuestMemory.TestCase
    runner.settings = settings(
        profile, max_examples=max(10, profile.max_examples // 3), stateful_step_count=40, deadline=None
    )
    if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
        runner.settings = settings(runner.settings, stateful_step_count=100)
    runner().runTest()


@pytest.mark.parametrize("size", [0, 1, PAGE, LIMIT + 1])
def test_alloc_edges(module_host: Host, size: int) -> None:
    inst = module_host.plugins.instance("abi-probe")
    assert isinstance(inst, CoreInstance)
    ptr = inst.guest_alloc(size)
    if size > LIMIT:
        assert ptr == 0
    else:
        assert ptr != 0
        inst.guest_free(ptr, size)

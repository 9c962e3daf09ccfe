"""`nox -s soak`: thousands of calls mixing every fault kind, RSS and descriptors sampled.

One host on the call path `SPACEDRIVE_FASTCALL` selects (the nox session runs
this once per path), the `hostile` plugin beside `echo`, `reader` and `finance`,
and rounds of: good calls, traps, timeouts, memory bombs, out-of-bounds
pointers, bad UTF-8, oversized payloads, floods, plugin-to-plugin calls,
corrupt documents for OCR and hostile mail for the Finance extension. The
second plugin kind is in it too: `py-hostile`, a Python component, raises,
exits, prints, bombs its memory, spins to its time limit and echoes tails (each
fault discards its instance and the next call recreates it). After a
warm-up (long enough for every fault kind of both plugin kinds, since some
start a runtime thread or a pool once) the resident memory and the open file
descriptors are sampled every round; the run fails when either keeps growing
(the last quarter's peak above the first's by more than a bound: peaks, since
the resident size moves between two levels as a component's instance is
discarded and recreated), and prints the samples.

    python tools/soak.py --plugins build/plugins [--calls 5000]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from spacedrive_host import Host, PluginError

#: (method, payload) pairs on `hostile`: each ends in a typed error or an answer.
FAULTS: list[tuple[str, Any]] = [
    ("panic", None),
    ("spin", None),
    ("memory_bomb", None),
    ("alloc_bomb", {"mb": 64}),
    ("recurse", {"depth": 1_000_000}),
    ("raw_call", {"method_ptr": 0xFFFF0000}),
    ("raw_call", {"payload_ptr": 0xFFFFFFF0, "payload_len": 32}),
    ("raw_call", {"method_bytes": list(b"query:\xff\xfe.echo.v1")}),
    ("oversized_payload", {"size": 1 << 20}),
    ("random_into", {"ptr": 0xFFFFFFF0, "len": 64}),
    ("call", {"method": "query:core.echo.v1", "input": {"value": "x" * 1000}}),
    ("flood_calls", {"n": 50}),
    ("log_flood", {"n": 50, "size": 1000}),
]
#: The same on `py-hostile` (a component): spinning costs its whole time limit, so it is rarer.
COMPONENT_FAULTS: list[tuple[str, Any]] = [
    ("raise", None),
    ("trap", None),
    ("print", {"text": "soak " * 200}),
    ("memory_bomb", None),
    ("call", {"method": "query:core.echo.v1", "input": {"value": "x" * 1000}}),
    ("flood_calls", {"n": 20}),
    ("echo", {"big": "y" * 100_000}),
]
#: One round in this many calls `py-hostile`; one in `SPIN_EVERY` rounds spins it.
COMPONENT_EVERY = 3
SPIN_EVERY = 60
BAD_MAIL = [
    b"",
    b"From: \xff\xfe\r\nSubject: =?utf-8?B?////?=\r\n\r\nTotal: $1e999",
    b"Content-Type: multipart/mixed; boundary=x\r\n\r\n" + b"--x\r\n" * 2000,
]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _count(outcomes: dict[str, int], key: str) -> None:
    outcomes[key] = outcomes.get(key, 0) + 1


def component_round(host: Host, rng: random.Random, outcomes: dict[str, int], spin: bool) -> None:
    method, payload = ("spin", None) if spin else rng.choice(COMPONENT_FAULTS)
    try:
        host.call_plugin("py-hostile", method, payload, tail=rng.choice([b"", bytes(range(256)) * 64]))
        _count(outcomes, "py:ok")
    except PluginError as e:
        _count(outcomes, f"py:{e.code.value}")
    assert host.call_plugin("py-hostile", "echo", [2]).data()["output"] == [2], "the component recovers"


def one_round(host: Host, rng: random.Random, outcomes: dict[str, int]) -> None:
    for _ in range(8):
        assert host.call_plugin("echo", "echo", {"i": rng.random()}).data()["output"]
    method, payload = rng.choice(FAULTS)
    try:
        host.call_plugin("hostile", method, payload)
        outcomes["ok"] = outcomes.get("ok", 0) + 1
    except PluginError as e:
        outcomes[e.code.value] = outcomes.get(e.code.value, 0) + 1
    try:
        host.call_plugin(
            "reader", "read", {}, tail=rng.choice([b"\x89PNG\r\n\x1a\n", b"%PDF-1.7 x", b"junk"])
        )
    except PluginError as e:
        outcomes[f"ocr:{e.code.value}"] = outcomes.get(f"ocr:{e.code.value}", 0) + 1
    try:
        host.call_plugin("finance", "analyze", None, tail=rng.choice(BAD_MAIL))
    except PluginError as e:
        outcomes[f"mail:{e.code.value}"] = outcomes.get(f"mail:{e.code.value}", 0) + 1
    assert host.call_plugin("hostile", "echo", [1]).data()["output"] == [1], "the hostile plugin recovers"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--plugins", type=Path, required=True)
    parser.add_argument("--calls", type=int, default=5000, help="about this many calls in all")
    parser.add_argument("--max-rss-growth-kib", type=int, default=16 * 1024)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rounds = max(8, args.calls // 12)  # a round is about 12 calls
    outcomes: dict[str, int] = {}
    samples: list[tuple[int, int]] = []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sd-soak-") as tmp, Host(data_dir=Path(tmp)) as host:
        for name in ("echo", "hostile", "reader", "finance", "py-hostile"):
            host.plugins.load(args.plugins / name)
        warmup = min(rounds // 2, max(4, rounds // 10, 2 * SPIN_EVERY))
        for i in range(rounds):
            one_round(host, rng, outcomes)
            if i % COMPONENT_EVERY == 0:
                component_round(host, rng, outcomes, spin=i % SPIN_EVERY == 0)
            if i >= warmup:
                gc.collect()  # a discarded instance sits in a cycle until then: a leak outlives it
                samples.append((rss_kib(), open_fds()))
    path = os.environ.get("SPACEDRIVE_FASTCALL", "best available")
    quarter = max(1, len(samples) // 4)
    first = [s[0] for s in samples[:quarter]]
    last = [s[0] for s in samples[-quarter:]]
    growth = max(last) - max(first)
    fds = {s[1] for s in samples}
    seconds = time.monotonic() - start
    print(f"soak on the {path} call path: {rounds} rounds, ~{rounds * 12} calls, {seconds:.0f} s")
    print(f"  outcomes: {dict(sorted(outcomes.items()))}")
    print(
        f"  RSS after warm-up: {samples[0][0]} KiB; first quarter median {statistics.median(first):.0f}, "
        f"peak {max(first)}; last quarter median {statistics.median(last):.0f}, peak {max(last)} KiB "
        f"(growth of the peak {growth:.0f} KiB)"
    )
    print(f"  open descriptors: {min(fds)}..{max(fds)}")
    failed = False
    if growth > args.max_rss_growth_kib:
        print(
            f"FAIL: resident memory grew {growth:.0f} KiB (bound {args.max_rss_growth_kib})", file=sys.stderr
        )
        failed = True
    if max(fds) - min(fds) > 2:
        print(f"FAIL: open descriptors went from {min(fds)} to {max(fds)}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Two commits' call rows in one process, interleaved in the same rounds: the
before/after comparison of a change to the call path.

    git -C . archive <before-commit> host/src | tar -x -C /tmp/before
    python bench/compare.py --plugins build/plugins --before /tmp/before/host/src --cpu

The older package is imported under another name (its imports are relative),
so both hosts run side by side against the same built plugins. ``--cpu`` times
with the calling thread's CPU time, which a machine shared with other work
disturbs less than the wall clock; the estimate is each case's 10th percentile.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import shutil
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases
from harness import Result, measure


def _p10(result: Result) -> float:
    return sorted(result.samples)[len(result.samples) // 10]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plugins", type=Path, required=True, help="the build output (build/plugins)")
    parser.add_argument("--before", type=Path, required=True, help="the older commit's host/src")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--cpu", action="store_true", help="time with thread CPU time")
    args = parser.parse_args()
    if args.cpu:
        time.perf_counter = time.thread_time  # what harness.measure reads
    with tempfile.TemporaryDirectory(prefix="sd-compare-") as tmp:
        shutil.copytree(args.before / "spacedrive_host", Path(tmp) / "sd_before")
        sys.path.insert(0, tmp)
        before_pkg: Any = importlib.import_module("sd_before")
        fx = cases.Fixture(args.plugins, Path(tmp) / "after")
        # What `cases.ours_and_peer` reads of a fixture: the host (the older one) and Extism.
        old: Any = types.SimpleNamespace(
            host=before_pkg.Host(data_dir=Path(tmp) / "before"), extism=fx.extism
        )
        for name in ("echo", "abi-probe", "hello"):
            old.host.plugins.load(args.plugins / name)
        try:
            after = cases.ours_and_peer(fx)
            before = [
                dataclasses.replace(c, name=f"before: {c.name}")
                for c in cases.ours_and_peer(old)
                if not c.name.startswith("Extism")
            ]
            results = measure(after + before, rounds=args.rounds)
        finally:
            old.host.close()
            fx.close()
    extism = _p10(results["Extism echo (200 B)"])
    print("| case | before | after | after / before | after / Extism echo |")
    print("|---|---|---|---|---|")
    for case in after:
        now = _p10(results[case.name])
        if case.name.startswith("Extism"):
            print(f"| {case.name} | | {now * 1e6:.2f} us | | |")
            continue
        then = _p10(results[f"before: {case.name}"])
        times = f"{then * 1e6:.2f} us | {now * 1e6:.2f} us"
        print(f"| {case.name} | {times} | {now / then:.3f} | {now / extism:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

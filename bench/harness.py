"""Timing: warm-up, then many rounds with the cases interleaved (a noisy,
shared machine slows every case in a round alike), median and spread."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Case:
    name: str
    group: str
    run: Callable[[], object]
    #: Operations one `run()` performs (a guest loop of 1000 host calls is 1000).
    ops_per_run: int = 1
    #: Calls of `run()` per timed sample, so a sample is long enough to time.
    repeat: int = 1
    #: The case this one is compared against, measured in the same rounds.
    baseline: str | None = None
    #: Bytes moved per operation, for throughput.
    payload: int | None = None
    note: str = ""


@dataclass
class Result:
    case: Case
    samples: list[float]  # seconds per operation

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> tuple[float, float]:
        """The 25th and 75th percentiles."""
        if len(self.samples) < 4:
            return min(self.samples), max(self.samples)
        q = statistics.quantiles(self.samples, n=4)
        return q[0], q[2]


def measure(cases: list[Case], *, rounds: int, warmup: int = 2, seed: int = 0) -> dict[str, Result]:
    rng = random.Random(seed)
    for case in cases:
        for _ in range(warmup):
            case.run()
    results = {c.name: Result(c, []) for c in cases}
    order = list(cases)
    for _ in range(rounds):
        rng.shuffle(order)
        for case in order:
            start = time.perf_counter()
            for _ in range(case.repeat):
                case.run()
            elapsed = time.perf_counter() - start
            results[case.name].samples.append(elapsed / (case.repeat * case.ops_per_run))
    return results

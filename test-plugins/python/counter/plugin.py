"""`py-counter`: jobs for the job runner's tests, in many checkpointed steps
(the same answers as the Rust `counter`)."""

from __future__ import annotations

from spacedrive_guest import Internal, JobStep, Plugin, StepResult

plugin = Plugin()

MODULUS = 1_000_000_007


def spin(rounds: int, seed: int) -> int:
    """CPU work, so a step takes measurable time."""
    x = seed | 1
    for _ in range(rounds):
        x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 7
        x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
    return x


# --8<-- [start:job]
@plugin.job("sum_squares")
def sum_squares(step: JobStep) -> StepResult:
    n, chunk, work = step.input["n"], max(1, step.input["chunk"]), step.input.get("work", 0)
    cp = step.checkpoint or {"next": 0, "acc": 0}
    end = min(cp["next"] + chunk, n)
    acc = cp["acc"]
    for i in range(cp["next"], end):
        acc = (acc + (i % MODULUS) * (i % MODULUS) % MODULUS) % MODULUS
        spin(work, i)
    if end >= n:
        return StepResult.finished({"sum": acc})
    return StepResult.more(end / n, {"next": end, "acc": acc}, message=f"{end} of {n}")


# --8<-- [end:job]


@plugin.job("fail_at")
def fail_at(step: JobStep) -> StepResult:
    if step.step >= step.input["at"]:
        raise Internal(f"failed on purpose at step {step.step}")
    return StepResult.more(0.5, step.step)

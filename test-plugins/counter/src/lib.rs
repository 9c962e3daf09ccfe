//! `counter`: jobs for the job runner's tests, on `spacedrive_sdk::jobs`.

use serde::{Deserialize, Serialize};
use spacedrive_sdk::jobs::{JobStep, StepResult};
use spacedrive_sdk::{Call, Error, Plugin, Reply, Result, export_plugin};

const MODULUS: u64 = 1_000_000_007;

#[derive(Deserialize)]
struct SumInput {
    n: u64,
    chunk: u64,
    #[serde(default)]
    work: u64,
}

#[derive(Serialize, Deserialize, Default, Clone, Copy)]
struct Progress {
    next: u64,
    acc: u64,
}

#[derive(Serialize)]
struct Sum {
    sum: u64,
}

/// CPU work that the optimiser cannot remove, so a step takes measurable time.
fn spin(rounds: u64, seed: u64) -> u64 {
    let mut x = seed | 1;
    for _ in 0..rounds {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    core::hint::black_box(x)
}

// --8<-- [start:job]
fn sum_squares(step: JobStep<SumInput, Progress>) -> StepResult<Progress, Sum> {
    let input = &step.input;
    let mut cp = step.checkpoint.unwrap_or_default();
    let end = (cp.next + input.chunk.max(1)).min(input.n);
    for i in cp.next..end {
        cp.acc = (cp.acc + (i % MODULUS) * (i % MODULUS) % MODULUS) % MODULUS;
        spin(input.work, i);
    }
    cp.next = end;
    if end >= input.n {
        StepResult::finished(Sum { sum: cp.acc })
    } else {
        StepResult::more(end as f64 / input.n as f64, cp)
            .with_message(format!("{end} of {}", input.n))
    }
}

#[derive(Deserialize)]
struct FailAt {
    at: u64,
}

pub struct Counter;

impl Plugin for Counter {
    fn init() -> Result<Self> {
        Ok(Counter)
    }

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
        match call.method() {
            "job:sum_squares" => Reply::json(&sum_squares(call.json()?)),
            "job:fail_at" => {
                let step: JobStep<FailAt, u64> = call.json()?;
                if step.step >= step.input.at {
                    return Err(Error::internal(format!(
                        "failed on purpose at step {}",
                        step.step
                    )));
                }
                Reply::json(&StepResult::<u64, ()>::more(0.5, step.step))
            }
            other => Err(Error::unknown_method(other)),
        }
    }
}

export_plugin!(Counter);

//! `counter`: jobs for the job runner's tests, on `spacedrive_sdk::jobs`.

use serde::{Deserialize, Serialize};
use spacedrive_sdk::jobs::{JobStep, StepResult};
use spacedrive_sdk::{Error, Result, plugin};

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

#[derive(Default)]
pub struct Counter;

// --8<-- [start:job]
impl Counter {
    /// One step of the job `sum_squares`: from its checkpoint, `chunk` more terms.
    fn sum_squares(
        &mut self,
        step: JobStep<SumInput, Progress>,
    ) -> Result<StepResult<Progress, Sum>> {
        let input = &step.input;
        let mut cp = step.checkpoint.unwrap_or_default();
        let end = (cp.next + input.chunk.max(1)).min(input.n);
        for i in cp.next..end {
            cp.acc = (cp.acc + (i % MODULUS) * (i % MODULUS) % MODULUS) % MODULUS;
            spin(input.work, i);
        }
        cp.next = end;
        Ok(if end >= input.n {
            StepResult::finished(Sum { sum: cp.acc })
        } else {
            StepResult::more(end as f64 / input.n as f64, cp)
                .with_message(format!("{end} of {}", input.n))
        })
    }
}

// The manifest declares both under `jobs`; the host calls them as `job:<name>`.
plugin!(Counter {
    "sum_squares" => job(sum_squares),
    "fail_at" => job(fail_at),
});
// --8<-- [end:job]

#[derive(Deserialize)]
struct FailAt {
    at: u64,
}

impl Counter {
    fn fail_at(&mut self, step: JobStep<FailAt, u64>) -> Result<StepResult<u64, ()>> {
        if step.step >= step.input.at {
            return Err(Error::internal(format!(
                "failed on purpose at step {}",
                step.step
            )));
        }
        Ok(StepResult::more(0.5, step.step))
    }
}

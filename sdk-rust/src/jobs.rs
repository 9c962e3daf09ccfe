//! Jobs: long work the host runs step by step. The plugin declares each job in
//! its manifest (`"jobs": [{"name": "scan"}]`); the host calls method
//! `job:<name>` with a [`JobStep`] and commits the returned checkpoint before
//! the next step, so a job survives a host restart and can be paused or cancelled
//! between steps.
//!
//! ## Example
//!
//! ```
//! use spacedrive_sdk::jobs::{JobStep, StepResult};
//!
//! fn count(step: JobStep<u64, u64>) -> StepResult<u64, u64> {
//!     let next = step.checkpoint.unwrap_or(0) + 1;
//!     if next >= step.input {
//!         StepResult::finished(next)
//!     } else {
//!         StepResult::more(next as f64 / step.input as f64, next)
//!     }
//! }
//! assert!(count(JobStep { job_id: "j".into(), input: 3, checkpoint: Some(2), step: 2 }).done);
//! ```

use serde::{Deserialize, Serialize};

/// One step's request: the job's input and the checkpoint the last step returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobStep<I, C> {
    pub job_id: String,
    pub input: I,
    /// `None` on the first step.
    pub checkpoint: Option<C>,
    /// How many steps ran before this one.
    pub step: u64,
}

/// One step's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepResult<C, O> {
    /// From 0 to 1.
    pub progress: f64,
    pub checkpoint: Option<C>,
    pub done: bool,
    pub output: Option<O>,
    pub message: Option<String>,
    /// Milliseconds the host waits before the next step (it caps the wait):
    /// how a job honours a server's `Retry-After` without spinning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

impl<C, O> StepResult<C, O> {
    /// Not done: the host stores `checkpoint` and calls again.
    pub fn more(progress: f64, checkpoint: C) -> Self {
        Self {
            progress: progress.clamp(0.0, 1.0),
            checkpoint: Some(checkpoint),
            done: false,
            output: None,
            message: None,
            delay_ms: None,
        }
    }
    /// Done, with the job's output.
    pub fn finished(output: O) -> Self {
        Self {
            progress: 1.0,
            checkpoint: None,
            done: true,
            output: Some(output),
            message: None,
            delay_ms: None,
        }
    }
    /// Adds a human-readable status line.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
    /// Asks the host to wait `ms` milliseconds before the next step.
    pub fn with_delay(mut self, ms: u64) -> Self {
        self.delay_ms = Some(ms);
        self
    }
}

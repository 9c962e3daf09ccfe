//! The host's clocks. A wasm32-unknown-unknown guest has none of its own.
//!
//! ## Example
//!
//! ```
//! let started = spacedrive_sdk::time::monotonic_ns();
//! let now = spacedrive_sdk::time::now();
//! assert!(now > std::time::UNIX_EPOCH);
//! assert!(spacedrive_sdk::time::monotonic_ns() >= started);
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall-clock time, nanoseconds since the Unix epoch.
pub fn now_ns() -> i64 {
    crate::sys::clock(0)
}

/// Wall-clock time as a `SystemTime`.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_nanos(u64::try_from(now_ns()).unwrap_or(0))
}

/// A monotonic clock, in nanoseconds from an arbitrary start: for measuring durations.
pub fn monotonic_ns() -> i64 {
    crate::sys::clock(1)
}

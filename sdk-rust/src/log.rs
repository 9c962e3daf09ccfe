//! Logging to the host (`spacedrive_log`). The host tags each line with the
//! plugin id and may rate-limit or truncate it.
//!
//! ## Example
//!
//! ```
//! spacedrive_sdk::log::info("scanning inbox");
//! spacedrive_sdk::log::warn(format!("{} messages skipped", 3));
//! ```

/// Log levels of ABI v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Level {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}

/// Logs `message` at `level`.
pub fn log(level: Level, message: impl AsRef<str>) {
    crate::sys::log(level as u32, message.as_ref());
}

pub fn trace(message: impl AsRef<str>) {
    log(Level::Trace, message)
}
pub fn debug(message: impl AsRef<str>) {
    log(Level::Debug, message)
}
pub fn info(message: impl AsRef<str>) {
    log(Level::Info, message)
}
pub fn warn(message: impl AsRef<str>) {
    log(Level::Warn, message)
}
pub fn error(message: impl AsRef<str>) {
    log(Level::Error, message)
}

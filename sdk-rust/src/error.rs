//! The error every SDK call returns: a code from the fixed set, and a message.

use core::fmt;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Shorthand for results carrying [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

// `ErrorCode` and its wire form, generated from the host's one list of codes
// (schema/operations.json, `error_codes`): `nox -s codegen`.
include!("error_code.rs");

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Self::parse(&s))
    }
}

/// An error from the host or from this plugin: `{"code": ..., "message": ...}` on the wire.
///
/// ## Example
///
/// ```
/// use spacedrive_sdk::{Error, ErrorCode};
/// let e = Error::not_found("no receipt 42");
/// assert_eq!(e.code, ErrorCode::NotFound);
/// assert_eq!(e.to_string(), "not_found: no receipt 42");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    /// An error with any code.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unavailable, message)
    }
    /// The error a plugin returns for a method it does not provide.
    pub fn unknown_method(method: &str) -> Self {
        Self::not_found(format!("this plugin has no method {method:?}"))
    }

    pub(crate) fn to_json(&self) -> Vec<u8> {
        // Serialising two strings cannot fail.
        serde_json::to_vec(self).unwrap_or_else(|_| br#"{"code":"internal","message":""}"#.to_vec())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// A JSON error is the caller's bad input: `?` on `serde_json` works as is.
///
/// ## Example
///
/// ```
/// use spacedrive_sdk::{Error, ErrorCode};
/// fn parse(raw: &[u8]) -> Result<u32, Error> {
///     Ok(serde_json::from_slice(raw)?)
/// }
/// assert_eq!(parse(b"nope").unwrap_err().code, ErrorCode::InvalidInput);
/// ```
impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Self::invalid_input(format!("bad JSON: {e}"))
    }
}

/// Bytes that should have been UTF-8 text: the caller's input was invalid.
///
/// ```
/// use spacedrive_sdk::{Error, ErrorCode};
/// fn text(tail: &[u8]) -> Result<&str, Error> {
///     Ok(std::str::from_utf8(tail)?)
/// }
/// assert_eq!(text(b"\xff").unwrap_err().code, ErrorCode::InvalidInput);
/// ```
impl From<core::str::Utf8Error> for Error {
    fn from(e: core::str::Utf8Error) -> Self {
        Self::invalid_input(format!("not UTF-8: {e}"))
    }
}

impl From<std::string::FromUtf8Error> for Error {
    fn from(e: std::string::FromUtf8Error) -> Self {
        e.utf8_error().into()
    }
}

impl From<spacedrive_abi::FrameError> for Error {
    fn from(e: spacedrive_abi::FrameError) -> Self {
        Self::invalid_input(format!("malformed frame: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_the_wire_form() {
        for code in [
            "permission_denied",
            "rate_limited",
            "not_found",
            "invalid_input",
            "limit_exceeded",
            "timeout",
            "unavailable",
            "internal",
            "brand_new",
        ] {
            assert_eq!(ErrorCode::parse(code).as_str(), code);
        }
        assert_eq!(
            ErrorCode::parse("brand_new"),
            ErrorCode::Other("brand_new".into())
        );
    }

    #[test]
    fn error_json_is_code_and_message() {
        let e = Error::new(ErrorCode::RateLimited, "slow down");
        let json = String::from_utf8(e.to_json()).unwrap();
        assert_eq!(json, r#"{"code":"rate_limited","message":"slow down"}"#);
        let back: Error = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}

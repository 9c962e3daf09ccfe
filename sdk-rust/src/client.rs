//! Calls from the plugin to host operations (`spacedrive_call`).

use crate::error::{Error, ErrorCode, Result};
use core::fmt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use spacedrive_abi as abi;

/// A library's id: 16 raw UUID bytes, shown and serialised in the usual
/// hyphenated form.
///
/// ## Example
///
/// ```
/// use spacedrive_sdk::LibraryId;
/// let id = LibraryId::parse("550e8400-e29b-41d4-a716-446655440000").unwrap();
/// assert_eq!(id.to_string(), "550e8400-e29b-41d4-a716-446655440000");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LibraryId([u8; 16]);

impl LibraryId {
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
    /// Parses 32 hex digits, hyphens anywhere ignored.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || Error::invalid_input(format!("not a library id (UUID): {text:?}"));
        let digits: Vec<u8> = text.bytes().filter(|&b| b != b'-').collect();
        if digits.len() != 32 {
            return Err(bad());
        }
        let mut out = [0u8; 16];
        for (i, pair) in digits.chunks(2).enumerate() {
            let hex = core::str::from_utf8(pair).map_err(|_| bad())?;
            out[i] = u8::from_str_radix(hex, 16).map_err(|_| bad())?;
        }
        Ok(Self(out))
    }
}

impl fmt::Display for LibraryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for LibraryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LibraryId({self})")
    }
}

impl Serialize for LibraryId {
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LibraryId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An untyped reply: the JSON bytes and the binary tail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawReply {
    pub json: Vec<u8>,
    pub tail: Vec<u8>,
}

/// A reply read in place, in the block the host wrote into plugin memory: no
/// copy of its JSON or tail is made. The block is freed when this is dropped.
pub struct HostReply {
    body: crate::sys::Body,
    tail_at: usize,
}

impl HostReply {
    fn body(&self) -> &[u8] {
        AsRef::<[u8]>::as_ref(&self.body)
    }
    pub fn json(&self) -> &[u8] {
        &self.body()[1 + abi::MESSAGE_HEADER..self.tail_at]
    }
    pub fn tail(&self) -> &[u8] {
        &self.body()[self.tail_at..]
    }
    /// The reply copied out into owned buffers.
    pub fn to_raw(&self) -> RawReply {
        RawReply {
            json: self.json().to_vec(),
            tail: self.tail().to_vec(),
        }
    }
}

impl core::fmt::Debug for HostReply {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HostReply")
            .field("json_len", &self.json().len())
            .field("tail_len", &self.tail().len())
            .finish()
    }
}

/// The plugin's connection to the host. It holds no state; make one anywhere.
///
/// ## Example
///
/// ```no_run
/// use spacedrive_sdk::Client;
///
/// #[derive(serde::Deserialize)]
/// struct Version { host_version: String }
///
/// let v: Version = Client::new().call("query:core.version.v1", None, &serde_json::json!({}))?;
/// # Ok::<(), spacedrive_sdk::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Client {
    _private: (),
}

impl Client {
    pub const fn new() -> Self {
        Self { _private: () }
    }

    /// Calls a host operation with a typed input and decodes its typed output.
    pub fn call<I, O>(&self, method: &str, library: Option<&LibraryId>, input: &I) -> Result<O>
    where
        I: Serialize + ?Sized,
        O: DeserializeOwned,
    {
        Ok(self.call_with_tail(method, library, input, &[])?.0)
    }

    /// Like [`Client::call`], with a binary tail in each direction.
    pub fn call_with_tail<I, O>(
        &self,
        method: &str,
        library: Option<&LibraryId>,
        input: &I,
        tail: &[u8],
    ) -> Result<(O, Vec<u8>)>
    where
        I: Serialize + ?Sized,
        O: DeserializeOwned,
    {
        let json = serde_json::to_vec(input)
            .map_err(|e| Error::invalid_input(format!("cannot encode input for {method}: {e}")))?;
        let reply = self.call_message(method, library, &abi::encode_message(&json, tail)?)?;
        let out = serde_json::from_slice(reply.json())
            .map_err(|e| Error::internal(format!("unexpected output from {method}: {e}")))?;
        Ok((out, reply.tail().to_vec()))
    }

    /// Calls a host operation with raw JSON bytes and a tail.
    pub fn call_raw(
        &self,
        method: &str,
        library: Option<&LibraryId>,
        json: &[u8],
        tail: &[u8],
    ) -> Result<RawReply> {
        let payload = abi::encode_message(json, tail)?;
        Ok(self.call_message(method, library, &payload)?.to_raw())
    }

    /// Calls a host operation with a message already framed
    /// (`spacedrive_abi::encode_message` or `write_message`), e.g. one built
    /// once and sent many times, and reads the reply in place: the fewest
    /// copies the ABI allows, for large tails.
    pub fn call_message(
        &self,
        method: &str,
        library: Option<&LibraryId>,
        message: &[u8],
    ) -> Result<HostReply> {
        if method.len() > abi::MAX_METHOD_LEN {
            return Err(Error::invalid_input(format!(
                "method name is {} bytes; the limit is {}",
                method.len(),
                abi::MAX_METHOD_LEN
            )));
        }
        decode_reply(crate::sys::call(
            method,
            library.map(LibraryId::as_bytes),
            message,
        )?)
    }
}

/// Turns a response block body into a reply or the error it carries.
pub(crate) fn decode_reply(body: crate::sys::Body) -> Result<HostReply> {
    let malformed =
        |e: abi::FrameError| Error::internal(format!("malformed response from host: {e}"));
    let bytes: &[u8] = AsRef::<[u8]>::as_ref(&body);
    let (status, msg) = abi::decode_body(bytes).map_err(malformed)?;
    if status == abi::STATUS_ERROR {
        return Err(
            serde_json::from_slice::<Error>(msg.json).unwrap_or_else(|e| {
                Error::new(
                    ErrorCode::Internal,
                    format!("unreadable error from host: {e}"),
                )
            }),
        );
    }
    let tail_at = bytes.len() - msg.tail.len();
    Ok(HostReply { body, tail_at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, HostCall};
    use serde_json::{Value, json};

    #[test]
    fn library_id_parses_and_rejects() {
        let id = LibraryId::parse("550E8400E29B41D4A716446655440000").unwrap();
        assert_eq!(id.to_string(), "550e8400-e29b-41d4-a716-446655440000");
        assert!(LibraryId::parse("550e8400").is_err());
        assert!(LibraryId::parse("zz0e8400-e29b-41d4-a716-446655440000").is_err());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<LibraryId>(&json).unwrap(), id);
    }

    #[test]
    fn call_frames_request_and_decodes_reply() {
        let lib = LibraryId::from_bytes([7; 16]);
        let out = testing::with_host(
            |c: HostCall| {
                assert_eq!(c.method, "query:core.echo.v1");
                assert_eq!(c.library, Some([7; 16]));
                assert_eq!(c.tail, b"\x00\xff");
                Ok(RawReply {
                    json: c.json,
                    tail: b"back".to_vec(),
                })
            },
            || {
                Client::new().call_with_tail::<_, Value>(
                    "query:core.echo.v1",
                    Some(&lib),
                    &json!({"a": 1}),
                    b"\x00\xff",
                )
            },
        );
        assert_eq!(out.unwrap(), (json!({"a": 1}), b"back".to_vec()));
    }

    #[test]
    fn a_framed_message_is_sent_as_is_and_the_reply_read_in_place() {
        let message = abi::encode_message(b"{}", &[5; 300]).unwrap();
        let reply = testing::with_host(
            |c: HostCall| {
                assert_eq!((c.json.as_slice(), c.tail.len()), (&b"{}"[..], 300));
                Ok(RawReply {
                    json: br#"{"ok":true}"#.to_vec(),
                    tail: c.tail,
                })
            },
            || Client::new().call_message("query:core.echo.v1", None, &message),
        )
        .unwrap();
        assert_eq!(reply.json(), br#"{"ok":true}"#);
        assert_eq!(reply.tail(), &[5; 300][..]);
        assert_eq!(reply.to_raw().tail.len(), 300);
    }

    #[test]
    fn host_errors_arrive_typed() {
        let out = testing::with_host(
            |_| Err(Error::new(ErrorCode::PermissionDenied, "no")),
            || Client::new().call::<_, Value>("query:vdfs.list.v1", None, &json!({})),
        );
        assert_eq!(out.unwrap_err().code, ErrorCode::PermissionDenied);
    }

    #[test]
    fn overlong_method_is_refused_before_the_host_sees_it() {
        let method = "x".repeat(abi::MAX_METHOD_LEN + 1);
        let out = testing::with_host(
            |_| panic!("must not reach the host"),
            || Client::new().call::<_, Value>(&method, None, &json!({})),
        );
        assert_eq!(out.unwrap_err().code, ErrorCode::InvalidInput);
    }

    #[test]
    fn malformed_responses_are_internal_errors() {
        assert_eq!(decode_reply(vec![9]).unwrap_err().code, ErrorCode::Internal);
        assert_eq!(
            decode_reply(vec![1, 2, 0, 0, 0, b'{', b'}'])
                .unwrap_err()
                .code,
            ErrorCode::Internal
        );
    }
}

//! The author's side: the [`Plugin`] trait, the [`Call`] it receives and the
//! [`Reply`] it returns.

use crate::client::LibraryId;
use crate::error::{Error, Result};
use crate::jobs::JobStep;
use crate::memory::Block;
use serde::Serialize;
use serde::de::DeserializeOwned;
use spacedrive_abi as abi;

/// A plugin. Only [`Plugin::init`] and [`Plugin::handle`] are required.
///
/// The host calls `init` once per instance (after loading, and after a fault
/// discarded the previous instance), `handle` for every call into the plugin,
/// and `cleanup` before unloading.
pub trait Plugin: Sized + Send + 'static {
    /// Builds the plugin's state. An error refuses the load; its message is
    /// reported by the host.
    fn init() -> Result<Self>;

    /// Answers one call. `call.method()` is one of the methods the manifest
    /// lists under `provides`.
    fn handle(&mut self, call: Call<'_>) -> Result<Reply>;

    /// Runs before the plugin is unloaded.
    fn cleanup(&mut self) {}
}

/// One call into the plugin: a method name, JSON input, a binary tail and the
/// library it is made for, if any.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    method: &'a str,
    json: &'a [u8],
    tail: &'a [u8],
    library: CallLibrary,
}

/// Where [`Call::library`] comes from: given (a native test), or asked of the
/// host when the plugin wants it (so a call that never asks costs nothing).
#[derive(Debug, Clone, Copy)]
enum CallLibrary {
    Given(Option<LibraryId>),
    FromHost,
}

impl<'a> Call<'a> {
    /// Builds a call, e.g. to test a plugin natively.
    pub const fn new(method: &'a str, json: &'a [u8], tail: &'a [u8]) -> Self {
        Self {
            method,
            json,
            tail,
            library: CallLibrary::Given(None),
        }
    }
    /// The same call, made for `library` (what the host passes for
    /// `plugin call --library`), e.g. to test a plugin natively.
    ///
    /// ## Example
    ///
    /// ```
    /// use spacedrive_sdk::{Call, LibraryId};
    /// let id = LibraryId::parse("550e8400-e29b-41d4-a716-446655440000").unwrap();
    /// let call = Call::new("notes", b"", b"").with_library(id);
    /// assert_eq!(call.library(), Some(id));
    /// assert_eq!(Call::new("notes", b"", b"").library(), None);
    /// ```
    pub const fn with_library(self, library: LibraryId) -> Self {
        Self {
            library: CallLibrary::Given(Some(library)),
            ..self
        }
    }
    /// A call the host made: its library is asked of the host on demand.
    pub(crate) const fn from_host(method: &'a str, json: &'a [u8], tail: &'a [u8]) -> Self {
        Self {
            method,
            json,
            tail,
            library: CallLibrary::FromHost,
        }
    }
    /// The library the call is made for (`spacedrive plugin call --library`,
    /// or `library` of `action:plugins.call.v1`), if the caller named one. The
    /// host checked that this plugin may use it.
    pub fn library(&self) -> Option<LibraryId> {
        match self.library {
            CallLibrary::Given(id) => id,
            CallLibrary::FromHost => crate::sys::call_library().map(LibraryId::from_bytes),
        }
    }
    pub const fn method(&self) -> &'a str {
        self.method
    }
    /// The raw JSON input (may be empty, read as `null`).
    pub const fn raw_json(&self) -> &'a [u8] {
        self.json
    }
    /// The binary tail (empty when the caller sent none).
    pub const fn tail(&self) -> &'a [u8] {
        self.tail
    }

    /// Decodes the JSON input; a mismatch is an `invalid_input` error naming the method.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        let json = if self.json.is_empty() {
            b"null".as_slice()
        } else {
            self.json
        };
        serde_json::from_slice(json)
            .map_err(|e| Error::invalid_input(format!("bad input for {}: {e}", self.method)))
    }

    /// Decodes a `job:<name>` call's [`JobStep`]: the host's envelope first, then the
    /// job's input and checkpoint each on its own, so a mismatch names what is wrong in
    /// the input the job was started with, not a position in the envelope.
    ///
    /// ## Example
    ///
    /// ```
    /// use spacedrive_sdk::Call;
    /// use spacedrive_sdk::jobs::JobStep;
    /// #[derive(serde::Deserialize)]
    /// struct Sum { n: u64, chunk: u64 }
    /// let step = br#"{"job_id": "j", "input": {"n": 10}, "checkpoint": null, "step": 0}"#;
    /// let err = Call::new("job:sum", step, b"").job_step::<Sum, u64>().err().unwrap();
    /// assert_eq!(err.message, "bad input for job:sum: missing field `chunk`");
    /// ```
    pub fn job_step<I: DeserializeOwned, C: DeserializeOwned>(&self) -> Result<JobStep<I, C>> {
        let raw: JobStep<serde_json::Value, serde_json::Value> = self.json()?;
        let input = serde_json::from_value(raw.input)
            .map_err(|e| Error::invalid_input(format!("bad input for {}: {e}", self.method)))?;
        let checkpoint = raw
            .checkpoint
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| {
                Error::invalid_input(format!("bad checkpoint for {}: {e}", self.method))
            })?;
        Ok(JobStep {
            job_id: raw.job_id,
            input,
            checkpoint,
            step: raw.step,
        })
    }

    /// Decodes the input, runs `f`, and encodes its output: a typed handler in one line.
    ///
    /// ## Example
    ///
    /// ```
    /// use spacedrive_sdk::Call;
    /// let call = Call::new("double", b"21", b"");
    /// let reply = call.respond(|n: i64| Ok(n * 2)).unwrap();
    /// assert_eq!(reply.json_bytes(), b"42");
    /// ```
    pub fn respond<I, O>(&self, f: impl FnOnce(I) -> Result<O>) -> Result<Reply>
    where
        I: DeserializeOwned,
        O: Serialize,
    {
        Reply::json(&f(self.json()?)?)
    }
}

/// What a handler returns: JSON and an optional binary tail.
///
/// A tail is copied once, straight into the response block the host reads,
/// so replying with a borrowed `call.tail()` costs one copy, not two.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    json: Vec<u8>,
    body: Body,
}

#[derive(Debug, Clone, Default)]
enum Body {
    /// No tail yet: the block is built from `json` when the reply is sent.
    #[default]
    JsonOnly,
    /// The whole response block, tail included.
    Built(Block),
    /// The block could not be allocated: the host is told so when the reply is sent.
    Unallocated,
}

impl Reply {
    /// A reply carrying `value` as JSON.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Self> {
        let json = serde_json::to_vec(value)
            .map_err(|e| Error::internal(format!("cannot encode reply: {e}")))?;
        Ok(Self {
            json,
            body: Body::JsonOnly,
        })
    }
    /// Attaches a binary tail (file contents, images ...), sent raw, never base64.
    pub fn with_tail(mut self, tail: impl AsRef<[u8]>) -> Self {
        self.body = match Block::new(abi::STATUS_OK, &self.json, tail.as_ref()) {
            Some(block) => Body::Built(block),
            None => Body::Unallocated,
        };
        self
    }
    pub fn json_bytes(&self) -> &[u8] {
        &self.json
    }
    pub fn tail(&self) -> &[u8] {
        match &self.body {
            Body::Built(block) => block.tail(),
            Body::JsonOnly | Body::Unallocated => &[],
        }
    }
    /// Hands the response block to the host: its packed location, or 0 when it
    /// could not be allocated.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn leak(self) -> u64 {
        match self.body {
            Body::Built(block) => block.leak(),
            Body::JsonOnly => crate::memory::leak_block(abi::STATUS_OK, &self.json, &[]),
            Body::Unallocated => 0,
        }
    }
}

impl PartialEq for Reply {
    fn eq(&self, other: &Self) -> bool {
        (self.json_bytes(), self.tail()) == (other.json_bytes(), other.tail())
    }
}

impl Eq for Reply {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn bad_input_names_the_method() {
        let err = Call::new("greet", b"{", b"").json::<u32>().unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("greet"), "{}", err.message);
    }

    #[test]
    fn empty_json_reads_as_null() {
        assert_eq!(Call::new("m", b"", b"").json::<Option<u8>>().unwrap(), None);
    }

    #[test]
    fn reply_keeps_its_tail() {
        let r = Reply::json(&"ok").unwrap().with_tail(vec![1, 2]);
        assert_eq!((r.json_bytes(), r.tail()), (&b"\"ok\""[..], &[1u8, 2][..]));
    }

    #[test]
    fn a_tail_lives_in_the_block_and_clones_with_it() {
        let r = Reply::json(&1).unwrap().with_tail(b"abc");
        let c = r.clone();
        drop(r);
        assert_eq!(c.tail(), b"abc");
        assert_eq!(
            c,
            Reply::json(&1).unwrap().with_tail(vec![b'a', b'b', b'c'])
        );
        assert_ne!(c, Reply::json(&1).unwrap());
    }
}

//! Native stand-in for the host, so plugin logic can be unit-tested with
//! `cargo test` (only compiled off wasm32). Inside a real host none of this exists.
//!
//! ## Example
//!
//! ```
//! use spacedrive_sdk::{testing, Client, RawReply};
//! let v: serde_json::Value = testing::with_host(
//!     |call| Ok(RawReply { json: br#"{"host_version":"test"}"#.to_vec(), tail: vec![] }),
//!     || Client::new().call("query:core.version.v1", None, &serde_json::json!({})),
//! ).unwrap();
//! assert_eq!(v["host_version"], "test");
//! ```

use crate::client::RawReply;
use crate::error::{Error, ErrorCode, Result};
use spacedrive_abi as abi;
use std::cell::RefCell;

/// A request as the host would see it.
#[derive(Debug, Clone)]
pub struct HostCall {
    pub method: String,
    pub library: Option<[u8; 16]>,
    pub json: Vec<u8>,
    pub tail: Vec<u8>,
}

type Handler = Box<dyn FnMut(HostCall) -> Result<RawReply>>;

thread_local! {
    static HOST: RefCell<Option<Handler>> = const { RefCell::new(None) };
    static LOGS: RefCell<Vec<(u32, String)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `body` with `handler` answering every host call made on this thread.
pub fn with_host<T>(
    handler: impl FnMut(HostCall) -> Result<RawReply> + 'static,
    body: impl FnOnce() -> T,
) -> T {
    let previous = HOST.with(|h| h.borrow_mut().replace(Box::new(handler)));
    let out = body();
    HOST.with(|h| *h.borrow_mut() = previous);
    out
}

/// Takes the log lines recorded on this thread: `(level, message)`.
pub fn take_logs() -> Vec<(u32, String)> {
    LOGS.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

pub(crate) fn record_log(level: u32, message: &str) {
    LOGS.with(|l| l.borrow_mut().push((level, message.to_owned())));
}

/// Decodes the request like the host does and encodes the answer as a block body.
pub(crate) fn dispatch(method: &str, library: Option<[u8; 16]>, payload: &[u8]) -> Result<Vec<u8>> {
    let msg = abi::decode_message(payload)?;
    let call = HostCall {
        method: method.to_owned(),
        library,
        json: msg.json.to_vec(),
        tail: msg.tail.to_vec(),
    };
    let answer = HOST.with(|h| match h.borrow_mut().as_mut() {
        Some(handler) => handler(call),
        None => Err(Error::new(
            ErrorCode::Unavailable,
            "no host: wrap the code in spacedrive_sdk::testing::with_host",
        )),
    });
    let block = match answer {
        Ok(reply) => abi::encode_block(abi::STATUS_OK, &reply.json, &reply.tail)?,
        Err(e) => abi::encode_block(abi::STATUS_ERROR, &e.to_json(), &[])?,
    };
    Ok(block[abi::BLOCK_HEADER..].to_vec())
}

//! HTTP through the host's proxy (`spacedrive_http`): only hosts the manifest
//! lists in `permissions.http_hosts`, https, public addresses; redirects are
//! checked hop by hop. With `credential`, the host attaches one of the plugin's
//! OAuth2 tokens as `Authorization`, so the token never enters plugin memory.
//!
//! ## Example
//!
//! ```no_run
//! use spacedrive_sdk::{http, ops::HttpRequest};
//!
//! let request = HttpRequest {
//!     url: "https://gmail.googleapis.com/gmail/v1/users/me/messages".into(),
//!     credential: Some("gmail".into()),
//!     ..Default::default()
//! };
//! let (response, body) = http::send(&request, &[])?;
//! assert_eq!(response.status, 200);
//! # let _ = body;
//! # Ok::<(), spacedrive_sdk::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::ops::{HttpRequest, HttpResponse};
use spacedrive_abi as abi;

/// Sends `request` with `body` (raw bytes) and returns the response and its body.
pub fn send(request: &HttpRequest, body: &[u8]) -> Result<(HttpResponse, Vec<u8>)> {
    let json = serde_json::to_vec(request).map_err(|e| Error::invalid_input(e.to_string()))?;
    let message = abi::encode_message(&json, body)?;
    let reply = crate::client::decode_reply(crate::sys::http(&message)?)?;
    let response = serde_json::from_slice(reply.json())
        .map_err(|e| Error::internal(format!("unexpected response from the HTTP proxy: {e}")))?;
    Ok((response, reply.tail().to_vec()))
}

//! The raw host imports of ABI v1. Every `unsafe` call to the host lives here;
//! the rest of the SDK sees safe functions.

use crate::error::{Error, ErrorCode, Result};

#[cfg(target_arch = "wasm32")]
mod imports {
    #[link(wasm_import_module = "spacedrive")]
    unsafe extern "C" {
        pub fn spacedrive_call(
            method_ptr: *const u8,
            method_len: usize,
            library_id_ptr: *const u8,
            payload_ptr: *const u8,
            payload_len: usize,
        ) -> *mut u8;
        pub fn spacedrive_log(level: u32, msg_ptr: *const u8, msg_len: usize);
        pub fn spacedrive_clock(which: u32) -> i64;
        pub fn spacedrive_random(ptr: *mut u8, len: usize) -> i32;
        pub fn spacedrive_http(request_ptr: *const u8, request_len: usize) -> *mut u8;
        pub fn spacedrive_call_library(out_ptr: *mut u8) -> i32;
    }
}

/// A response block's body (status byte + message): in place in the host's
/// block on wasm32, a copy from the native test host otherwise.
#[cfg(target_arch = "wasm32")]
pub(crate) type Body = crate::memory::HostBlock;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Body = Vec<u8>;

/// Sends one request (a framed message) to the host and returns the response
/// block's body, read in place; the block is freed when the body is dropped.
#[cfg(target_arch = "wasm32")]
pub(crate) fn call(method: &str, library: Option<&[u8; 16]>, payload: &[u8]) -> Result<Body> {
    let library_ptr = library.map_or(core::ptr::null(), |id| id.as_ptr());
    // SAFETY: every pointer is to live memory of the stated length for the
    // duration of the call; the host copies what it needs before returning.
    let block = unsafe {
        imports::spacedrive_call(
            method.as_ptr(),
            method.len(),
            library_ptr,
            payload.as_ptr(),
            payload.len(),
        )
    };
    let block = core::ptr::NonNull::new(block).ok_or_else(no_room)?;
    // SAFETY: a non-null result is a response block the host wrote with our
    // own `wasm_alloc`, as ABI v1 specifies.
    Ok(unsafe { Body::take(block) })
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn call(method: &str, library: Option<&[u8; 16]>, payload: &[u8]) -> Result<Body> {
    crate::testing::dispatch(method, library.copied(), payload)
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn log(level: u32, message: &str) {
    // SAFETY: the message is live for the call; the host copies it.
    unsafe { imports::spacedrive_log(level, message.as_ptr(), message.len()) }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn log(level: u32, message: &str) {
    crate::testing::record_log(level, message);
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn no_room() -> Error {
    Error::new(
        ErrorCode::LimitExceeded,
        "the host could not allocate the response in plugin memory",
    )
}

/// Nanoseconds from the host: `which` 0 = wall clock (Unix epoch), 1 = monotonic.
#[cfg(target_arch = "wasm32")]
pub(crate) fn clock(which: u32) -> i64 {
    // SAFETY: no pointers cross.
    unsafe { imports::spacedrive_clock(which) }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn clock(which: u32) -> i64 {
    use std::sync::OnceLock;
    use std::time::{Instant, SystemTime, UNIX_EPOCH};
    static START: OnceLock<Instant> = OnceLock::new();
    let ns = match which {
        0 => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
        _ => START.get_or_init(Instant::now).elapsed().as_nanos(),
    };
    i64::try_from(ns).unwrap_or(i64::MAX)
}

/// Fills `buf` with the host's OS randomness; false if the host refused.
#[cfg(target_arch = "wasm32")]
pub(crate) fn random(buf: &mut [u8]) -> bool {
    // SAFETY: the buffer is live and writable for its whole length.
    unsafe { imports::spacedrive_random(buf.as_mut_ptr(), buf.len()) == 0 }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn random(buf: &mut [u8]) -> bool {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(buf))
        .is_ok()
}

/// Sends one proxied HTTP request (a framed message) and returns the response
/// block's body, like [`call`].
#[cfg(target_arch = "wasm32")]
pub(crate) fn http(request: &[u8]) -> Result<Body> {
    // SAFETY: the request is live for the call; the host copies it.
    let block = unsafe { imports::spacedrive_http(request.as_ptr(), request.len()) };
    let block = core::ptr::NonNull::new(block).ok_or_else(no_room)?;
    // SAFETY: as in `call`.
    Ok(unsafe { Body::take(block) })
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn http(request: &[u8]) -> Result<Body> {
    crate::testing::dispatch("action:http.request.v1", None, request)
}

/// The 16 bytes of the library the call being handled is made for, if any.
#[cfg(target_arch = "wasm32")]
pub(crate) fn call_library() -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    // SAFETY: `out` is 16 writable bytes for the duration of the call.
    (unsafe { imports::spacedrive_call_library(out.as_mut_ptr()) } == 1).then_some(out)
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn call_library() -> Option<[u8; 16]> {
    None
}

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
    }
}

/// Sends one request (a framed message) to the host and returns the response
/// block's body (status byte + message), copied out of the block, which is freed.
#[cfg(target_arch = "wasm32")]
pub(crate) fn call(method: &str, library: Option<&[u8; 16]>, payload: &[u8]) -> Result<Vec<u8>> {
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
    if block.is_null() {
        return Err(no_room());
    }
    // SAFETY: a non-null result is a response block the host wrote with our
    // own `wasm_alloc`, as ABI v1 specifies.
    Ok(unsafe { crate::memory::take_block(block) })
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn call(method: &str, library: Option<&[u8; 16]>, payload: &[u8]) -> Result<Vec<u8>> {
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

//! A C ABI over the codec and the ledger, for the native twin
//! (`spacedrive_abi_native`, built by maturin with cffi). Only with `ffi`.
//!
//! Every function takes raw pointers from Python (cffi); each documents what
//! it requires. Status results: 0 = ok, otherwise a [`FrameError`] or
//! [`LedgerError`] kind number.

use crate::{FrameError, Ledger, LedgerError};
use alloc::boxed::Box;

pub const SD_OK: i32 = 0;
pub const SD_TRUNCATED: i32 = 1;
pub const SD_JSON_OVERRUN: i32 = 2;
pub const SD_BAD_STATUS: i32 = 3;
pub const SD_LENGTH_MISMATCH: i32 = 4;
pub const SD_TOO_LARGE: i32 = 5;
pub const SD_OVERLAP: i32 = 6;
pub const SD_UNKNOWN: i32 = 7;
pub const SD_SIZE_MISMATCH: i32 = 8;
pub const SD_WRAPS: i32 = 9;

fn frame_code(e: FrameError) -> i32 {
    match e {
        FrameError::Truncated { .. } => SD_TRUNCATED,
        FrameError::JsonOverrun { .. } => SD_JSON_OVERRUN,
        FrameError::BadStatus(_) => SD_BAD_STATUS,
        FrameError::LengthMismatch { .. } => SD_LENGTH_MISMATCH,
        FrameError::TooLarge => SD_TOO_LARGE,
    }
}

fn ledger_code(e: LedgerError) -> i32 {
    match e {
        LedgerError::Overlap { .. } => SD_OVERLAP,
        LedgerError::Unknown { .. } => SD_UNKNOWN,
        LedgerError::SizeMismatch { .. } => SD_SIZE_MISMATCH,
        LedgerError::Wraps { .. } => SD_WRAPS,
    }
}

/// # Safety
/// `buf` must be readable for `len` bytes (any pointer when `len` is 0).
unsafe fn bytes<'a>(buf: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        unsafe { core::slice::from_raw_parts(buf, len) }
    }
}

/// Splits a message: writes the JSON's offset and length (the tail is the rest).
///
/// # Safety
/// `buf` readable for `len` bytes; the out pointers writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_decode_message(
    buf: *const u8,
    len: usize,
    json_off: *mut usize,
    json_len: *mut usize,
) -> i32 {
    let data = unsafe { bytes(buf, len) };
    match crate::decode_message(data) {
        Ok(m) => {
            unsafe {
                *json_off = crate::MESSAGE_HEADER;
                *json_len = m.json.len();
            }
            SD_OK
        }
        Err(e) => frame_code(e),
    }
}

/// Decodes a whole response block: status, and the JSON's offset and length.
///
/// # Safety
/// As [`sd_decode_message`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_decode_block(
    buf: *const u8,
    len: usize,
    status: *mut u8,
    json_off: *mut usize,
    json_len: *mut usize,
) -> i32 {
    let data = unsafe { bytes(buf, len) };
    match crate::decode_block(data) {
        Ok((s, m)) => {
            unsafe {
                *status = s;
                *json_off = crate::BLOCK_HEADER + 1 + crate::MESSAGE_HEADER;
                *json_len = m.json.len();
            }
            SD_OK
        }
        Err(e) => frame_code(e),
    }
}

/// The size `sd_write_block` needs.
///
/// # Safety
/// `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_block_len(json_len: usize, tail_len: usize, out: *mut usize) -> i32 {
    match crate::block_len(json_len, tail_len) {
        Ok(n) => {
            unsafe { *out = n };
            SD_OK
        }
        Err(e) => frame_code(e),
    }
}

/// Writes a response block into `out` (exactly `sd_block_len` bytes).
///
/// # Safety
/// `out` writable for `out_len` bytes; `json`, `tail` readable for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_write_block(
    out: *mut u8,
    out_len: usize,
    status: u8,
    json: *const u8,
    json_len: usize,
    tail: *const u8,
    tail_len: usize,
) -> i32 {
    let dest = if out_len == 0 {
        &mut [][..]
    } else {
        unsafe { core::slice::from_raw_parts_mut(out, out_len) }
    };
    let (json, tail) = unsafe { (bytes(json, json_len), bytes(tail, tail_len)) };
    match crate::write_block(dest, status, json, tail) {
        Ok(()) => SD_OK,
        Err(e) => frame_code(e),
    }
}

/// 1 if `[ptr, ptr + len)` lies in `mem_len` bytes, else 0.
#[unsafe(no_mangle)]
pub extern "C" fn sd_range_ok(ptr: u32, len: u32, mem_len: u64) -> i32 {
    let Ok(mem) = usize::try_from(mem_len) else {
        return 0;
    };
    i32::from(crate::checked_range(ptr, len, mem).is_some())
}

#[unsafe(no_mangle)]
pub extern "C" fn sd_pack_location(ptr: u32, total: u32) -> u64 {
    crate::pack_location(ptr, total)
}

#[unsafe(no_mangle)]
pub extern "C" fn sd_ledger_new() -> *mut Ledger {
    Box::into_raw(Box::new(Ledger::new()))
}

/// # Safety
/// `ledger` from [`sd_ledger_new`], not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_ledger_free(ledger: *mut Ledger) {
    if !ledger.is_null() {
        drop(unsafe { Box::from_raw(ledger) });
    }
}

/// # Safety
/// `ledger` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_ledger_insert(ledger: *mut Ledger, ptr: u32, size: u32) -> i32 {
    match unsafe { &mut *ledger }.insert(ptr, size) {
        Ok(()) => SD_OK,
        Err(e) => ledger_code(e),
    }
}

/// # Safety
/// `ledger` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_ledger_remove(ledger: *mut Ledger, ptr: u32, size: u32) -> i32 {
    match unsafe { &mut *ledger }.remove(ptr, size) {
        Ok(()) => SD_OK,
        Err(e) => ledger_code(e),
    }
}

/// # Safety
/// `ledger` live; the out pointers writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sd_ledger_stats(
    ledger: *const Ledger,
    blocks: *mut u64,
    live_bytes: *mut u64,
) {
    let l = unsafe { &*ledger };
    unsafe {
        *blocks = l.live_blocks() as u64;
        *live_bytes = l.live_bytes();
    }
}

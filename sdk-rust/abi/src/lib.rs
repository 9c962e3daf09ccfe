//! ABI v1 framing, shared by the guest SDK and (as a native twin) the host tests.
//!
//! All integers are little-endian. A **message** is `json_len: u32`, the JSON
//! bytes, then the **binary tail** (every remaining byte). A **response block**
//! is `len: u32` followed by `len` bytes: `status: u8` and a message.
//! `plugin_handle` returns the block's location packed as `(ptr << 32) | total`
//! where `total = 4 + len`.
//!
//! Everything here is pure and bounds-checked; nothing allocates except the
//! `encode_*` helpers.
//!
//! With the `ffi` feature the crate also exposes a C ABI (see [`ffi`]), which
//! `maturin` builds into the Python module `spacedrive_abi_native`: the host's
//! tests check on the same inputs that the host's Python codec, this crate
//! natively and this crate compiled to wasm agree. The feature stays off in
//! guests, so none of those symbols end up in a plugin.
#![cfg_attr(not(feature = "ffi"), forbid(unsafe_code))]

extern crate alloc;

use alloc::vec::Vec;
use core::fmt;

#[cfg(feature = "ffi")]
pub mod ffi;
mod ledger;

pub use ledger::{Ledger, LedgerError};

/// The ABI version this crate implements; guests export it as `spacedrive_abi_version`.
pub const ABI_VERSION: u32 = 1;
/// Response status: the message is the result.
pub const STATUS_OK: u8 = 0;
/// Response status: the message is `{"code": ..., "message": ...}`.
pub const STATUS_ERROR: u8 = 1;
/// Bytes before a message's JSON (`json_len`).
pub const MESSAGE_HEADER: usize = 4;
/// Bytes before a response block's body (`len`).
pub const BLOCK_HEADER: usize = 4;
/// Longest method name, in bytes of UTF-8.
pub const MAX_METHOD_LEN: usize = 256;

/// Why a buffer is not a well-formed frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// Fewer bytes than the header needs.
    Truncated { needed: usize, got: usize },
    /// The declared JSON length runs past the end of the message.
    JsonOverrun { json_len: usize, available: usize },
    /// The status byte is neither 0 nor 1.
    BadStatus(u8),
    /// A block's declared length disagrees with its packed or available size.
    LengthMismatch { declared: usize, actual: usize },
    /// The frame would not fit in a u32 length.
    TooLarge,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Truncated { needed, got } => {
                write!(f, "frame truncated: need {needed} bytes, got {got}")
            }
            Self::JsonOverrun {
                json_len,
                available,
            } => {
                write!(
                    f,
                    "json_len {json_len} exceeds the {available} bytes after the header"
                )
            }
            Self::BadStatus(s) => write!(f, "unknown response status {s}"),
            Self::LengthMismatch { declared, actual } => {
                write!(f, "block declares {declared} bytes but {actual} are given")
            }
            Self::TooLarge => f.write_str("frame larger than 4 GiB"),
        }
    }
}

/// A decoded message: borrowed JSON and binary tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    pub json: &'a [u8],
    pub tail: &'a [u8],
}

fn read_u32(buf: &[u8]) -> Result<u32, FrameError> {
    match buf.get(..4) {
        Some(b) => Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        None => Err(FrameError::Truncated {
            needed: 4,
            got: buf.len(),
        }),
    }
}

/// Total size of a message holding `json_len` bytes of JSON and a `tail_len` tail.
pub fn message_len(json_len: usize, tail_len: usize) -> Result<usize, FrameError> {
    let total = MESSAGE_HEADER
        .checked_add(json_len)
        .and_then(|n| n.checked_add(tail_len))
        .ok_or(FrameError::TooLarge)?;
    if json_len > u32::MAX as usize || total > u32::MAX as usize {
        return Err(FrameError::TooLarge);
    }
    Ok(total)
}

/// Total size of a response block (header included) for a message of this shape.
pub fn block_len(json_len: usize, tail_len: usize) -> Result<usize, FrameError> {
    let total = message_len(json_len, tail_len)?
        .checked_add(BLOCK_HEADER + 1)
        .ok_or(FrameError::TooLarge)?;
    if total > u32::MAX as usize {
        return Err(FrameError::TooLarge);
    }
    Ok(total)
}

/// Writes a message into `out`, which must be exactly `message_len(json, tail)` long.
pub fn write_message(out: &mut [u8], json: &[u8], tail: &[u8]) -> Result<(), FrameError> {
    let total = message_len(json.len(), tail.len())?;
    if out.len() != total {
        return Err(FrameError::LengthMismatch {
            declared: total,
            actual: out.len(),
        });
    }
    let (head, rest) = out.split_at_mut(MESSAGE_HEADER);
    head.copy_from_slice(&(json.len() as u32).to_le_bytes());
    let (j, t) = rest.split_at_mut(json.len());
    j.copy_from_slice(json);
    t.copy_from_slice(tail);
    Ok(())
}

/// Writes a whole response block into `out`, exactly `block_len(json, tail)` long.
pub fn write_block(out: &mut [u8], status: u8, json: &[u8], tail: &[u8]) -> Result<(), FrameError> {
    if status != STATUS_OK && status != STATUS_ERROR {
        return Err(FrameError::BadStatus(status));
    }
    let total = block_len(json.len(), tail.len())?;
    if out.len() != total {
        return Err(FrameError::LengthMismatch {
            declared: total,
            actual: out.len(),
        });
    }
    out[..BLOCK_HEADER].copy_from_slice(&((total - BLOCK_HEADER) as u32).to_le_bytes());
    out[BLOCK_HEADER] = status;
    write_message(&mut out[BLOCK_HEADER + 1..], json, tail)
}

/// Encodes a message into a new vector.
pub fn encode_message(json: &[u8], tail: &[u8]) -> Result<Vec<u8>, FrameError> {
    let mut out = alloc::vec![0; message_len(json.len(), tail.len())?];
    write_message(&mut out, json, tail)?;
    Ok(out)
}

/// Encodes a response block (header included) into a new vector.
pub fn encode_block(status: u8, json: &[u8], tail: &[u8]) -> Result<Vec<u8>, FrameError> {
    let mut out = alloc::vec![0; block_len(json.len(), tail.len())?];
    write_block(&mut out, status, json, tail)?;
    Ok(out)
}

/// Splits a message into JSON and tail.
pub fn decode_message(buf: &[u8]) -> Result<Message<'_>, FrameError> {
    let json_len = read_u32(buf)? as usize;
    let rest = &buf[MESSAGE_HEADER..];
    if json_len > rest.len() {
        return Err(FrameError::JsonOverrun {
            json_len,
            available: rest.len(),
        });
    }
    let (json, tail) = rest.split_at(json_len);
    Ok(Message { json, tail })
}

/// Reads a block's `len` header: the number of body bytes that follow it.
pub fn block_body_len(header: &[u8]) -> Result<usize, FrameError> {
    Ok(read_u32(header)? as usize)
}

/// Decodes a block body (the `len` bytes after the header) into status and message.
pub fn decode_body(body: &[u8]) -> Result<(u8, Message<'_>), FrameError> {
    let (&status, rest) = body
        .split_first()
        .ok_or(FrameError::Truncated { needed: 1, got: 0 })?;
    if status != STATUS_OK && status != STATUS_ERROR {
        return Err(FrameError::BadStatus(status));
    }
    Ok((status, decode_message(rest)?))
}

/// Decodes a whole block (header included); its header must match its length.
pub fn decode_block(block: &[u8]) -> Result<(u8, Message<'_>), FrameError> {
    let declared = block_body_len(block)?;
    let actual = block.len() - BLOCK_HEADER;
    if declared != actual {
        return Err(FrameError::LengthMismatch { declared, actual });
    }
    decode_body(&block[BLOCK_HEADER..])
}

/// Packs a block location as `plugin_handle` returns it.
pub const fn pack_location(ptr: u32, total: u32) -> u64 {
    ((ptr as u64) << 32) | total as u64
}

/// The inverse of [`pack_location`]: `(ptr, total)`.
pub const fn unpack_location(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

/// Checks that `[ptr, ptr + len)` lies inside a memory of `mem_len` bytes,
/// computing the end without overflow. Returns the range as `usize`s.
pub fn checked_range(ptr: u32, len: u32, mem_len: usize) -> Option<core::ops::Range<usize>> {
    let start = ptr as usize;
    let end = start.checked_add(len as usize)?;
    (end <= mem_len).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_round_trip_keeps_json_and_tail_apart() {
        let encoded = encode_message(b"{\"a\":1}", &[0, 1, 2, 255]).unwrap();
        assert_eq!(&encoded[..4], &7u32.to_le_bytes());
        let msg = decode_message(&encoded).unwrap();
        assert_eq!(msg.json, b"{\"a\":1}");
        assert_eq!(msg.tail, &[0, 1, 2, 255]);
    }

    #[test]
    fn empty_tail_and_empty_json_are_valid() {
        let encoded = encode_message(b"", b"").unwrap();
        assert_eq!(encoded, [0, 0, 0, 0]);
        assert_eq!(
            decode_message(&encoded).unwrap(),
            Message {
                json: b"",
                tail: b""
            }
        );
    }

    #[test]
    fn json_len_past_the_end_is_rejected() {
        let mut encoded = encode_message(b"{}", b"").unwrap();
        encoded[0] = 3;
        assert_eq!(
            decode_message(&encoded),
            Err(FrameError::JsonOverrun {
                json_len: 3,
                available: 2
            })
        );
        assert_eq!(
            decode_message(&[1, 0]),
            Err(FrameError::Truncated { needed: 4, got: 2 })
        );
    }

    #[test]
    fn block_round_trip_and_header() {
        let block = encode_block(STATUS_ERROR, b"{}", b"xy").unwrap();
        assert_eq!(block.len(), block_len(2, 2).unwrap());
        assert_eq!(block_body_len(&block).unwrap(), block.len() - 4);
        let (status, msg) = decode_block(&block).unwrap();
        assert_eq!(status, STATUS_ERROR);
        assert_eq!((msg.json, msg.tail), (&b"{}"[..], &b"xy"[..]));
    }

    #[test]
    fn block_that_lies_about_its_length_is_rejected() {
        let mut block = encode_block(STATUS_OK, b"{}", b"").unwrap();
        block[0] += 1;
        assert!(matches!(
            decode_block(&block),
            Err(FrameError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn unknown_status_is_rejected() {
        let mut block = encode_block(STATUS_OK, b"{}", b"").unwrap();
        block[4] = 7;
        assert_eq!(decode_block(&block), Err(FrameError::BadStatus(7)));
    }

    #[test]
    fn encoding_an_unknown_status_is_refused() {
        assert_eq!(encode_block(2, b"", b""), Err(FrameError::BadStatus(2)));
    }

    #[test]
    fn packed_location_round_trips() {
        for (p, t) in [(0, 0), (1, 9), (u32::MAX, u32::MAX), (0x1000, 42)] {
            assert_eq!(unpack_location(pack_location(p, t)), (p, t));
        }
    }

    #[test]
    fn checked_range_handles_u32_wrap() {
        assert_eq!(checked_range(0, 10, 10), Some(0..10));
        assert_eq!(checked_range(1, 10, 10), None);
        assert_eq!(
            checked_range(u32::MAX, 2, usize::MAX),
            Some(u32::MAX as usize..u32::MAX as usize + 2)
        );
        assert_eq!(checked_range(u32::MAX, u32::MAX, 65536), None);
        assert_eq!(checked_range(10, 0, 10), Some(10..10));
    }
}

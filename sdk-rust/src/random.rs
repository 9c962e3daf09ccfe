//! Randomness from the host's operating system (`spacedrive_random`).
//!
//! ## Example
//!
//! ```
//! let mut key = [0u8; 32];
//! spacedrive_sdk::random::fill(&mut key).unwrap();
//! let roll = spacedrive_sdk::random::u64().unwrap() % 6;
//! assert!(roll < 6);
//! ```

use crate::error::{Error, ErrorCode, Result};

/// The most bytes one host call fills; `fill` asks repeatedly for more.
const CHUNK: usize = 1 << 16;

/// Fills `buf` with random bytes.
pub fn fill(buf: &mut [u8]) -> Result<()> {
    for chunk in buf.chunks_mut(CHUNK) {
        if !crate::sys::random(chunk) {
            return Err(Error::new(
                ErrorCode::Unavailable,
                "the host refused to provide randomness",
            ));
        }
    }
    Ok(())
}

/// A random `u64`.
pub fn u64() -> Result<u64> {
    let mut bytes = [0u8; 8];
    fill(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fills_large_buffers_in_chunks() {
        let mut buf = vec![0u8; super::CHUNK * 2 + 3];
        super::fill(&mut buf).unwrap();
        assert!(buf.iter().any(|&b| b != 0));
    }
}

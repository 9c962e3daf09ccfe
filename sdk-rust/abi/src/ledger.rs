//! Bookkeeping of the blocks that cross the ABI: every block handed out by
//! `wasm_alloc` or placed for the host, until it is freed.
//!
//! The guest SDK records each such block here, so `wasm_free` with a pointer or
//! size that matches no live block is refused instead of corrupting the
//! allocator, and so the accounting (live blocks, live bytes) can be checked.

use alloc::collections::BTreeMap;
use core::fmt;

/// Why a ledger operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerError {
    /// The new block overlaps a live one (or is already recorded).
    Overlap {
        ptr: u32,
        size: u32,
        live_ptr: u32,
        live_size: u32,
    },
    /// No live block starts at this pointer.
    Unknown { ptr: u32 },
    /// A live block starts here, but with another size.
    SizeMismatch { ptr: u32, size: u32, live_size: u32 },
    /// `ptr + size` does not fit in the 32-bit address space.
    Wraps { ptr: u32, size: u32 },
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Overlap {
                ptr,
                size,
                live_ptr,
                live_size,
            } => write!(
                f,
                "block [{ptr:#x}, +{size}) overlaps live block [{live_ptr:#x}, +{live_size})"
            ),
            Self::Unknown { ptr } => write!(f, "no live block at {ptr:#x}"),
            Self::SizeMismatch {
                ptr,
                size,
                live_size,
            } => {
                write!(f, "block at {ptr:#x} has size {live_size}, not {size}")
            }
            Self::Wraps { ptr, size } => {
                write!(f, "block [{ptr:#x}, +{size}) wraps the address space")
            }
        }
    }
}

/// Live blocks by start address. Zero-sized blocks occupy one byte, as the
/// allocator gives them one.
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    live: BTreeMap<u32, u32>,
    bytes: u64,
}

fn span(size: u32) -> u64 {
    u64::from(size.max(1))
}

impl Ledger {
    pub const fn new() -> Self {
        Self {
            live: BTreeMap::new(),
            bytes: 0,
        }
    }

    /// Records a new live block.
    pub fn insert(&mut self, ptr: u32, size: u32) -> Result<(), LedgerError> {
        let end = u64::from(ptr) + span(size);
        if end > 1 << 32 {
            return Err(LedgerError::Wraps { ptr, size });
        }
        // Only the nearest block at or below `ptr`, and the first above it, can overlap.
        let below = self.live.range(..=ptr).next_back();
        let above = self.live.range(ptr..).next();
        for (&p, &s) in below.into_iter().chain(above) {
            let (start, stop) = (u64::from(p), u64::from(p) + span(s));
            if u64::from(ptr) < stop && start < end {
                return Err(LedgerError::Overlap {
                    ptr,
                    size,
                    live_ptr: p,
                    live_size: s,
                });
            }
        }
        self.live.insert(ptr, size);
        self.bytes += u64::from(size);
        Ok(())
    }

    /// Forgets a live block; the pointer and size must match how it was recorded.
    pub fn remove(&mut self, ptr: u32, size: u32) -> Result<(), LedgerError> {
        match self.live.get(&ptr) {
            None => Err(LedgerError::Unknown { ptr }),
            Some(&live_size) if live_size != size => Err(LedgerError::SizeMismatch {
                ptr,
                size,
                live_size,
            }),
            Some(_) => {
                self.live.remove(&ptr);
                self.bytes -= u64::from(size);
                Ok(())
            }
        }
    }

    pub fn live_blocks(&self) -> usize {
        self.live.len()
    }

    pub fn live_bytes(&self) -> u64 {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_remove_balance() {
        let mut l = Ledger::new();
        l.insert(16, 8).unwrap();
        l.insert(24, 0).unwrap();
        l.insert(32, 100).unwrap();
        assert_eq!((l.live_blocks(), l.live_bytes()), (3, 108));
        l.remove(24, 0).unwrap();
        l.remove(16, 8).unwrap();
        assert_eq!((l.live_blocks(), l.live_bytes()), (1, 100));
    }

    #[test]
    fn overlaps_are_refused() {
        let mut l = Ledger::new();
        l.insert(100, 10).unwrap();
        assert!(matches!(l.insert(105, 1), Err(LedgerError::Overlap { .. })));
        assert!(matches!(l.insert(90, 11), Err(LedgerError::Overlap { .. })));
        assert!(matches!(l.insert(100, 0), Err(LedgerError::Overlap { .. })));
        l.insert(90, 10).unwrap();
        l.insert(110, 0).unwrap();
    }

    #[test]
    fn bad_frees_are_refused() {
        let mut l = Ledger::new();
        l.insert(64, 32).unwrap();
        assert_eq!(l.remove(65, 32), Err(LedgerError::Unknown { ptr: 65 }));
        assert_eq!(
            l.remove(64, 31),
            Err(LedgerError::SizeMismatch {
                ptr: 64,
                size: 31,
                live_size: 32
            })
        );
        assert_eq!(l.remove(64, 32), Ok(()));
        assert_eq!(l.remove(64, 32), Err(LedgerError::Unknown { ptr: 64 }));
    }

    #[test]
    fn wrapping_blocks_are_refused() {
        let mut l = Ledger::new();
        assert_eq!(
            l.insert(u32::MAX, 2),
            Err(LedgerError::Wraps {
                ptr: u32::MAX,
                size: 2
            })
        );
        l.insert(u32::MAX, 1).unwrap();
    }
}

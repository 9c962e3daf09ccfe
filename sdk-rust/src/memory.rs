//! The guest side of ABI v1 memory: `wasm_alloc`/`wasm_free` and response blocks.
//!
//! Every block that crosses the ABI is recorded in a [`Ledger`] until it is
//! freed, so a `wasm_free` that matches no live block is refused instead of
//! corrupting the allocator, and the accounting can be checked
//! ([`crate::diagnostics::abi_blocks`]).

use core::ptr::NonNull;
use spacedrive_abi::{self as abi, Ledger};
use std::alloc::{Layout, alloc as raw_alloc, dealloc};
use std::sync::{Mutex, MutexGuard};

static LEDGER: Mutex<Ledger> = Mutex::new(Ledger::new());

fn ledger() -> MutexGuard<'static, Ledger> {
    LEDGER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The ledger key of a block: its wasm32 address (off wasm32, addresses above
/// 4 GiB are not tracked).
fn key(ptr: *mut u8, size: usize) -> Option<(u32, u32)> {
    Some((u32::try_from(ptr as usize).ok()?, u32::try_from(size).ok()?))
}

/// `(live blocks, live bytes)` crossing the ABI right now.
pub(crate) fn abi_blocks() -> (usize, u64) {
    let l = ledger();
    (l.live_blocks(), l.live_bytes())
}

/// `wasm_alloc`: a block for the host, recorded as live.
pub(crate) fn alloc_for_host(size: usize) -> *mut u8 {
    let ptr = alloc(size);
    if let (false, Some((p, s))) = (ptr.is_null(), key(ptr, size))
        && ledger().insert(p, s).is_err()
    {
        // The allocator handed out a live block again: refuse rather than alias.
        return core::ptr::null_mut();
    }
    ptr
}

/// `wasm_free`: frees a block only if it is a live one of exactly this size.
///
/// # Safety
/// A block that matches a live ledger entry came from [`alloc`] with this size.
pub(crate) unsafe fn free_from_host(ptr: *mut u8, size: usize) {
    let Some((p, s)) = key(ptr, size) else { return };
    match ledger().remove(p, s) {
        // SAFETY: the ledger vouches for the pointer and size.
        Ok(()) => unsafe { free(ptr, size) },
        Err(e) => crate::log::warn(format!("wasm_free refused: {e}")),
    }
}

/// Alignment of every block handed to the host (enough for any header field).
const ALIGN: usize = 8;

fn layout(size: usize) -> Option<Layout> {
    // Zero-sized requests get one byte, so every live block has a unique address.
    Layout::from_size_align(size.max(1), ALIGN).ok()
}

/// Allocates `size` bytes; null when the allocator (or memory growth) fails.
pub(crate) fn alloc(size: usize) -> *mut u8 {
    match layout(size) {
        // SAFETY: the layout has a non-zero size.
        Some(l) => unsafe { raw_alloc(l) },
        None => core::ptr::null_mut(),
    }
}

/// Frees a block from [`alloc`].
///
/// # Safety
/// `ptr` and `size` must come from one earlier `alloc(size)` not yet freed.
pub(crate) unsafe fn free(ptr: *mut u8, size: usize) {
    if let (false, Some(l)) = (ptr.is_null(), layout(size)) {
        // SAFETY: the caller's contract matches this layout.
        unsafe { dealloc(ptr, l) }
    }
}

/// Borrows `len` bytes at `ptr`; an empty slice for `len == 0`, whatever `ptr`.
///
/// # Safety
/// For `len > 0`, `[ptr, ptr + len)` must be readable and outlive `'a`.
pub(crate) unsafe fn slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        // SAFETY: the caller's contract.
        unsafe { core::slice::from_raw_parts(ptr, len) }
    }
}

/// A response block the host wrote into our memory, read in place (its body:
/// status byte + message) and freed through the ledger when dropped.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) struct HostBlock {
    block: NonNull<u8>,
    body_len: usize,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl HostBlock {
    /// # Safety
    /// `block` must be a response block the host wrote into memory from
    /// [`alloc_for_host`] of `4 + len` bytes, `len` being its header.
    pub(crate) unsafe fn take(block: NonNull<u8>) -> Self {
        // SAFETY: the block starts with its 4-byte header.
        let header = unsafe { slice(block.as_ptr(), abi::BLOCK_HEADER) };
        let body_len = abi::block_body_len(header).unwrap_or(0);
        Self { block, body_len }
    }
}

impl AsRef<[u8]> for HostBlock {
    fn as_ref(&self) -> &[u8] {
        // SAFETY: the header counts the body bytes that follow it, live until drop.
        unsafe { slice(self.block.as_ptr().add(abi::BLOCK_HEADER), self.body_len) }
    }
}

impl Drop for HostBlock {
    fn drop(&mut self) {
        // SAFETY: freed only if the ledger knows it as a live block of this size.
        unsafe { free_from_host(self.block.as_ptr(), abi::BLOCK_HEADER + self.body_len) }
    }
}

/// A response block in an allocation of its own (the size `wasm_free` will be
/// given), built once: a reply's tail is copied straight into it. Freed on drop
/// unless handed to the host with [`Block::leak`].
pub(crate) struct Block {
    ptr: NonNull<u8>,
    len: usize,
    json_len: usize,
}

// SAFETY: a Block owns its allocation exclusively, as a Box<[u8]> would.
unsafe impl Send for Block {}
// SAFETY: shared access only reads.
unsafe impl Sync for Block {}

impl Block {
    /// `None` when the block is larger than ABI v1 allows or cannot be allocated.
    pub(crate) fn new(status: u8, json: &[u8], tail: &[u8]) -> Option<Self> {
        let len = abi::block_len(json.len(), tail.len()).ok()?;
        let block = Self {
            ptr: NonNull::new(alloc(len))?,
            len,
            json_len: json.len(),
        };
        // SAFETY: a fresh, exclusive allocation of `len` bytes.
        let out = unsafe { core::slice::from_raw_parts_mut(block.ptr.as_ptr(), len) };
        abi::write_block(out, status, json, tail).ok()?;
        Some(block)
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `len` initialised bytes, owned by `self`.
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    pub(crate) fn tail(&self) -> &[u8] {
        &self.bytes()[abi::BLOCK_HEADER + 1 + abi::MESSAGE_HEADER + self.json_len..]
    }

    /// Hands the block to the host: its packed location `(ptr << 32) | len`, or
    /// 0 when it cannot be recorded (then it is freed here).
    pub(crate) fn leak(self) -> u64 {
        let Some((p, t)) = key(self.ptr.as_ptr(), self.len) else {
            return 0;
        };
        if ledger().insert(p, t).is_err() {
            return 0;
        }
        core::mem::forget(self); // now the host's, until `wasm_free`
        abi::pack_location(p, t)
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        // SAFETY: allocated by `alloc(self.len)` in `new`, not yet freed.
        unsafe { free(self.ptr.as_ptr(), self.len) }
    }
}

impl Clone for Block {
    fn clone(&self) -> Self {
        let copy = Self {
            ptr: NonNull::new(alloc(self.len)).unwrap_or_else(|| {
                std::alloc::handle_alloc_error(layout(self.len).unwrap_or(Layout::new::<u8>()))
            }),
            len: self.len,
            json_len: self.json_len,
        };
        // SAFETY: both allocations are `len` bytes and distinct.
        unsafe { core::ptr::copy_nonoverlapping(self.ptr.as_ptr(), copy.ptr.as_ptr(), self.len) };
        copy
    }
}

impl core::fmt::Debug for Block {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Block")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// Writes a response block into a fresh allocation and returns its packed
/// location `(ptr << 32) | total`, or 0 when it cannot be allocated.
pub(crate) fn leak_block(status: u8, json: &[u8], tail: &[u8]) -> u64 {
    Block::new(status, json, tail).map_or(0, Block::leak)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_sized_allocations_are_distinct_and_freeable() {
        let a = alloc(0);
        let b = alloc(0);
        assert!(!a.is_null() && !b.is_null());
        assert_ne!(a, b);
        unsafe {
            free(a, 0);
            free(b, 0);
        }
    }

    #[test]
    fn blocks_are_aligned() {
        for size in [1, 3, 17, 4096] {
            let p = alloc(size);
            assert_eq!(p as usize % ALIGN, 0);
            unsafe { free(p, size) };
        }
    }
}

//! Facts about the plugin's side of the ABI, for tests and debugging.

/// `(blocks, bytes)` that cross the ABI and are live now: blocks handed to the
/// host by `wasm_alloc` or as responses, not yet freed.
///
/// ## Example
///
/// ```
/// let (blocks, bytes) = spacedrive_sdk::diagnostics::abi_blocks();
/// assert!(bytes >= blocks as u64 * 0);
/// ```
pub fn abi_blocks() -> (usize, u64) {
    crate::memory::abi_blocks()
}

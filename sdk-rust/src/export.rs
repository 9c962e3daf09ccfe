//! The glue behind [`export_plugin!`](crate::export_plugin). Not for authors.

use crate::error::{Error, Result};
use crate::memory;
use crate::plugin::{Call, Plugin, Reply};
use spacedrive_abi as abi;
use std::sync::{Mutex, MutexGuard, TryLockError};

pub fn alloc(size: usize) -> usize {
    memory::alloc_for_host(size) as usize
}

/// # Safety
/// None beyond the ABI: a pointer or size that matches no live block is refused.
pub unsafe fn free(ptr: usize, size: usize) {
    // SAFETY: the ledger checks the block before it reaches the allocator.
    unsafe { memory::free_from_host(ptr as *mut u8, size) }
}

/// Holds the plugin's state between calls.
pub struct Slot<P> {
    state: Mutex<Option<P>>,
}

impl<P: Plugin> Default for Slot<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Plugin> Slot<P> {
    pub const fn new() -> Self {
        Self {
            state: Mutex::new(None),
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Option<P>>> {
        match self.state.try_lock() {
            Ok(guard) => Ok(guard),
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(TryLockError::WouldBlock) => Err(Error::unavailable(
                "re-entrant call: the plugin is already handling a call",
            )),
        }
    }

    /// `plugin_init`: 0 on success; on failure the reason is logged at error level.
    pub fn init(&self) -> i32 {
        std::panic::set_hook(Box::new(|info| {
            crate::log::error(format!("plugin panicked: {info}"))
        }));
        let result = P::init().and_then(|p| {
            *self.lock()? = Some(p);
            Ok(())
        });
        match result {
            Ok(()) => 0,
            Err(e) => {
                crate::log::error(format!("plugin_init failed: {e}"));
                1
            }
        }
    }

    /// `plugin_cleanup`.
    pub fn cleanup(&self) {
        if let Ok(mut guard) = self.lock()
            && let Some(mut plugin) = guard.take()
        {
            plugin.cleanup();
        }
    }

    /// `plugin_handle`: answers with the packed location of a response block.
    ///
    /// # Safety
    /// `[method_ptr, +method_len)` and `[payload_ptr, +payload_len)` must be
    /// readable for the duration of the call (the host guarantees it).
    pub unsafe fn handle(
        &self,
        method_ptr: usize,
        method_len: usize,
        payload_ptr: usize,
        payload_len: usize,
    ) -> u64 {
        // SAFETY: forwarded contract.
        let (method, payload) = unsafe {
            (
                memory::slice(method_ptr as *const u8, method_len),
                memory::slice(payload_ptr as *const u8, payload_len),
            )
        };
        match self.dispatch(method, payload) {
            Ok(reply) => reply.leak(),
            Err(e) => memory::leak_block(abi::STATUS_ERROR, &e.to_json(), &[]),
        }
    }

    fn dispatch(&self, method: &[u8], payload: &[u8]) -> Result<Reply> {
        let method = core::str::from_utf8(method)
            .map_err(|_| Error::invalid_input("method name is not UTF-8"))?;
        let msg = abi::decode_message(payload)?;
        let mut guard = self.lock()?;
        let plugin = guard
            .as_mut()
            .ok_or_else(|| Error::unavailable("plugin_init has not succeeded"))?;
        plugin.handle(Call::from_host(method, msg.json, msg.tail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    struct Counter(u32);
    impl Plugin for Counter {
        fn init() -> Result<Self> {
            Ok(Counter(0))
        }
        fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
            self.0 += 1;
            Reply::json(&(call.method(), self.0)).map(|r| r.with_tail(call.tail()))
        }
    }

    #[test]
    fn dispatch_before_init_is_unavailable() {
        let slot = Slot::<Counter>::new();
        let err = slot
            .dispatch(b"m", &abi::encode_message(b"null", b"").unwrap())
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Unavailable);
    }

    #[test]
    fn dispatch_keeps_state_and_tail() {
        let slot = Slot::<Counter>::new();
        assert_eq!(slot.init(), 0);
        let msg = abi::encode_message(b"{}", b"\x01\x02").unwrap();
        slot.dispatch(b"a", &msg).unwrap();
        let reply = slot.dispatch(b"b", &msg).unwrap();
        assert_eq!(reply.json_bytes(), br#"["b",2]"#);
        assert_eq!(reply.tail(), b"\x01\x02");
    }

    #[test]
    fn bad_frames_and_methods_are_invalid_input() {
        let slot = Slot::<Counter>::new();
        slot.init();
        assert_eq!(
            slot.dispatch(b"\xff", &[0, 0, 0, 0]).unwrap_err().code,
            ErrorCode::InvalidInput
        );
        assert_eq!(
            slot.dispatch(b"m", &[9, 0, 0, 0]).unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }
}

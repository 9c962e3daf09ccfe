//! # spacedrive-sdk
//!
//! Write a Spacedrive plugin as ordinary Rust. Implement [`Plugin`], then call
//! [`export_plugin!`]; the SDK writes every export ABI v1 requires
//! (`wasm_alloc`, `plugin_handle`, ...). Call host operations with [`Client`].
//!
//! ## Example
//!
//! ```
//! use spacedrive_sdk::{export_plugin, methods, Call, Plugin, Reply, Result};
//!
//! #[derive(serde::Deserialize)]
//! struct Greet { name: String }
//!
//! struct Hello;
//!
//! impl Hello {
//!     fn greet(&mut self, g: Greet) -> Result<String> { Ok(format!("hello, {}", g.name)) }
//! }
//!
//! impl Plugin for Hello {
//!     fn init() -> Result<Self> { Ok(Hello) }
//!     fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
//!         methods!(self, call, { "greet" => greet })
//!     }
//! }
//!
//! export_plugin!(Hello);
//! ```
//!
//! Build with `nox -s build` (or `cargo build --release --target
//! wasm32-unknown-unknown`); a `manifest.json` beside `Cargo.toml` describes
//! the plugin to the host.

mod client;
pub mod diagnostics;
mod error;
#[doc(hidden)]
pub mod export;
pub mod http;
pub mod jobs;
pub mod log;
mod memory;
#[rustfmt::skip] // generated: `nox -s codegen`
pub mod ops;
mod plugin;
pub mod random;
mod sys;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod time;

pub use client::{Client, HostReply, LibraryId, RawReply};
pub use error::{Error, ErrorCode, Result};
pub use plugin::{Call, Plugin, Reply};
pub use spacedrive_abi::ABI_VERSION;

/// Writes [`Plugin::handle`]'s dispatch: each method name the manifest lists
/// under `provides` to a method of the plugin that takes the decoded input and
/// returns its output (both serde types); any other name answers
/// [`Error::unknown_method`]. Methods that need the tail or the raw call keep a
/// `match` arm of their own.
///
/// ## Example
///
/// ```
/// use spacedrive_sdk::{methods, Call, Plugin, Reply, Result};
///
/// #[derive(serde::Deserialize)]
/// struct Greet { name: String }
///
/// struct Hello;
///
/// impl Hello {
///     fn greet(&mut self, g: Greet) -> Result<String> { Ok(format!("hello, {}", g.name)) }
///     fn double(&mut self, n: i64) -> Result<i64> { Ok(n * 2) }
/// }
///
/// impl Plugin for Hello {
///     fn init() -> Result<Self> { Ok(Hello) }
///     fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
///         methods!(self, call, { "greet" => greet, "double" => double })
///     }
/// }
///
/// let reply = Hello.handle(Call::new("double", b"21", b"")).unwrap();
/// assert_eq!(reply.json_bytes(), b"42");
/// let err = Hello.handle(Call::new("nope", b"", b"")).unwrap_err();
/// assert_eq!(err.code, spacedrive_sdk::ErrorCode::NotFound);
/// ```
#[macro_export]
macro_rules! methods {
    ($plugin:ident, $call:ident, { $($name:literal => $method:ident),* $(,)? }) => {
        match $call.method() {
            $($name => $call.respond(|input| $plugin.$method(input)),)*
            other => Err($crate::Error::unknown_method(other)),
        }
    };
}

/// Writes the ABI v1 exports for a [`Plugin`] type. Use it once per plugin crate.
///
/// It defines `spacedrive_abi_version`, `wasm_alloc`, `wasm_free`,
/// `plugin_init`, `plugin_cleanup` and `plugin_handle`. A panic inside the
/// plugin is logged at error level (so the host can report it) before the
/// instance traps.
///
/// ## Example
///
/// ```
/// struct Nothing;
/// impl spacedrive_sdk::Plugin for Nothing {
///     fn init() -> spacedrive_sdk::Result<Self> { Ok(Nothing) }
///     fn handle(&mut self, call: spacedrive_sdk::Call<'_>) -> spacedrive_sdk::Result<spacedrive_sdk::Reply> {
///         Err(spacedrive_sdk::Error::unknown_method(call.method()))
///     }
/// }
/// spacedrive_sdk::export_plugin!(Nothing);
/// ```
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        const _: () = {
            static SLOT: $crate::export::Slot<$plugin> = $crate::export::Slot::new();

            #[unsafe(no_mangle)]
            pub extern "C" fn spacedrive_abi_version() -> u32 {
                $crate::ABI_VERSION
            }

            #[unsafe(no_mangle)]
            pub extern "C" fn wasm_alloc(size: usize) -> usize {
                $crate::export::alloc(size)
            }

            /// # Safety
            /// None: a pointer or size that matches no live block is refused.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn wasm_free(ptr: usize, size: usize) {
                // SAFETY: forwarded contract.
                unsafe { $crate::export::free(ptr, size) }
            }

            #[unsafe(no_mangle)]
            pub extern "C" fn plugin_init() -> i32 {
                SLOT.init()
            }

            #[unsafe(no_mangle)]
            pub extern "C" fn plugin_cleanup() {
                SLOT.cleanup()
            }

            /// # Safety
            /// Both ranges must be readable guest memory, as the host guarantees.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn plugin_handle(
                method_ptr: usize,
                method_len: usize,
                payload_ptr: usize,
                payload_len: usize,
            ) -> u64 {
                // SAFETY: forwarded contract.
                unsafe { SLOT.handle(method_ptr, method_len, payload_ptr, payload_len) }
            }
        };
    };
}

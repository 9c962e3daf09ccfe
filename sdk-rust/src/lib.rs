//! # spacedrive-sdk
//!
//! Write a Spacedrive plugin as ordinary Rust. Implement [`Plugin`], then call
//! [`export_plugin!`]; the SDK writes every export ABI v1 requires
//! (`wasm_alloc`, `plugin_handle`, ...). Call host operations with [`Client`].
//!
//! ## Example
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Greet { name: String }
//!
//! #[derive(Default)]
//! struct Hello;
//!
//! impl Hello {
//!     fn greet(&mut self, g: Greet) -> spacedrive_sdk::Result<String> {
//!         Ok(format!("hello, {}", g.name))
//!     }
//! }
//!
//! spacedrive_sdk::plugin!(Hello { "greet" => greet });
//! ```
//!
//! [`plugin!`] writes the [`Plugin`] impl and the exports around a method table
//! ([`methods!`]: plain methods, `raw(..)` ones that see the binary tail,
//! `job(..)` steps); a plugin whose `init` does work implements [`Plugin`] and
//! calls [`methods!`] in `handle`.
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

/// Writes [`Plugin::handle`]'s dispatch from a method table: each name the
/// manifest lists (under `provides`, or `jobs` for a `job(..)` entry) to a method
/// of the plugin. Any other name answers [`Error::unknown_method`].
///
/// Three kinds of entry:
///
/// * `"greet" => greet`: `fn greet(&mut self, input: I) -> Result<O>`, the input
///   decoded from the call's JSON and the output encoded as the reply (serde types);
/// * `"echo" => raw(echo)`: `fn echo(&mut self, call: Call<'_>) -> Result<Reply>`,
///   for a method that reads the binary tail or answers with one;
/// * `"sum" => job(sum)`: one step of the job `sum` (the host calls `job:sum`):
///   `fn sum(&mut self, step: JobStep<I, C>) -> Result<StepResult<C, O>>`
///   (see [`jobs`]).
///
/// [`plugin!`] writes the whole [`Plugin`] impl and the exports around a table.
///
/// ## Example
///
/// ```
/// use spacedrive_sdk::jobs::{JobStep, StepResult};
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
///     fn size(&mut self, call: Call<'_>) -> Result<Reply> { Reply::json(&call.tail().len()) }
///     fn count(&mut self, step: JobStep<u64, u64>) -> Result<StepResult<u64, u64>> {
///         let done = step.checkpoint.unwrap_or(0) + 1;
///         Ok(if done >= step.input { StepResult::finished(done) } else { StepResult::more(0.5, done) })
///     }
/// }
///
/// impl Plugin for Hello {
///     fn init() -> Result<Self> { Ok(Hello) }
///     fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
///         methods!(self, call, {
///             "greet" => greet,
///             "double" => double,
///             "size" => raw(size),
///             "count" => job(count),
///         })
///     }
/// }
///
/// let reply = Hello.handle(Call::new("double", b"21", b"")).unwrap();
/// assert_eq!(reply.json_bytes(), b"42");
/// let reply = Hello.handle(Call::new("size", b"", b"abc")).unwrap();
/// assert_eq!(reply.json_bytes(), b"3");
/// let step = br#"{"job_id": "j", "input": 1, "checkpoint": null, "step": 0}"#;
/// let reply = Hello.handle(Call::new("job:count", step, b"")).unwrap();
/// assert!(std::str::from_utf8(reply.json_bytes()).unwrap().contains(r#""done":true"#));
/// let err = Hello.handle(Call::new("nope", b"", b"")).unwrap_err();
/// assert_eq!(err.code, spacedrive_sdk::ErrorCode::NotFound);
/// ```
#[macro_export]
macro_rules! methods {
    ($plugin:ident, $call:ident, { $($name:literal => $how:ident $(($method:ident))?),* $(,)? }) => {{
        let method = $call.method();
        $(if $crate::__method_is!(method, $name, $how) {
            $crate::__method_arm!($plugin, $call, $how $(($method))?)
        } else)* {
            Err($crate::Error::unknown_method(method))
        }
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __method_is {
    ($method:ident, $name:literal, job) => {
        $method.strip_prefix("job:") == Some($name)
    };
    ($method:ident, $name:literal, $how:ident) => {
        $method == $name
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __method_arm {
    ($plugin:ident, $call:ident, raw($method:ident)) => {
        $plugin.$method($call)
    };
    ($plugin:ident, $call:ident, job($method:ident)) => {
        $call
            .job_step()
            .and_then(|step| $plugin.$method(step))
            .and_then(|out| $crate::Reply::json(&out))
    };
    ($plugin:ident, $call:ident, $method:ident) => {
        $call.respond(|input| $plugin.$method(input))
    };
}

/// A whole plugin from its type and method table: the [`Plugin`] impl (`init`
/// is `Default::default()`; dispatch as [`methods!`] writes it) and the exports
/// [`export_plugin!`] writes. A plugin whose `init` or `cleanup` does work
/// implements [`Plugin`] itself and calls [`methods!`] in `handle`.
///
/// ## Example
///
/// ```
/// #[derive(Default)]
/// struct Hello;
///
/// impl Hello {
///     fn greet(&mut self, name: String) -> spacedrive_sdk::Result<String> {
///         Ok(format!("Hello, {name}!"))
///     }
/// }
///
/// spacedrive_sdk::plugin!(Hello { "greet" => greet });
///
/// use spacedrive_sdk::{Call, Plugin};
/// let reply = Hello.handle(Call::new("greet", br#""Ada""#, b"")).unwrap();
/// assert_eq!(reply.json_bytes(), br#""Hello, Ada!""#);
/// ```
#[macro_export]
macro_rules! plugin {
    ($plugin:ty { $($table:tt)* }) => {
        impl $crate::Plugin for $plugin {
            fn init() -> $crate::Result<Self> {
                Ok(<$plugin as ::core::default::Default>::default())
            }

            fn handle(&mut self, call: $crate::Call<'_>) -> $crate::Result<$crate::Reply> {
                $crate::methods!(self, call, { $($table)* })
            }
        }

        $crate::export_plugin!($plugin);
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

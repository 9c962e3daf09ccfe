//! `abi-probe`: the guest side of the ABI, exposed so the host's property tests
//! can compare it with the host's codec and the native twin, and check the
//! guest's ledger against their own model.

use serde::Deserialize;
use serde_json::{Value, json};
use spacedrive_abi::{self as abi, FrameError};
use spacedrive_sdk::{Call, Error, Plugin, Reply, Result, diagnostics, export_plugin, methods};
use std::collections::BTreeMap;

fn kind(e: FrameError) -> &'static str {
    match e {
        FrameError::Truncated { .. } => "truncated",
        FrameError::JsonOverrun { .. } => "json_overrun",
        FrameError::BadStatus(_) => "bad_status",
        FrameError::LengthMismatch { .. } => "length_mismatch",
        FrameError::TooLarge => "too_large",
    }
}

fn memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    return core::arch::wasm32::memory_size(0) as u64 * 65536;
    #[cfg(not(target_arch = "wasm32"))]
    0
}

#[derive(Deserialize)]
struct Encode {
    status: u8,
    json_len: usize,
}

#[derive(Default)]
pub struct Probe {
    held: BTreeMap<u64, Vec<u8>>,
    next_id: u64,
}

impl Probe {
    fn take_block_at(ptr: usize) -> Result<Reply> {
        // What the SDK does with a spacedrive_call result: read, copy, free.
        let header = unsafe { core::slice::from_raw_parts(ptr as *const u8, abi::BLOCK_HEADER) };
        let len = abi::block_body_len(header)?;
        let body =
            unsafe { core::slice::from_raw_parts((ptr + abi::BLOCK_HEADER) as *const u8, len) }
                .to_vec();
        unsafe { spacedrive_sdk::export::free(ptr, abi::BLOCK_HEADER + len) };
        let (status, msg) = abi::decode_body(&body)?;
        Reply::json(&json!({"status": status, "json_len": msg.json.len()}))
            .map(|r| r.with_tail(&body[5..]))
    }
}

/// A named number from the call's JSON input.
fn arg(call: &Call<'_>, name: &str) -> Result<u64> {
    call.json::<Value>()?[name]
        .as_u64()
        .ok_or_else(|| Error::invalid_input(format!("`{name}` is required")))
}

impl Probe {
    fn stats(&mut self, _: Call<'_>) -> Result<Reply> {
        let (blocks, bytes) = diagnostics::abi_blocks();
        Reply::json(&json!({"blocks": blocks, "bytes": bytes, "memory": memory_bytes()}))
    }

    fn decode_message(&mut self, call: Call<'_>) -> Result<Reply> {
        Reply::json(&match abi::decode_message(call.tail()) {
            Ok(m) => json!({"ok": true, "json_len": m.json.len(), "tail_len": m.tail.len()}),
            Err(e) => json!({"ok": false, "error": kind(e)}),
        })
    }

    fn decode_block(&mut self, call: Call<'_>) -> Result<Reply> {
        Reply::json(&match abi::decode_block(call.tail()) {
            Ok((s, m)) => {
                json!({"ok": true, "status": s, "json_len": m.json.len(), "tail_len": m.tail.len()})
            }
            Err(e) => json!({"ok": false, "error": kind(e)}),
        })
    }

    fn encode_block(&mut self, call: Call<'_>) -> Result<Reply> {
        let args: Encode = call.json()?;
        let (json, tail) = call.tail().split_at(args.json_len.min(call.tail().len()));
        match abi::encode_block(args.status, json, tail) {
            Ok(block) => Ok(Reply::json(&json!({"ok": true}))?.with_tail(block)),
            Err(e) => Reply::json(&json!({"ok": false, "error": kind(e)})),
        }
    }

    fn take_block(&mut self, call: Call<'_>) -> Result<Reply> {
        Self::take_block_at(arg(&call, "ptr")? as usize)
    }

    fn grow(&mut self, call: Call<'_>) -> Result<Reply> {
        #[cfg(target_arch = "wasm32")]
        let old = core::arch::wasm32::memory_grow(0, arg(&call, "pages")? as usize) as isize;
        #[cfg(not(target_arch = "wasm32"))]
        let old = {
            let _ = call; // read on wasm32 only
            -1isize
        };
        Reply::json(&json!({"old_pages": old}))
    }

    fn hold(&mut self, call: Call<'_>) -> Result<Reply> {
        let size = arg(&call, "size")? as usize;
        self.next_id += 1;
        self.held.insert(self.next_id, vec![0xA5; size]);
        Reply::json(&json!({"id": self.next_id}))
    }

    fn release(&mut self, call: Call<'_>) -> Result<Reply> {
        let gone = self.held.remove(&arg(&call, "id")?);
        Reply::json(&json!({"released": gone.map(|v| v.iter().all(|&b| b == 0xA5))}))
    }

    fn echo(&mut self, call: Call<'_>) -> Result<Reply> {
        Ok(Reply::json(&call.json::<Value>()?)?.with_tail(call.tail()))
    }

    fn clock_random(&mut self, call: Call<'_>) -> Result<Reply> {
        let mut bytes = vec![0u8; arg(&call, "len")? as usize];
        spacedrive_sdk::random::fill(&mut bytes)?;
        Ok(Reply::json(&json!({
            "now_ns": spacedrive_sdk::time::now_ns(),
            "monotonic_ns": spacedrive_sdk::time::monotonic_ns(),
        }))?
        .with_tail(bytes))
    }

    fn host_calls(&mut self, call: Call<'_>) -> Result<Reply> {
        // `n` full spacedrive_call round trips to query:core.echo.v1 with
        // `size` bytes of JSON each way: the benchmark of the host call path.
        let (n, size) = (arg(&call, "n")?, arg(&call, "size")? as usize);
        let json = format!("{{\"value\":\"{}\"}}", "x".repeat(size.saturating_sub(12)));
        let client = spacedrive_sdk::Client::new();
        // With `tail` bytes, the message is framed once and each reply
        // read in place: the ABI's own cost for a large tail each way.
        let tail = call.json::<Value>()?["tail"].as_u64().unwrap_or(0) as usize;
        if tail > 0 {
            let message = abi::encode_message(json.as_bytes(), &vec![7; tail])?;
            for _ in 0..n {
                let reply = client.call_message("query:core.echo.v1", None, &message)?;
                if reply.tail().len() != tail {
                    return Err(Error::internal("the echoed tail changed length"));
                }
            }
        } else {
            for _ in 0..n {
                client.call_raw("query:core.echo.v1", None, json.as_bytes(), &[])?;
            }
        }
        Reply::json(&json!({"calls": n}))
    }

    fn roundtrip(&mut self, call: Call<'_>) -> Result<Reply> {
        // The tail, decoded as the generated type of `method` and encoded again.
        let args: Value = call.json()?;
        let method = args["method"].as_str().unwrap_or_default();
        let out = spacedrive_sdk::ops::roundtrip(
            method,
            args["output"].as_bool().unwrap_or(false),
            call.tail(),
        )
        .map_err(Error::invalid_input)?;
        Ok(Reply::json(&json!({"ok": true}))?.with_tail(out))
    }
}

impl Plugin for Probe {
    fn init() -> Result<Self> {
        Ok(Probe::default())
    }

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
        methods!(self, call, {
            "stats" => raw(stats),
            "decode_message" => raw(decode_message),
            "decode_block" => raw(decode_block),
            "encode_block" => raw(encode_block),
            "take_block" => raw(take_block),
            "grow" => raw(grow),
            "hold" => raw(hold),
            "release" => raw(release),
            "echo" => raw(echo),
            "clock_random" => raw(clock_random),
            "host_calls" => raw(host_calls),
            "roundtrip" => raw(roundtrip),
        })
    }
}

export_plugin!(Probe);

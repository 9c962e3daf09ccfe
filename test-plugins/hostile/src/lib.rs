//! `hostile`: a plugin that misbehaves on purpose, one method per attack. The
//! host tests call each and check that it ends in a typed error while a
//! sibling plugin keeps answering.

use serde::Deserialize;
use serde_json::{Value, json};
use spacedrive_sdk::{
    Call, Client, Error, ErrorCode, LibraryId, Plugin, Reply, Result, export_plugin, log,
};

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "spacedrive")]
unsafe extern "C" {
    // The same import the SDK uses, called here with arguments the SDK would never pass.
    fn spacedrive_call(
        method_ptr: *const u8,
        method_len: usize,
        library_id_ptr: *const u8,
        payload_ptr: *const u8,
        payload_len: usize,
    ) -> *mut u8;
    fn spacedrive_random(ptr: *mut u8, len: usize) -> i32;
}

/// Arguments of a raw `spacedrive_call`. A `None` pointer points at a valid
/// method (`query:core.echo.v1`) or payload (`{}`).
#[derive(Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
struct RawArgs {
    method_ptr: Option<u32>,
    method_len: Option<u32>,
    #[serde(default)]
    library_ptr: u32,
    payload_ptr: Option<u32>,
    payload_len: Option<u32>,
    /// Use these bytes as the method (e.g. invalid UTF-8).
    method_bytes: Option<Vec<u8>>,
}

#[cfg(target_arch = "wasm32")]
fn raw_call(args: RawArgs) -> Result<Reply> {
    let method: Vec<u8> = args
        .method_bytes
        .unwrap_or_else(|| b"query:core.echo.v1".to_vec());
    let payload = spacedrive_abi::encode_message(b"{}", b"")?;
    let block = unsafe {
        spacedrive_call(
            args.method_ptr
                .map_or(method.as_ptr(), |p| p as usize as *const u8),
            args.method_len.map_or(method.len(), |l| l as usize),
            args.library_ptr as usize as *const u8,
            args.payload_ptr
                .map_or(payload.as_ptr(), |p| p as usize as *const u8),
            args.payload_len.map_or(payload.len(), |l| l as usize),
        )
    };
    if block.is_null() {
        return Err(Error::unavailable("spacedrive_call returned 0"));
    }
    // Read the host's block as the SDK would (it is leaked: this plugin does not care).
    let header = unsafe { core::slice::from_raw_parts(block, 4) };
    let len = spacedrive_abi::block_body_len(header)?;
    let body = unsafe { core::slice::from_raw_parts(block.add(4), len) };
    let (status, msg) = spacedrive_abi::decode_body(body)?;
    if status == spacedrive_abi::STATUS_ERROR {
        return Err(serde_json::from_slice(msg.json).map_err(|e| Error::internal(e.to_string()))?);
    }
    Ok(Reply::json(&json!({"ok": true}))?)
}

#[cfg(not(target_arch = "wasm32"))]
fn raw_call(_: RawArgs) -> Result<Reply> {
    Err(Error::unavailable("raw calls need the wasm host"))
}

#[derive(Deserialize)]
struct CallArgs {
    method: String,
    #[serde(default)]
    library: Option<LibraryId>,
    #[serde(default)]
    input: Value,
}

fn call(args: CallArgs, tail: &[u8]) -> Result<Reply> {
    let input = serde_json::to_vec(&args.input).map_err(|e| Error::internal(e.to_string()))?;
    let out = Client::new().call_raw(&args.method, args.library.as_ref(), &input, tail)?;
    let value: Value =
        serde_json::from_slice(&out.json).map_err(|e| Error::internal(e.to_string()))?;
    Ok(Reply::json(&value)?.with_tail(out.tail))
}

fn flood_calls(n: u32) -> Result<Value> {
    let client = Client::new();
    let mut counts = serde_json::Map::new();
    for _ in 0..n {
        let code = match client.call_raw("query:core.echo.v1", None, b"{}", b"") {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code.as_str().to_owned(),
        };
        let entry = counts.entry(code).or_insert(json!(0));
        *entry = json!(entry.as_u64().unwrap_or(0) + 1);
    }
    Ok(Value::Object(counts))
}

#[inline(never)]
fn recurse(depth: u64) -> u64 {
    if depth == 0 {
        return 0;
    }
    // black_box keeps each frame alive: no tail call, no folding.
    core::hint::black_box(recurse(core::hint::black_box(depth - 1))) + 1
}

#[cfg(target_arch = "wasm32")]
fn memory_bomb() -> Value {
    let start = core::arch::wasm32::memory_size(0);
    let mut grown = 0usize;
    while core::arch::wasm32::memory_grow(0, 1) != usize::MAX {
        grown += 1;
    }
    json!({"start_pages": start, "grown_pages": grown, "pages": core::arch::wasm32::memory_size(0)})
}

#[cfg(not(target_arch = "wasm32"))]
fn memory_bomb() -> Value {
    json!(null)
}

pub struct Hostile;

impl Plugin for Hostile {
    fn init() -> Result<Self> {
        Ok(Hostile)
    }

    fn handle(&mut self, call_in: Call<'_>) -> Result<Reply> {
        match call_in.method() {
            "raw_call" => raw_call(call_in.json()?),
            "oversized_payload" => {
                let size: usize = call_in.json::<Value>()?["size"].as_u64().unwrap_or(0) as usize;
                let big = vec![b'x'; size];
                let out = Client::new().call_raw("query:core.echo.v1", None, b"{}", &big)?;
                Ok(Reply::json(&json!({"tail_len": out.tail.len()}))?)
            }
            "call" => call(call_in.json()?, call_in.tail()),
            "flood_calls" => Reply::json(&flood_calls(
                call_in.json::<Value>()?["n"].as_u64().unwrap_or(0) as u32,
            )?),
            "spin" => loop {
                core::hint::spin_loop();
            },
            "recurse" => {
                let depth = call_in.json::<Value>()?["depth"].as_u64().unwrap_or(0);
                Reply::json(&recurse(depth))
            }
            "memory_bomb" => Reply::json(&memory_bomb()),
            "alloc_bomb" => {
                let mb = call_in.json::<Value>()?["mb"].as_u64().unwrap_or(0) as usize;
                let block = vec![1u8; mb << 20];
                Reply::json(&block.iter().map(|&b| b as u64).sum::<u64>())
            }
            "log_flood" => {
                let args: Value = call_in.json()?;
                let line = "x".repeat(args["size"].as_u64().unwrap_or(10) as usize);
                for _ in 0..args["n"].as_u64().unwrap_or(0) {
                    log::info(&line);
                }
                Reply::json(&json!({"logged": args["n"]}))
            }
            "panic" => panic!("hostile plugin panicked on purpose"),
            "random_into" => {
                // spacedrive_random aimed at an address of the caller's choosing.
                let (ptr, len) = (
                    call_in.json::<Value>()?["ptr"].as_u64().unwrap_or(0),
                    call_in.json::<Value>()?["len"].as_u64().unwrap_or(0),
                );
                #[cfg(target_arch = "wasm32")]
                let status = unsafe { spacedrive_random(ptr as usize as *mut u8, len as usize) };
                #[cfg(not(target_arch = "wasm32"))]
                let status = {
                    let _ = (ptr, len);
                    1
                };
                Reply::json(&json!({"status": status}))
            }
            "echo" => Ok(Reply::json(&call_in.json::<Value>()?)?.with_tail(call_in.tail())),
            other => Err(Error::new(
                ErrorCode::NotFound,
                format!("no method {other}"),
            )),
        }
    }
}

export_plugin!(Hostile);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recursion_counts_frames() {
        assert_eq!(recurse(100), 100);
    }
}

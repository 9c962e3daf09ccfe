;; The block at 2048 says it holds 6 bytes; the packed result says 16.
(module
  (import "spacedrive" "spacedrive_call" (func $call (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "wasm_free") (param i32 i32))
  (func (export "spacedrive_abi_version") (result i32) (i32.const 1))
  (func (export "plugin_init") (result i32) (i32.const 0))
  (func (export "wasm_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "plugin_handle") (param i32 i32 i32 i32) (result i64)
    (i32.store (i32.const 2048) (i32.const 6))
    (i64.const 0x0000080000000014)))

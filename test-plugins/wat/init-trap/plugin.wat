;; plugin_init traps.
(module
  (memory (export "memory") 1)
  (func (export "wasm_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "wasm_free") (param i32 i32))
  (func (export "spacedrive_abi_version") (result i32) (i32.const 1))
  (func (export "plugin_init") (result i32) unreachable)
  (func (export "plugin_handle") (param i32 i32 i32 i32) (result i64) (i64.const 0)))

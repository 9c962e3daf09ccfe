;; No plugin_handle.
(module
  (memory (export "memory") 1)
  (func (export "wasm_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "wasm_free") (param i32 i32))
  (func (export "spacedrive_abi_version") (result i32) (i32.const 1))
  (func (export "plugin_init") (result i32) (i32.const 0)))

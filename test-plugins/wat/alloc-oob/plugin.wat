;; The first allocation (the host's request buffer) is honest; later ones
;; point past the end of memory.
(module
  (import "spacedrive" "spacedrive_call" (func $call (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "wasm_free") (param i32 i32))
  (func (export "spacedrive_abi_version") (result i32) (i32.const 1))
  (func (export "plugin_init") (result i32) (i32.const 0))
  (global $calls (mut i32) (i32.const 0))
  (func (export "wasm_alloc") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.eq (global.get $calls) (i32.const 1))
      (then (i32.const 1024))
      (else (i32.const -256))))
  ;; Calls query:core.echo.v1 with {} and returns the host's response block as its own.
  (data (i32.const 16) "query:core.echo.v1")
  (data (i32.const 48) "\02\00\00\00{}")
  (func (export "plugin_handle") (param i32 i32 i32 i32) (result i64)
    (local $b i32)
    (local.set $b (call $call (i32.const 16) (i32.const 18) (i32.const 0) (i32.const 48) (i32.const 6)))
    (if (i32.eqz (local.get $b)) (then (return (i64.const 0))))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32))
            (i64.extend_i32_u (i32.add (i32.const 4) (i32.load (local.get $b)))))))

;; An Extism plugin without the PDK (crates.io is out of reach here): it uses
;; the kernel imports Extism documents, as every PDK does underneath.
;;   echo       copies its input to its output
;;   call_host  passes its input to the host function `host_echo` and returns its answer
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "host_echo" (func $host_echo (param i64) (result i64)))
  (memory (export "memory") 1)

  ;; Copies the input into a new block of Extism memory; returns its offset.
  (func $input_block (result i64)
    (local $n i64) (local $off i64) (local $i i64)
    (local.set $n (call $input_length))
    (local.set $off (call $alloc (local.get $n)))
    (block $words (loop $l
      (br_if $words (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $n)))
      (call $store_u64 (i64.add (local.get $off) (local.get $i)) (call $input_load_u64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $l)))
    (block $bytes (loop $l
      (br_if $bytes (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $off) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.get $off))

  (func (export "echo") (result i32)
    (call $output_set (call $input_block) (call $input_length))
    (i32.const 0))

  (func (export "call_host") (result i32)
    (local $out i64)
    (local.set $out (call $host_echo (call $input_block)))
    (call $output_set (local.get $out) (call $length (local.get $out)))
    (i32.const 0)))

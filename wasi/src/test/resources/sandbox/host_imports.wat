;; host_imports: calls host functions of the module "test" and reads its WASI
;; arguments. "run" returns test.count() after calling test.bump() twice, so a
;; host that resets its per-instance state before each evaluation always gets 2;
;; "argc" returns the number of WASI arguments.
;; Build: wat2wasm host_imports.wat -o host_imports.wasm
(module
  (import "test" "bump" (func $bump))
  (import "test" "count" (func $count (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "run") (result i32)
    (call $bump)
    (call $bump)
    (call $count))
  (func (export "argc") (result i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (i32.load (i32.const 0))))

;; contract_violations: a test module that breaks the WASI module contract in
;; many ways at once; loading it must report every problem.
;; Build: wat2wasm contract_violations.wat -o contract_violations.wasm
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "not_a_wasi_function" (func $unknown))
  (import "env" "table" (table 1 funcref))
  (memory 1)
  (func $authn (param i32))
  (func $init (result i32) (i32.const 0))
  (export "authn" (func $authn))
  (export "_initialize" (func $init))
  (export "validate" (memory 0)))

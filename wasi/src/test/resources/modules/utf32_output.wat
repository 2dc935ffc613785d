;; utf32_output: a test module whose stdout is not UTF-8 but starts like
;; UTF-32 text: the bytes 00 00 00 7b ("{" in UTF-32BE) followed by an invalid
;; UTF-32 character. The host must call that BAD_OUTPUT (the module's fault),
;; like any other output that is not one JSON document in UTF-8.
;; Build: wat2wasm utf32_output.wat -o utf32_output.wasm
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "\00\00\00\7b\8b\ff\00\00")
  (func $run
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

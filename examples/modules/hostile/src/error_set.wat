;; Writes an error envelope: the module refuses the call.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "{\22error\22:\22module refused: bad day\22}")
  (func $run
    (i32.store (i32.const 0) (i32.const 64))   ;; iovec.buf
    (i32.store (i32.const 4) (i32.const 35))   ;; iovec.len = text length
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

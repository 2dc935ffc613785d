;; Writes a message to stderr (fd 2), then calls proc_exit(1).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "something went wrong on stderr")
  (func $run
    (i32.store (i32.const 0) (i32.const 64))   ;; iovec.buf
    (i32.store (i32.const 4) (i32.const 30))   ;; iovec.len = text length
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 16)))
    (call $proc_exit (i32.const 1)))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

;; stderr_echo: a test module that copies its stdin (the input envelope, up to
;; 64 KiB) to stderr and exits with code 1 - as a careless module might do when
;; it reports a problem. Build: wat2wasm stderr_echo.wat -o stderr_echo.wasm
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (func $run
    (i32.store (i32.const 0) (i32.const 1024))     ;; iovec.buf
    (i32.store (i32.const 4) (i32.const 65536))    ;; iovec.len
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 1)))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

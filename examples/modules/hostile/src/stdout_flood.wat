;; Writes a 64 KiB block of 'x' to stdout (fd 1) in an endless loop, ignoring
;; errors: only an output limit or a timeout stops it.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func $run
    (memory.fill (i32.const 1024) (i32.const 0x78) (i32.const 65536))
    (i32.store (i32.const 0) (i32.const 1024))   ;; iovec.buf
    (i32.store (i32.const 4) (i32.const 65536))  ;; iovec.len
    (loop $forever
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
      (br $forever)))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

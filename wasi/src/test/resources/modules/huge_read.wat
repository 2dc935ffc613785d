;; huge_read: a test module that asks fd_read for a 2 GiB buffer (far outside
;; its memory) and reports whether WASI refused with EFAULT (21):
;;   {"response":{"refused":true}}  or  {"response":{"refused":false}}
;; A host that allocates the buffer before checking it runs out of heap.
;; Build: wat2wasm huge_read.wat -o huge_read.wasm
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "{\22response\22:{\22refused\22:true}}")    ;; 29 bytes
  (data (i32.const 128) "{\22response\22:{\22refused\22:false}}")  ;; 30 bytes
  (func $run (local $errno i32)
    (i32.store (i32.const 16) (i32.const 1024))         ;; iovec.buf
    (i32.store (i32.const 20) (i32.const 0x7fffffff))   ;; iovec.len: 2 GiB
    (local.set $errno
      (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.store (i32.const 0) (select (i32.const 64) (i32.const 128)
                                     (i32.eq (local.get $errno) (i32.const 21))))
    (i32.store (i32.const 4) (select (i32.const 29) (i32.const 30)
                                     (i32.eq (local.get $errno) (i32.const 21))))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

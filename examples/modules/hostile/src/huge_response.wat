;; Writes a valid JSON envelope of about 8 MiB:
;;   {"response":{"padding":"xxxx...8388608 x..."}}
;; for testing output size limits. (Without a limit the response decodes as an
;; empty review: not authenticated / no opinion / admission error: no uid.)
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 129)                ;; 64 KiB + 8 MiB
  (data (i32.const 64) "{\22response\22:{\22padding\22:\22")  ;; 24 bytes
  (data (i32.const 128) "\22}}")                              ;; 3 bytes
  (func $run
    (memory.fill (i32.const 65536) (i32.const 0x78) (i32.const 8388608))
    (i32.store (i32.const 0) (i32.const 64))       ;; iovec[0]: prefix
    (i32.store (i32.const 4) (i32.const 24))
    (i32.store (i32.const 8) (i32.const 65536))    ;; iovec[1]: 8 MiB of 'x'
    (i32.store (i32.const 12) (i32.const 8388608))
    (i32.store (i32.const 16) (i32.const 128))     ;; iovec[2]: suffix
    (i32.store (i32.const 20) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 3) (i32.const 32))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

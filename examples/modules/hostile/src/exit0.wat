;; Writes a valid TokenReview response envelope, then calls proc_exit(0):
;; a successful run (exit code 0 after the output).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "{\22response\22:{\22apiVersion\22:\22authentication.k8s.io/v1\22,\22kind\22:\22TokenReview\22,\22status\22:{\22authenticated\22:true,\22user\22:{\22username\22:\22exit0-user\22}}}}")
  (func $run
    (i32.store (i32.const 0) (i32.const 64))   ;; iovec.buf
    (i32.store (i32.const 4) (i32.const 140))   ;; iovec.len = text length
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (call $proc_exit (i32.const 0)))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

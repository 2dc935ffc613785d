;; authz_only: a test module with only the authz export; it answers every
;; SubjectAccessReview with {"response":{"status":{"allowed":true}}} and has
;; a memory limited to 3 pages by its own declaration.
;; Build: wat2wasm authz_only.wat -o authz_only.wasm
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 3)
  (data (i32.const 64) "{\22response\22:{\22status\22:{\22allowed\22:true}}}")
  (func (export "authz")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 40))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))))

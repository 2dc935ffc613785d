;; unsupported_calls: a test module that calls WASI functions the sandbox cannot
;; serve and checks that each returns the expected error code instead of
;; trapping. Writes {"response":{"results":"XXXX"}} with T (expected errno) or
;; F for: sock_accept(0) = ENOTSOCK (57), sock_recv(1) = ENOTSOCK,
;; sock_send(9) = EBADF (8), proc_raise(1) = ENOSYS (52).
;; Build: wat2wasm unsupported_calls.wat -o unsupported_calls.wasm
(module
  (import "wasi_snapshot_preview1" "sock_accept"
    (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv"
    (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send"
    (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "{\22response\22:{\22results\22:\22????\22}}")  ;; 31 bytes, ???? at 88
  (func $mark (param $at i32) (param $ok i32)
    (i32.store8 (i32.add (i32.const 88) (local.get $at))
      (select (i32.const 84) (i32.const 70) (local.get $ok))))   ;; 'T' or 'F'
  (func $run
    (call $mark (i32.const 0)
      (i32.eq (call $sock_accept (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 57)))
    (call $mark (i32.const 1)
      (i32.eq (call $sock_recv (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)
                               (i32.const 0) (i32.const 0)) (i32.const 57)))
    (call $mark (i32.const 2)
      (i32.eq (call $sock_send (i32.const 9) (i32.const 0) (i32.const 0) (i32.const 0)
                               (i32.const 0)) (i32.const 8)))
    (call $mark (i32.const 3)
      (i32.eq (call $proc_raise (i32.const 1)) (i32.const 52)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 31))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

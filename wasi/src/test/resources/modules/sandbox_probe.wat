;; sandbox_probe: a test module that tries to reach outside the sandbox through
;; WASI - arguments, environment, preopened directories, files, sockets - and
;; reports what it got. Writes {"response":{"r":"NN,NN,..."}} with 16 two-digit
;; numbers (values above 99 are written as 99), in this order:
;;
;;   0 args_sizes_get errno        1 argc
;;   2 environ_sizes_get errno     3 environment variable count
;;   4 fd_prestat_get(3) errno     5 path_open(3, "/etc/passwd") errno
;;   6 path_open(0, "etc/passwd") errno
;;   7 fd_read(3) errno            8 fd_write(4) errno
;;   9 sock_accept(3) errno       10 sock_recv(3) errno
;;  11 sock_send(3) errno         12 sock_shutdown(3) errno
;;  13 sock_shutdown(0) errno     14 path_create_directory(3, "x") errno
;;  15 fd_prestat_get(4) errno
;;
;; Build: wat2wasm sandbox_probe.wat -o sandbox_probe.wasm
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get"
    (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept"
    (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv"
    (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send"
    (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown"
    (func $sock_shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory"
    (func $path_create_directory (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0..8 iovec, 8 nread, 16.. scratch, 256 paths, 300 prefix, 320 results, 368 suffix,
  ;; 1024.. a buffer
  (data (i32.const 256) "/etc/passwd")  ;; 11
  (data (i32.const 280) "x")
  (data (i32.const 300) "{\22response\22:{\22r\22:\22")  ;; 18
  (data (i32.const 320) "00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00")  ;; 47
  (data (i32.const 368) "\22}}")  ;; 3

  (func $put (param $slot i32) (param $value i32)
    (local $at i32)
    (if (i32.gt_u (local.get $value) (i32.const 99)) (then (local.set $value (i32.const 99))))
    (local.set $at (i32.add (i32.const 320) (i32.mul (local.get $slot) (i32.const 3))))
    (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.div_u (local.get $value) (i32.const 10))))
    (i32.store8 (i32.add (local.get $at) (i32.const 1))
      (i32.add (i32.const 48) (i32.rem_u (local.get $value) (i32.const 10)))))

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $run
    (call $put (i32.const 0) (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (call $put (i32.const 1) (i32.load (i32.const 16)))
    (call $put (i32.const 2) (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (call $put (i32.const 3) (i32.load (i32.const 24)))
    (call $put (i32.const 4) (call $fd_prestat_get (i32.const 3) (i32.const 32)))
    (call $put (i32.const 5)
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 256) (i32.const 11) (i32.const 0)
        (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 40)))
    (call $put (i32.const 6)
      (call $path_open (i32.const 0) (i32.const 0) (i32.const 257) (i32.const 10) (i32.const 0)
        (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 40)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 64))
    (call $put (i32.const 7) (call $fd_read (i32.const 3) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $put (i32.const 8) (call $fd_write (i32.const 4) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $put (i32.const 9) (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 40)))
    (call $put (i32.const 10)
      (call $sock_recv (i32.const 3) (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 44)
        (i32.const 48)))
    (call $put (i32.const 11)
      (call $sock_send (i32.const 3) (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 44)))
    (call $put (i32.const 12) (call $sock_shutdown (i32.const 3) (i32.const 0)))
    (call $put (i32.const 13) (call $sock_shutdown (i32.const 0) (i32.const 0)))
    (call $put (i32.const 14)
      (call $path_create_directory (i32.const 3) (i32.const 280) (i32.const 1)))
    (call $put (i32.const 15) (call $fd_prestat_get (i32.const 4) (i32.const 32)))
    (call $write (i32.const 300) (i32.const 18))
    (call $write (i32.const 320) (i32.const 47))
    (call $write (i32.const 368) (i32.const 3)))

  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

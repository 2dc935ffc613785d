;; token_leak: a careless authenticator that repeats the bearer token it was
;; given, bare (without a "token" key or "Bearer" in front), everywhere it can.
;; It always writes "rejected credential <token>" to stderr, then:
;;   - when the token contains "exit": proc_exit(1)
;;   - when the token contains "err": {"error":"credential <token> is revoked"}
;;   - otherwise a TokenReview response, not authenticated, with
;;     status.error "credential <token> is revoked".
;; Exports only authn. Build: wat2wasm token_leak.wat -o token_leak.wasm
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; 0..8 iovec, 8 nread/nwritten, 64.. strings, 65536.. input
  (memory (export "memory") 2)
  (data (i32.const 64) "\22token\22:\22")  ;; 9
  (data (i32.const 80) "rejected credential ")  ;; 20
  (data (i32.const 104) "\0a")
  (data (i32.const 112) "exit")
  (data (i32.const 120) "err")
  (data (i32.const 128) "{\22error\22:\22credential ")  ;; 21
  (data (i32.const 160) " is revoked\22}")  ;; 13
  (data (i32.const 176) " is revoked\22}}}")  ;; 15
  (data (i32.const 256) "{\22response\22:{\22apiVersion\22:\22authentication.k8s.io/v1\22,\22kind\22:\22TokenReview\22,\22status\22:{\22authenticated\22:false,\22error\22:\22credential ")  ;; 126

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $read_all (result i32)
    (local $total i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $total) (i32.const 65536)))
        (i32.store (i32.const 0) (i32.add (i32.const 65536) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (i32.const 65536) (local.get $total)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $done (i32.eqz (i32.load (i32.const 8))))
        (local.set $total (i32.add (local.get $total) (i32.load (i32.const 8))))
        (br $more)))
    (local.get $total))

  ;; the address of the first occurrence of needle in hay, or -1
  (func $find (param $hay i32) (param $len i32) (param $needle i32) (param $nlen i32)
              (result i32)
    (local $i i32) (local $j i32)
    (block $notfound
      (loop $outer
        (br_if $notfound
          (i32.gt_u (i32.add (local.get $i) (local.get $nlen)) (local.get $len)))
        (local.set $j (i32.const 0))
        (block $mismatch
          (loop $inner
            (if (i32.eq (local.get $j) (local.get $nlen))
              (then (return (i32.add (local.get $hay) (local.get $i)))))
            (br_if $mismatch
              (i32.ne
                (i32.load8_u (i32.add (i32.add (local.get $hay) (local.get $i)) (local.get $j)))
                (i32.load8_u (i32.add (local.get $needle) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $inner)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (i32.const -1))

  (func $run
    (local $n i32) (local $start i32) (local $len i32)
    (local.set $n (call $read_all))
    (local.set $start (call $find (i32.const 65536) (local.get $n) (i32.const 64) (i32.const 9)))
    (if (i32.lt_s (local.get $start) (i32.const 0)) (then (unreachable)))
    (local.set $start (i32.add (local.get $start) (i32.const 9)))
    (block $end
      (loop $more
        (br_if $end (i32.ge_u (i32.add (local.get $start) (local.get $len))
                              (i32.add (i32.const 65536) (local.get $n))))
        (br_if $end (i32.eq (i32.load8_u (i32.add (local.get $start) (local.get $len)))
                            (i32.const 34)))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $more)))
    (call $write (i32.const 2) (i32.const 80) (i32.const 20))
    (call $write (i32.const 2) (local.get $start) (local.get $len))
    (call $write (i32.const 2) (i32.const 104) (i32.const 1))
    (if (i32.ge_s (call $find (local.get $start) (local.get $len) (i32.const 112) (i32.const 4))
                  (i32.const 0))
      (then (call $proc_exit (i32.const 1))))
    (if (i32.ge_s (call $find (local.get $start) (local.get $len) (i32.const 120) (i32.const 3))
                  (i32.const 0))
      (then
        (call $write (i32.const 1) (i32.const 128) (i32.const 21))
        (call $write (i32.const 1) (local.get $start) (local.get $len))
        (call $write (i32.const 1) (i32.const 160) (i32.const 13))
        (return)))
    (call $write (i32.const 1) (i32.const 256) (i32.const 126))
    (call $write (i32.const 1) (local.get $start) (local.get $len))
    (call $write (i32.const 1) (i32.const 176) (i32.const 15)))

  (export "authn" (func $run)))

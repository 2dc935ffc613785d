;; clock_random: a test module that reports what the sandbox's clocks and
;; random source give it. Writes
;;   {"response":{"realtime":"H16","monotonic":"H16","random":"H32","errors":"EEE"}}
;; where realtime and monotonic are clock_time_get(0) and clock_time_get(1)
;; as 8 little-endian bytes in hex, random is 16 bytes of random_get in hex,
;; and errors are the three errnos (one digit each, 9 for anything above 8).
;; Build: wat2wasm clock_random.wat -o clock_random.wasm
(module
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get"
    (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0..8 iovec, 8 nwritten, 16 realtime, 24 monotonic, 40..56 random,
  ;; 64 hex digits, 128.. strings, 256.. output scratch
  (data (i32.const 64) "0123456789abcdef")
  (data (i32.const 128) "{\22response\22:{\22realtime\22:\22")  ;; 25
  (data (i32.const 160) "\22,\22monotonic\22:\22")  ;; 15
  (data (i32.const 176) "\22,\22random\22:\22")  ;; 12
  (data (i32.const 192) "\22,\22errors\22:\22")  ;; 12
  (data (i32.const 208) "\22}}")  ;; 3

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; writes n bytes from src as 2n hex digits
  (func $hex (param $src i32) (param $n i32)
    (local $i i32) (local $b i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (i32.store8 (i32.add (i32.const 256) (i32.shl (local.get $i) (i32.const 1)))
          (i32.load8_u (i32.add (i32.const 64) (i32.shr_u (local.get $b) (i32.const 4)))))
        (i32.store8 (i32.add (i32.const 257) (i32.shl (local.get $i) (i32.const 1)))
          (i32.load8_u (i32.add (i32.const 64) (i32.and (local.get $b) (i32.const 15)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (call $write (i32.const 256) (i32.shl (local.get $n) (i32.const 1))))

  (func $digit (param $at i32) (param $errno i32)
    (i32.store8 (local.get $at)
      (i32.add (i32.const 48)
        (select (local.get $errno) (i32.const 9) (i32.lt_u (local.get $errno) (i32.const 9))))))

  (func $run
    (call $digit (i32.const 232) (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 16)))
    (call $digit (i32.const 233) (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 24)))
    (call $digit (i32.const 234) (call $random_get (i32.const 40) (i32.const 16)))
    (call $write (i32.const 128) (i32.const 25))
    (call $hex (i32.const 16) (i32.const 8))
    (call $write (i32.const 160) (i32.const 15))
    (call $hex (i32.const 24) (i32.const 8))
    (call $write (i32.const 176) (i32.const 12))
    (call $hex (i32.const 40) (i32.const 16))
    (call $write (i32.const 192) (i32.const 12))
    (call $write (i32.const 232) (i32.const 3))
    (call $write (i32.const 208) (i32.const 3)))

  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

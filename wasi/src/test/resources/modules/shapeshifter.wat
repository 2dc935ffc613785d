;; shapeshifter: a test module that misbehaves on request, so that one loaded
;; module (one sandbox) can be made to fail in every way and then asked a
;; normal question. Exports only authn. The behaviour is chosen by the first
;; "mode-X" in the input envelope (put it in the TokenReview's token):
;;
;;   mode-i  endless loop, back edge br_if        mode-b  endless loop, br
;;   mode-t  endless loop, back edge br_table     mode-s  sleeps 1 h (poll_oneoff)
;;   mode-m  grows memory one page at a time, touching each, until refused;
;;           then traps (unreachable)
;;   mode-o  writes 64 KiB blocks to stdout forever
;;   mode-e  writes 64 KiB blocks to stderr forever
;;   mode-h  a valid response with 2 MiB of padding
;;   mode-r  unbounded recursion                  mode-u  unreachable
;;   mode-d  recursion 400 calls deep, then an endless loop (br_if) down there
;;   mode-z  integer division by zero             mode-x  proc_exit(3)
;;   mode-g  writes "this is not json{"           mode-E  answers {"error": ...}
;;   anything else: a normal answer, authenticated as user "fresh" with uid "1"
;;
;; The normal answer proves that the instance is new (or restored to its
;; initial state): uid is the number of calls this instance has seen (a
;; global), and the username is "dirty" instead of "fresh" when a byte in
;; memory that every call sets was already set, or "grown" when the memory is
;; not its initial 3 pages. Build: wat2wasm shapeshifter.wat -o shapeshifter.wasm
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; 0..40 iovecs, 48 nread/nwritten, 64 subscription, 128 event, 160 nevents,
  ;; 200 dirty flag, 201 uid digit, 256.. strings,
  ;; 65536..131072 input, 131072..196608 a block of 'x'
  (memory (export "memory") 3)
  (global $calls (mut i32) (i32.const 0))
  (global $zero (mut i32) (i32.const 0))
  (global $spin (mut i64) (i64.const 0))

  (data (i32.const 256) "{\22response\22:{\22apiVersion\22:\22authentication.k8s.io/v1\22,\22kind\22:\22TokenReview\22,\22status\22:{\22authenticated\22:true,\22user\22:{\22username\22:\22")  ;; 125
  (data (i32.const 384) "\22,\22uid\22:\22")  ;; 9
  (data (i32.const 400) "\22}}}}\0a")  ;; 6
  (data (i32.const 416) "fresh")
  (data (i32.const 424) "dirty")
  (data (i32.const 432) "mode-")
  (data (i32.const 440) "grown")
  (data (i32.const 448) "this is not json{")  ;; 17
  (data (i32.const 480) "{\22error\22:\22shapeshifter refused\22}")  ;; 32
  (data (i32.const 512) "{\22response\22:{\22padding\22:\22")  ;; 24
  (data (i32.const 544) "\22}}")  ;; 3

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 48))))

  (func $read_all (result i32)
    (local $total i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $total) (i32.const 65536)))
        (i32.store (i32.const 0) (i32.add (i32.const 65536) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (i32.const 65536) (local.get $total)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 48)))
        (br_if $done (i32.eqz (i32.load (i32.const 48))))
        (local.set $total (i32.add (local.get $total) (i32.load (i32.const 48))))
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

  ;; calls itself until n reaches 400, then loops forever
  (func $deep_then_loop (param $n i32)
    (if (i32.lt_u (local.get $n) (i32.const 400))
      (then
        (call $deep_then_loop (i32.add (local.get $n) (i32.const 1)))
        (return)))
    (loop $again
      (global.set $spin (i64.add (global.get $spin) (i64.const 1)))
      (br_if $again (i32.ge_u (global.get $calls) (i32.const 1)))))

  (func $recurse (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))

  (func $normal (param $dirty i32)
    (local $name i32)
    (local.set $name (i32.const 416))
    (if (i32.ne (memory.size) (i32.const 3)) (then (local.set $name (i32.const 440))))
    (if (local.get $dirty) (then (local.set $name (i32.const 424))))
    (i32.store8 (i32.const 201)
      (i32.add (i32.const 48)
        (select (global.get $calls) (i32.const 9) (i32.lt_u (global.get $calls) (i32.const 10)))))
    (i32.store (i32.const 0) (i32.const 256))
    (i32.store (i32.const 4) (i32.const 125))
    (i32.store (i32.const 8) (local.get $name))
    (i32.store (i32.const 12) (i32.const 5))
    (i32.store (i32.const 16) (i32.const 384))
    (i32.store (i32.const 20) (i32.const 9))
    (i32.store (i32.const 24) (i32.const 201))
    (i32.store (i32.const 28) (i32.const 1))
    (i32.store (i32.const 32) (i32.const 400))
    (i32.store (i32.const 36) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 5) (i32.const 48))))

  (func $run
    (local $dirty i32) (local $n i32) (local $at i32) (local $mode i32) (local $old i32)
    (local $i i32)
    (local.set $dirty (i32.load8_u (i32.const 200)))
    (i32.store8 (i32.const 200) (i32.const 1))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (local.set $n (call $read_all))
    (local.set $at (call $find (i32.const 65536) (local.get $n) (i32.const 432) (i32.const 5)))
    (if (i32.ge_s (local.get $at) (i32.const 0))
      (then (local.set $mode (i32.load8_u (i32.add (local.get $at) (i32.const 5))))))

    (if (i32.eq (local.get $mode) (i32.const 105)) ;; i
      (then
        (loop $again
          (global.set $spin (i64.add (global.get $spin) (i64.const 1)))
          (br_if $again (i32.ge_u (global.get $calls) (i32.const 1))))))
    (if (i32.eq (local.get $mode) (i32.const 98)) ;; b
      (then
        (loop $again
          (global.set $spin (i64.add (global.get $spin) (i64.const 1)))
          (br $again))))
    (if (i32.eq (local.get $mode) (i32.const 116)) ;; t
      (then
        (block $never
          (loop $again
            (global.set $spin (i64.add (global.get $spin) (i64.const 1)))
            (br_table $again $never (global.get $zero))))))
    (if (i32.eq (local.get $mode) (i32.const 115)) ;; s: poll_oneoff on a 1 h relative clock
      (then
        (i64.store (i32.const 64) (i64.const 0))       ;; userdata
        (i32.store8 (i32.const 72) (i32.const 0))      ;; tag: clock
        (i32.store (i32.const 80) (i32.const 1))       ;; clock id: monotonic
        (i64.store (i32.const 88) (i64.const 3600000000000))
        (i64.store (i32.const 96) (i64.const 0))       ;; precision
        (i32.store16 (i32.const 104) (i32.const 0))    ;; flags: relative
        (drop (call $poll_oneoff (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 160)))))
    (if (i32.eq (local.get $mode) (i32.const 109)) ;; m
      (then
        (block $refused
          (loop $more
            (local.set $old (memory.grow (i32.const 1)))
            (br_if $refused (i32.eq (local.get $old) (i32.const -1)))
            (i32.store (i32.shl (local.get $old) (i32.const 16)) (local.get $old))
            (br $more)))
        (unreachable)))
    (if (i32.eq (local.get $mode) (i32.const 111)) ;; o
      (then
        (loop $again
          (call $write (i32.const 1) (i32.const 131072) (i32.const 65536))
          (br $again))))
    (if (i32.eq (local.get $mode) (i32.const 101)) ;; e
      (then
        (loop $again
          (call $write (i32.const 2) (i32.const 131072) (i32.const 65536))
          (br $again))))
    (if (i32.eq (local.get $mode) (i32.const 104)) ;; h
      (then
        (memory.fill (i32.const 131072) (i32.const 120) (i32.const 65536))
        (call $write (i32.const 1) (i32.const 512) (i32.const 24))
        (block $done
          (loop $again
            (br_if $done (i32.ge_u (local.get $i) (i32.const 32)))
            (call $write (i32.const 1) (i32.const 131072) (i32.const 65536))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $again)))
        (call $write (i32.const 1) (i32.const 544) (i32.const 3))
        (return)))
    (if (i32.eq (local.get $mode) (i32.const 114)) ;; r
      (then (drop (call $recurse (i32.const 0)))))
    (if (i32.eq (local.get $mode) (i32.const 100)) ;; d
      (then (call $deep_then_loop (i32.const 0))))
    (if (i32.eq (local.get $mode) (i32.const 117)) ;; u
      (then (unreachable)))
    (if (i32.eq (local.get $mode) (i32.const 122)) ;; z
      (then (drop (i32.div_u (i32.const 1) (global.get $zero)))))
    (if (i32.eq (local.get $mode) (i32.const 120)) ;; x
      (then (call $proc_exit (i32.const 3))))
    (if (i32.eq (local.get $mode) (i32.const 103)) ;; g
      (then
        (call $write (i32.const 1) (i32.const 448) (i32.const 17))
        (return)))
    (if (i32.eq (local.get $mode) (i32.const 69)) ;; E
      (then
        (call $write (i32.const 1) (i32.const 480) (i32.const 32))
        (return)))
    (call $normal (local.get $dirty)))

  (export "authn" (func $run)))

;; echo: a test module that reports what it was given. _initialize counts how
;; often it ran, reads stdin (which must be empty then) and writes to stdout
;; (which must be discarded). Every export reads all of stdin and writes
;;   {"response":{"initialized":<_initialize runs>,"initStdin":<bytes _initialize read, 0-9>,
;;                "envelope":<stdin>}}
;; so tests can check the exact input envelope and the _initialize rules.
;; Build: wat2wasm echo.wat -o echo.wasm
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $initialized (mut i32) (i32.const 0))
  (global $initStdin (mut i32) (i32.const 0))
  (data (i32.const 256) "{\22response\22:{\22initialized\22:")   ;; 27 bytes
  (data (i32.const 320) ",\22envelope\22:")                      ;; 12 bytes
  (data (i32.const 352) "}}")                                    ;; 2 bytes
  (data (i32.const 384) ",\22initStdin\22:")                     ;; 13 bytes
  (data (i32.const 416) "written by _initialize")               ;; 22 bytes

  ;; writes len bytes at ptr to stdout (iovec at 0, nwritten at 8)
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; reads up to len bytes of stdin to ptr; returns how many
  (func $read (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.load (i32.const 24)))

  (func (export "_initialize")
    (global.set $initialized (i32.add (global.get $initialized) (i32.const 1)))
    (global.set $initStdin (call $read (i32.const 1024) (i32.const 9)))
    (call $write (i32.const 416) (i32.const 22)))

  (func $run (local $end i32) (local $n i32)
    ;; read all of stdin to address 1024 onwards, growing memory as needed
    (local.set $end (i32.const 1024))
    (block $done
      (loop $more
        (if (i32.gt_u (i32.add (local.get $end) (i32.const 65536))
                      (i32.shl (memory.size) (i32.const 16)))
          (then (drop (memory.grow (i32.const 1)))))
        (local.set $n (call $read (local.get $end) (i32.const 65536)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $end (i32.add (local.get $end) (local.get $n)))
        (br $more)))
    (call $write (i32.const 256) (i32.const 27))
    (i32.store8 (i32.const 300) (i32.add (i32.const 48) (global.get $initialized)))
    (call $write (i32.const 300) (i32.const 1))
    (call $write (i32.const 384) (i32.const 13))
    (i32.store8 (i32.const 300) (i32.add (i32.const 48) (global.get $initStdin)))
    (call $write (i32.const 300) (i32.const 1))
    (call $write (i32.const 320) (i32.const 12))
    (call $write (i32.const 1024) (i32.sub (local.get $end) (i32.const 1024)))
    (call $write (i32.const 352) (i32.const 2)))

  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

;; init_exit0: _start sets a global and ends with proc_exit(0), like a TinyGo
;; waPC policy: a successful initialisation that the snapshot keeps.
;; Build: wat2wasm init_exit0.wat -o init_exit0.wasm
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global $ready (mut i32) (i32.const 0))
  (func (export "_start")
    (global.set $ready (i32.add (global.get $ready) (i32.const 1)))
    (call $exit (i32.const 0)))
  (func (export "ready") (result i32) (global.get $ready)))

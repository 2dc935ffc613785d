;; init_trap: _initialize traps, so the module cannot be snapshotted: the
;; sandbox falls back to fresh instances and every evaluation reports the trap.
;; Build: wat2wasm init_trap.wat -o init_trap.wasm
(module
  (memory (export "memory") 1)
  (func (export "_initialize") (unreachable))
  (func (export "run") (result i32) (i32.const 1)))

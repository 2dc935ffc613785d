;; poison: "poison" changes a global and memory, then traps; "check" returns
;; the global and "peek" the memory word, which a later evaluation must see
;; unchanged (the failed evaluation's instance is discarded).
;; Build: wat2wasm poison.wat -o poison.wasm
(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "poison")
    (global.set $g (i32.const 42))
    (i32.store (i32.const 0) (i32.const 42))
    (unreachable))
  (func (export "check") (result i32) (global.get $g))
  (func (export "peek") (result i32) (i32.load (i32.const 0))))

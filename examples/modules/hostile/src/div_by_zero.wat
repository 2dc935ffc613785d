;; Traps with an integer division by zero ($zero is never written).
(module
  (memory (export "memory") 1)
  (global $zero (mut i32) (i32.const 0))
  (func $run
    (drop (i32.div_s (i32.const 1) (global.get $zero))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

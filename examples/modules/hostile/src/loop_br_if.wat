;; Endless loop whose back edge is a conditional branch (br_if) - the shape
;; clang emits for loops. $stop is never written, so the loop never ends.
(module
  (memory (export "memory") 1)
  (global $stop (mut i32) (i32.const 0))
  (global $count (mut i64) (i64.const 0))
  (func $run
    (loop $again
      (global.set $count (i64.add (global.get $count) (i64.const 1)))
      (br_if $again (i32.eqz (global.get $stop)))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

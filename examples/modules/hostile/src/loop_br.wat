;; Endless loop whose back edge is an unconditional branch (br).
(module
  (memory (export "memory") 1)
  (global $count (mut i64) (i64.const 0))
  (func $run
    (loop $again
      (global.set $count (i64.add (global.get $count) (i64.const 1)))
      (br $again)))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

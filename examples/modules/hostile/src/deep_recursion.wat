;; Unbounded (non-tail) recursion: exhausts the call stack.
(module
  (memory (export "memory") 1)
  (func $recurse (param $depth i64) (result i64)
    (i64.add (call $recurse (i64.add (local.get $depth) (i64.const 1))) (i64.const 1)))
  (func $run
    (drop (call $recurse (i64.const 0))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

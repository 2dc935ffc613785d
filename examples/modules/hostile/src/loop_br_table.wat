;; Endless loop whose back edge is a br_table: $index is never written, so it
;; always selects entry 0 ($again), never the default ($never).
(module
  (memory (export "memory") 1)
  (global $index (mut i32) (i32.const 0))
  (global $count (mut i64) (i64.const 0))
  (func $run
    (block $never
      (loop $again
        (global.set $count (i64.add (global.get $count) (i64.const 1)))
        (br_table $again $never (global.get $index)))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

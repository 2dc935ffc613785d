;; Traps immediately (unreachable).
(module
  (memory (export "memory") 1)
  (func $run (unreachable))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

;; Imports env.host_secret, which the host does not provide: must fail to load.
(module
  (import "env" "host_secret" (func $host_secret (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $run (drop (call $host_secret (i32.const 42))))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

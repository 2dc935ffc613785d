;; Calls proc_exit(3) without writing anything: a failed run.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $run (call $proc_exit (i32.const 3)))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

;; The export shape of an OPA (Rego compiled to Wasm) policy, without metadata: Kubewarden
;; detects such modules by their "opa_" exports. Only used to test that detection.
(module
  (import "env" "memory" (memory 2))
  (import "env" "opa_abort" (func $abort (param i32)))
  (func (export "opa_eval_ctx_new") (result i32) (i32.const 0))
  (func (export "opa_malloc") (param i32) (result i32) (i32.const 0))
  (func (export "eval") (param i32) (result i32) (i32.const 0)))

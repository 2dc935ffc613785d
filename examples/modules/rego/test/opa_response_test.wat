;; A module of OPA's Wasm ABI 1.2 written by hand for k8s-wasm's tests of Kubewarden's opa mode:
;; entrypoint 0 answers an AdmissionReview whose response mutates the object (a JSONPatch adding
;; the label rego=yes), warns and adds an audit annotation; entrypoint 1 answers a response
;; without "allowed". Values are the JSON texts themselves (opa_json_parse and opa_json_dump return
;; their argument). Rebuild: wat2wasm opa_response_test.wat -o opa_response_test.wasm
(module
  (import "env" "memory" (memory 1))
  (import "env" "opa_abort" (func $abort (param i32)))
  (global $heap (mut i32) (i32.const 4096))
  (global (export "opa_wasm_abi_version") i32 (i32.const 1))
  (global (export "opa_wasm_abi_minor_version") i32 (i32.const 2))
  (data (i32.const 1024) "{}\00")
  (data (i32.const 1040) "{\"policy/main\":0,\"policy/no_allowed\":1}\00")
  (data (i32.const 1200) "[{\"result\":{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"ignored\",\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\"W3sib3AiOiJhZGQiLCJwYXRoIjoiL21ldGFkYXRhL2xhYmVscy9yZWdvIiwidmFsdWUiOiJ5ZXMifV0=\",\"warnings\":[\"labelled by rego\"],\"auditAnnotations\":{\"rego\":\"mutated\"}}}}]\00")
  (data (i32.const 1800) "[{\"result\":{\"response\":{\"status\":{\"message\":\"no decision\"}}}}]\00")
  (func (export "builtins") (result i32) (i32.const 1024))
  (func (export "entrypoints") (result i32) (i32.const 1040))
  (func (export "opa_heap_ptr_get") (result i32) (global.get $heap))
  (func (export "opa_heap_ptr_set") (param i32) (global.set $heap (local.get 0)))
  (func (export "opa_json_dump") (param i32) (result i32) (local.get 0))
  (func (export "opa_json_parse") (param i32 i32) (result i32) (local.get 0))
  (func (export "opa_malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (block $ok
      (loop $more
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1))
          (then (call $abort (i32.const 1024)) (unreachable)))
        (br $more)))
    (local.get $p))
  (func (export "opa_eval") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (select (i32.const 1200) (i32.const 1800) (i32.eqz (local.get 1))))
)

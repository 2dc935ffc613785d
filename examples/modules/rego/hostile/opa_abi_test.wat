;; A minimal module of OPA's Wasm ABI 1.2, written by hand for k8s-wasm's tests
;; (no opa compiler is available to build hostile Rego). Values are the JSON
;; texts themselves: opa_json_parse returns its argument, opa_json_dump too.
;; Entrypoints:
;;   0 allow         [{"result":{"allowed":true,"reason":"allowed by the test module"}}]
;;   1 authn         [{"result":{"authenticated":true,"user":{"username":"alice","groups":["dev"]}}}]
;;   2 loop          never returns (a br_if loop, the shape clang emits)
;;   3 grow          grows memory until refused, then opa_abort("opa_malloc: failed")
;;   4 long_result   a result of 60000 bytes
;;   5 bad_address   a result address outside memory
;;   6 abort         opa_abort("test abort")
;; Rebuild: wat2wasm opa_abi_test.wat -o opa_abi_test.wasm
(module
  (import "env" "memory" (memory 1))
  (import "env" "opa_abort" (func $abort (param i32)))
  (global $heap (mut i32) (i32.const 4096))
  (global (export "opa_wasm_abi_version") i32 (i32.const 1))
  (global (export "opa_wasm_abi_minor_version") i32 (i32.const 2))
  (data (i32.const 1024) "{}\00")
  (data (i32.const 1040) "{\"allow\":0,\"authn\":1,\"loop\":2,\"grow\":3,\"long_result\":4,\"bad_address\":5,\"abort\":6}\00")
  (data (i32.const 1200) "[{\"result\":{\"allowed\":true,\"reason\":\"allowed by the test module\"}}]\00")
  (data (i32.const 1400) "[{\"result\":{\"authenticated\":true,\"user\":{\"username\":\"alice\",\"groups\":[\"dev\"]}}}]\00")
  (data (i32.const 1600) "opa_malloc: failed\00")
  (data (i32.const 1640) "test abort\00")
  (func (export "builtins") (result i32) (i32.const 1024))
  (func (export "entrypoints") (result i32) (i32.const 1040))
  (func (export "opa_heap_ptr_get") (result i32) (global.get $heap))
  (func (export "opa_heap_ptr_set") (param i32) (global.set $heap (local.get 0)))
  (func (export "opa_json_dump") (param i32) (result i32) (local.get 0))
  (func (export "opa_json_parse") (param i32 i32) (result i32) (local.get 0))
  (func $malloc (export "opa_malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (block $ok
      (loop $more
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1))
          (then (call $abort (i32.const 1600)) (unreachable)))
        (br $more)))
    (local.get $p))
  (func (export "opa_eval") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (block $b6 (block $b5 (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b6 (local.get 1)))
      (return (i32.const 1200)))
      (return (i32.const 1400)))
      (loop $forever (br_if $forever (i32.const 1)))
      (unreachable))
      (loop $grow (br_if $grow (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
      (call $abort (i32.const 1600))
      (unreachable))
      (drop (memory.grow (i32.const 1)))
      (memory.fill (i32.const 8192) (i32.const 120) (i32.const 60000))
      (i32.store8 (i32.const 68192) (i32.const 0))
      (return (i32.const 8192)))
      (return (i32.const 0x7ffffff0)))
    (call $abort (i32.const 1640))
    (unreachable))
)

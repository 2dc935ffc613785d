;; A command module: only _start, none of authn/authz/validate. A host must
;; reject it when loading it for any use case.
(module
  (memory (export "memory") 1)
  (func $start)
  (export "_start" (func $start)))

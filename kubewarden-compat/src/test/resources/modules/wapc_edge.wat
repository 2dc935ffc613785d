;; A hand-made waPC guest for the edge cases of the waPC protocol and the host's bounds checks.
;; __guest_call(op_len, msg_len) picks its behaviour by the LENGTH of the operation name:
;;   1  __guest_response with a pointer past the end of memory (65500 + 100 > 65536)
;;   2  __guest_error with a pointer past the end of memory, returns 0
;;   3  returns 1 without calling __guest_response ("success" without a response)
;;   4  returns 0 without calling __guest_error
;;   5  traps (unreachable)
;;   6  loops forever (the deadline must stop it)
;;   7  __guest_request with a payload pointer past the end of memory
;;   8  __host_call with a binding pointer past the end of memory
;;   9  __console_log with a pointer past the end of memory
;;  10  echo: __guest_request(0, 1024), __guest_response(1024, msg_len), returns 1
;;  11  host call: __guest_request(0, 1024); the payload is "binding/namespace/operation"
;;      split at the first two '/' by the guest is too much work in WAT, so the binding,
;;      namespace and operation are fixed ("kubewarden", "net", "v1/dns_lookup_host") and the
;;      payload is the message; answers "ok:" + host response or "err:" + host error
;;  12  grows memory by 1 page each call and answers its size in pages as one byte
;;  17  (validate_settings) answers {"valid":true}, so that the module loads
;; "validate" (8) thus traps in __host_call.
;; anything else: __guest_error("unsupported"), returns 0
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (import "wapc" "__host_call"
    (func $host_call (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wapc" "__host_response_len" (func $host_response_len (result i32)))
  (import "wapc" "__host_response" (func $host_response (param i32)))
  (import "wapc" "__host_error_len" (func $host_error_len (result i32)))
  (import "wapc" "__host_error" (func $host_error (param i32)))
  (import "wapc" "__console_log" (func $console_log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 60000) "unsupported")
  (data (i32.const 60016) "kubewarden")
  (data (i32.const 60032) "net")
  (data (i32.const 60048) "v1/dns_lookup_host")
  (data (i32.const 60080) "ok:")
  (data (i32.const 60096) "err:")
  (data (i32.const 60112) "{\"valid\":true}")
  (func (export "__guest_call") (param $op_len i32) (param $msg_len i32) (result i32)
    (local $n i32)
    (if (i32.eq (local.get $op_len) (i32.const 1))
      (then
        (call $guest_response (i32.const 65500) (i32.const 100))
        (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 2))
      (then
        (call $guest_error (i32.const 65530) (i32.const 10))
        (return (i32.const 0))))
    (if (i32.eq (local.get $op_len) (i32.const 3))
      (then (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 4))
      (then (return (i32.const 0))))
    (if (i32.eq (local.get $op_len) (i32.const 5))
      (then unreachable))
    (if (i32.eq (local.get $op_len) (i32.const 6))
      (then (loop $forever (br_if $forever (i32.const 1)))))
    (if (i32.eq (local.get $op_len) (i32.const 7))
      (then
        (call $guest_request (i32.const 0) (i32.const 65535))
        (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 8))
      (then
        (drop (call $host_call
          (i32.const 70000) (i32.const 10) (i32.const 60032) (i32.const 3)
          (i32.const 60048) (i32.const 18) (i32.const 0) (i32.const 0)))
        (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 9))
      (then
        (call $console_log (i32.const -1) (i32.const 2))
        (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 10))
      (then
        (call $guest_request (i32.const 0) (i32.const 1024))
        (call $guest_response (i32.const 1024) (local.get $msg_len))
        (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 11))
      (then
        (call $guest_request (i32.const 0) (i32.const 1024))
        (if (call $host_call
              (i32.const 60016) (i32.const 10) (i32.const 60032) (i32.const 3)
              (i32.const 60048) (i32.const 18) (i32.const 1024) (local.get $msg_len))
          (then
            (i32.store (i32.const 30000) (i32.load (i32.const 60080)))
            (local.set $n (call $host_response_len))
            (call $host_response (i32.const 30003))
            (call $guest_response (i32.const 30000) (i32.add (local.get $n) (i32.const 3))))
          (else
            (i32.store (i32.const 30000) (i32.load (i32.const 60096)))
            (local.set $n (call $host_error_len))
            (call $host_error (i32.const 30004))
            (call $guest_response (i32.const 30000) (i32.add (local.get $n) (i32.const 4)))))
        (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 12))
      (then
        (drop (memory.grow (i32.const 1)))
        (i32.store8 (i32.const 0) (memory.size))
        (call $guest_response (i32.const 0) (i32.const 1))
        (return (i32.const 1))))
    (if (i32.eq (local.get $op_len) (i32.const 17))
      (then
        (call $guest_response (i32.const 60112) (i32.const 14))
        (return (i32.const 1))))
    (call $guest_error (i32.const 60000) (i32.const 11))
    (i32.const 0)))

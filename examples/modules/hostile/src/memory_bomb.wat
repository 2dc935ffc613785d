;; Tries to take all memory: first one huge memory.grow (the whole 4 GiB
;; address space), then one page at a time, touching every new page, for as
;; long as growing succeeds. When memory.grow finally fails it traps.
;; The memory is declared without a maximum.
(module
  (memory (export "memory") 1)
  (func $run (local $old i32)
    (local.set $old (memory.grow (i32.const 65535)))
    (if (i32.ne (local.get $old) (i32.const -1))
      (then
        ;; touch the last word of memory (memory.size * 64 KiB wraps to 0 at 4 GiB)
        (i32.store (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4))
                   (i32.const 0x0badf00d))))
    (block $failed
      (loop $more
        (local.set $old (memory.grow (i32.const 1)))
        (br_if $failed (i32.eq (local.get $old) (i32.const -1)))
        ;; touch the first word of the new page
        (i32.store (i32.shl (local.get $old) (i32.const 16)) (local.get $old))
        (br $more)))
    (unreachable))
  (export "authn" (func $run))
  (export "authz" (func $run))
  (export "validate" (func $run)))

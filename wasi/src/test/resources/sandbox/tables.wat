;; tables: code that changes its table and element segments; the snapshot
;; strategy must restore them (or discard the instance when the table grew).
;; Build: wat2wasm tables.wat -o tables.wasm
(module
  (memory (export "memory") 1)
  (type $t (func (result i32)))
  (table $tab 2 10 funcref)
  (elem (i32.const 0) $a $b)
  (elem $e func $b)
  (func $a (result i32) (i32.const 1))
  (func $b (result i32) (i32.const 2))
  (func (export "which") (result i32) (call_indirect (type $t) (i32.const 0)))
  (func (export "size") (result i32) (table.size $tab))
  (func (export "swap") (table.set $tab (i32.const 0) (ref.func $b)))
  (func (export "grow") (drop (table.grow $tab (ref.func $a) (i32.const 1))))
  (func (export "init")
    (table.init $tab $e (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop $e)))

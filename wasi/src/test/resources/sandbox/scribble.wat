;; scribble: changes every kind of state a snapshot must restore, with every
;; store width and bulk memory operation, across 4 KiB block and 64 KiB page
;; edges. The snapshot tests call "scribble" and then check that the next
;; evaluation sees exactly the snapshot again (memory, size, globals, data
;; segments).
;; Build: wat2wasm scribble.wat -o scribble.wasm
(module
  (memory (export "memory") 1 16)
  (global $g (export "g") (mut i32) (i32.const 7))
  (global $h (mut i64) (i64.const 9))
  (global $f (mut f64) (f64.const 1.5))
  (data (i32.const 100) "snapshot-data")
  (data $passive "passive-segment-bytes")

  ;; _initialize changes memory and a global: the snapshot holds these values
  (func (export "_initialize")
    (i32.store (i32.const 200) (i32.const 0x11223344))
    (global.set $g (i32.const 8)))

  (func (export "scribble") (param $seed i32)
    (i32.store8 (i32.const 4095) (local.get $seed))
    (i32.store16 (i32.const 8191) (local.get $seed))          ;; crosses a block edge
    (i32.store (i32.const 12286) (i32.const -1))              ;; crosses a block edge
    (i64.store (i32.const 16380) (i64.const -1))              ;; crosses a block edge
    (f32.store (i32.const 20478) (f32.const 3.25))
    (f64.store (i32.const 24570) (f64.const -2.5))            ;; crosses a block edge
    (i64.store8 (i32.const 28000) (i64.const 255))
    (i64.store16 (i32.const 28010) (i64.const 65535))
    (i64.store32 (i32.const 28020) (i64.const 4294967295))
    (i32.store (i32.const 65532) (i32.const -1))              ;; last word of page 0
    (memory.fill (i32.const 32000) (local.get $seed) (i32.const 5000))
    (memory.copy (i32.const 40000) (i32.const 100) (i32.const 13))
    (memory.copy (i32.const 40005) (i32.const 40000) (i32.const 13)) ;; overlapping
    (memory.init $passive (i32.const 50000) (i32.const 0) (i32.const 21))
    (data.drop $passive)
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 65546) (local.get $seed))           ;; in the grown pages
    (i64.store (i32.const 196600) (i64.const -1))             ;; last bytes of the grown pages
    (global.set $g (local.get $seed))
    (global.set $h (i64.const -1))
    (global.set $f (f64.const -1)))

  (func (export "pages") (result i32) (memory.size))
  (func (export "h") (result i64) (global.get $h))
  (func (export "f") (result f64) (global.get $f)))

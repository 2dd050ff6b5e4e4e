;; memory.copy / memory.fill of N bytes against the loops a compiler without bulk memory emits.
;; Source [0, N), destination [2 MiB, 2 MiB + N); N <= 1 MiB. The copies return the byte copied to
;; destination + 15 (16 once 16 or more bytes were copied), the fills the last byte written (90).
;; small_*: K copies of 16 bytes each, for the cost of one short copy: small_inline with the constant
;; length the translator expands inline, small_call with the length read from a global (a call of
;; memmove), small_byte_loop as a loop.
(module
  (memory 48)
  (global $sixteen (mut i32) (i32.const 16))
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (func (export "copy_bulk") (param $n i32) (result i32)
    (memory.copy (i32.const 0x200000) (i32.const 0) (local.get $n))
    (i32.load8_u (i32.const 0x20000f)))
  (func (export "copy_byte_loop") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 offset=0x200000 (local.get $i) (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.load8_u (i32.const 0x20000f)))
  (func (export "copy_i64_loop") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i64.store offset=0x200000 (local.get $i) (i64.load (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (i32.load8_u (i32.const 0x20000f)))
  (func (export "fill_bulk") (param $n i32) (result i32)
    (memory.fill (i32.const 0x200000) (i32.const 0x5a) (local.get $n))
    (i32.load8_u (i32.add (i32.const 0x1fffff) (local.get $n))))
  (func (export "fill_byte_loop") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 offset=0x200000 (local.get $i) (i32.const 0x5a))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.load8_u (i32.add (i32.const 0x1fffff) (local.get $n))))
  (func (export "small_call") (param $k i32) (result i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
        (memory.copy (i32.add (i32.const 0x200000) (i32.and (local.get $i) (i32.const 0xff0)))
          (i32.const 0) (global.get $sixteen))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.load8_u (i32.const 0x20000f)))
  (func (export "small_inline") (param $k i32) (result i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
        (memory.copy (i32.add (i32.const 0x200000) (i32.and (local.get $i) (i32.const 0xff0)))
          (i32.const 0) (i32.const 16))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.load8_u (i32.const 0x20000f)))
  (func (export "small_byte_loop") (param $k i32) (result i32) (local $i i32) (local $j i32)
    (local $dst i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
        (local.set $dst (i32.add (i32.const 0x200000) (i32.and (local.get $i) (i32.const 0xff0))))
        (local.set $j (i32.const 0))
        (block $copied
          (loop $byte
            (br_if $copied (i32.ge_u (local.get $j) (i32.const 16)))
            (i32.store8 (i32.add (local.get $dst) (local.get $j)) (i32.load8_u (local.get $j)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $byte)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.load8_u (i32.const 0x20000f))))

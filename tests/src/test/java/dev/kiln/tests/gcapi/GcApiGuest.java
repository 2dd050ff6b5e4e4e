package dev.kiln.tests.gcapi;

/**
 * The guest module of the GC-API fuzzer: one family, whose members differ in how much each {@code
 * churn} allocates and how many extra packed fields the subtype has, so objects land at other offsets
 * and collections come at other points. Every object carries what the fuzzer chose: a struct its id
 * and a checksum of it ({@code $sum}), a {@code $node} (a subtype) also packed copies of the id and
 * a reference to another object, an array its id and checksum in elements 0 and 1. {@code check}
 * reads an anyref back into the code the fuzzer's shadow model expects ({@link #STRUCT}, {@link
 * #ARRAY}, {@link #I31} tags over the id; negative codes say what was wrong), so every reference the
 * API hands out is checked by the guest that made it, not only by its Java type.
 */
final class GcApiGuest {
  /** {@code check}'s code of a null reference. */
  static final long NULL = -3;
  /** The tag over an array's id in {@code check}'s code (a struct's code is its id). */
  static final long ARRAY = 0x2_0000_0000L;
  /** The tag over an i31's value in {@code check}'s code. */
  static final long I31 = 0x1_0000_0000L;
  /** {@code viathrow}'s code when the host function returned instead of throwing. */
  static final long RETURNED = -7;
  /** The multiplier of the checksum, {@code sum = id * MULTIPLIER ^ salt}. */
  static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

  private GcApiGuest() {}

  /** The text of family member {@code variant} ({@code 0 <= variant < 4}). */
  static String wat(int variant) {
    int churnLength = 200 + 900 * (variant & 1);
    String padding = (variant & 2) != 0 ? " (field $pad1 (mut i8)) (field $pad2 (mut i16))" : "";
    return """
        (module
          (rec
            (type $base (sub (struct (field $id i64) (field $sum i64))))
            (type $node (sub $base (struct (field $id i64) (field $sum i64) (field $tag (mut i8))%s
                                           (field $w (mut i16)) (field $next (mut (ref null $base)))))))
          (type $arr (array (mut i64)))
          (type $bytes (array (mut i8)))
          (import "host" "make" (func $make (param i64 externref) (result externref)))
          (import "host" "ext" (func $ext (param i64) (result externref)))
          (import "host" "throw" (func $hthrow (param i64)))
          (tag $te (export "te") (param anyref i64))
          (tag $ts (export "ts") (param (ref null $base)))
          (global $salt (mut i64) (i64.const 0))
          (global $g (export "g") (mut anyref) (ref.null any))
          (global $gs (export "gs") (mut (ref null $base)) (ref.null $base))
          (global $ge (mut exnref) (ref.null exn))
          (table $tab (export "tab") 8 64 anyref)
          (table $tabs (export "tabs") 4 16 (ref null $base))
          (table $texn 4 16 exnref)

          ;; exnref globals and tables are not exported (Kiln refuses that until host values of the types
          ;; are checked): Java reaches them through functions
          (func (export "getge") (result exnref) (global.get $ge))
          (func (export "setge") (param exnref) (call $churn (i32.const 1)) (global.set $ge (local.get 0)))
          (func (export "gettexn") (param i32) (result exnref) (table.get $texn (local.get 0)))
          (func (export "settexn") (param i32 exnref) (table.set $texn (local.get 0) (local.get 1)))
          (func (export "growtexn") (param exnref i32) (result i32) (table.grow $texn (local.get 0) (local.get 1)))
          (func (export "init") (param i64) (global.set $salt (local.get 0)))
          (func $sum (param $id i64) (result i64)
            (i64.xor (i64.mul (local.get $id) (i64.const %d)) (global.get $salt)))
          (func $churn (export "churn") (param $n i32)
            (local $b (ref null $bytes))
            (loop $l
              (if (i32.gt_s (local.get $n) (i32.const 0)) (then
                (drop (array.new_default $arr (i32.add (i32.const %d) (i32.and (local.get $n) (i32.const 63)))))
                (local.set $b (array.new $bytes (i32.const 0x5a) (i32.const 33)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $l)))))
          (func $newstruct (export "newstruct") (param $id i64) (result anyref)
            (struct.new $base (local.get $id) (call $sum (local.get $id))))
          (func (export "newnode") (param $id i64) (param $next anyref) (result anyref)
            (local $n (ref $node))
            (local.set $n (struct.new_default $node))
            (struct.set $node $next (local.get $n) (ref.cast (ref null $base) (local.get $next)))
            (call $churn (i32.const 2))
            (struct.new $node (local.get $id) (call $sum (local.get $id)) (i32.wrap_i64 (local.get $id))%s
              (i32.wrap_i64 (local.get $id)) (struct.get $node $next (local.get $n))))
          (func (export "newarray") (param $id i64) (param $extra i32) (result anyref)
            (local $a (ref $arr))
            (local.set $a (array.new_default $arr (i32.add (i32.const 2) (local.get $extra))))
            (array.set $arr (local.get $a) (i32.const 0) (local.get $id))
            (array.set $arr (local.get $a) (i32.const 1) (call $sum (local.get $id)))
            (local.get $a))
          (func (export "newi31") (param i32) (result anyref) (ref.i31 (local.get 0)))
          (func $check (export "check") (param $r anyref) (result i64)
            (local $s (ref null $base)) (local $n (ref null $node)) (local $a (ref null $arr)) (local $id i64)
            (if (ref.is_null (local.get $r)) (then (return (i64.const -3))))
            (if (ref.test (ref i31) (local.get $r)) (then
              (return (i64.or (i64.const 0x100000000) (i64.extend_i32_u (i31.get_u (ref.cast (ref i31) (local.get $r))))))))
            (if (ref.test (ref $base) (local.get $r)) (then
              (local.set $s (ref.cast (ref $base) (local.get $r)))
              (local.set $id (struct.get $base $id (local.get $s)))
              (if (i64.ne (struct.get $base $sum (local.get $s)) (call $sum (local.get $id))) (then (return (i64.const -2))))
              (if (ref.test (ref $node) (local.get $s)) (then
                (local.set $n (ref.cast (ref $node) (local.get $s)))
                (if (i32.ne (struct.get_u $node $tag (local.get $n)) (i32.and (i32.wrap_i64 (local.get $id)) (i32.const 0xff)))
                  (then (return (i64.const -4))))
                (if (i32.ne (struct.get_s $node $w (local.get $n)) (i32.extend16_s (i32.wrap_i64 (local.get $id))))
                  (then (return (i64.const -4))))))
              (return (local.get $id))))
            (if (ref.test (ref $arr) (local.get $r)) (then
              (local.set $a (ref.cast (ref $arr) (local.get $r)))
              (if (i32.lt_u (array.len (local.get $a)) (i32.const 2)) (then (return (i64.const -5))))
              (local.set $id (array.get $arr (local.get $a) (i32.const 0)))
              (if (i64.ne (array.get $arr (local.get $a) (i32.const 1)) (call $sum (local.get $id))) (then (return (i64.const -2))))
              (return (i64.or (local.get $id) (i64.const 0x200000000)))))
            (i64.const -1))
          (func (export "checkext") (param externref) (result i64) (call $check (any.convert_extern (local.get 0))))
          (func (export "next") (param $r anyref) (result anyref)
            (struct.get $node $next (ref.cast (ref $node) (local.get $r))))
          (func (export "tget") (param i32) (result anyref) (table.get $tab (local.get 0)))
          (func (export "tcheck") (param i32) (result i64) (call $check (table.get $tab (local.get 0))))
          (func (export "tscheck") (param i32) (result i64) (call $check (table.get $tabs (local.get 0))))
          (func (export "tfill") (param i32 anyref i32) (table.fill $tab (local.get 0) (local.get 1) (local.get 2)))
          (func (export "gcheck") (result i64) (call $churn (i32.const 3)) (call $check (global.get $g)))
          (func (export "gscheck") (result i64) (call $check (global.get $gs)))
          (func (export "throw") (param anyref i64) (call $churn (i32.const 2)) (throw $te (local.get 0) (local.get 1)))
          (func (export "catchref") (param anyref i64) (result exnref)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $te (local.get 0) (local.get 1)))
              (unreachable)))
          (func $exncheck (export "exncheck") (param exnref) (result i64)
            (local $c i64)
            (block $h (result anyref i64)
              (try_table (catch $te $h) (throw_ref (local.get 0)))
              (unreachable))
            local.set $c
            call $check
            local.get $c
            i64.ne
            if
              i64.const -6
              return
            end
            local.get $c)
          (func (export "geexncheck") (result i64) (call $churn (i32.const 3)) (call $exncheck (global.get $ge)))
          (func (export "texncheck") (param i32) (result i64) (call $exncheck (table.get $texn (local.get 0))))
          (func (export "rethrow") (param exnref) (call $churn (i32.const 2)) (throw_ref (local.get 0)))
          (func (export "viamake") (param $id i64) (param $n i32) (result i64)
            (local $r anyref)
            (local.set $r (any.convert_extern
              (call $make (local.get $id) (extern.convert_any (call $newstruct (local.get $id))))))
            (call $churn (local.get $n))
            (call $check (local.get $r)))
          (func (export "viaext") (param i64) (result externref) (call $churn (i32.const 2)) (call $ext (local.get 0)))
          (func (export "viathrow") (param $i i64) (result i64)
            (local $c i64)
            (block $hs (result (ref null $base))
              (block $he (result anyref i64)
                (try_table (catch $ts $hs) (catch $te $he) (call $hthrow (local.get $i)))
                (return (i64.const -7)))
              local.set $c
              call $check
              local.get $c
              i64.ne
              if
                i64.const -6
                return
              end
              local.get $c
              return)
            (call $churn (i32.const 2))
            call $check))
        """.formatted(padding, MULTIPLIER, churnLength, (variant & 2) != 0 ? " (i32.const 1) (i32.const 2)" : "");
  }
}

package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An immutable global holding a struct or array is a root the collector rewrites, so its value
 * changes at every call that collects although wasm can never set it. Attacked as red team 12 F1
 * did: its {@code global.get} was a readonly load, which value numbering merged across a collecting
 * call and LICM hoisted out of a loop whose body collects; the old address then read stale fields
 * (the sum of 10 reads of 77 came out 308), and, with a fresh array sprayed over the old place, an
 * array of 2 elements had length 0x7fffffff and was read and written gigabytes outside the heap.
 */
class ImmutableReferenceGlobalTest {
  private static final String WAT = """
      (module
        (type $S (struct (field $v (mut i64))))
        (type $I64s (array (mut i64)))
        (global $gi (ref $S) (struct.new $S (i64.const 77)))
        (global $ga (ref $I64s) (array.new $I64s (i64.const 0) (i32.const 2)))
        (func $churn (param $n i32)
          (local $i i32)
          (loop $l
            (drop (struct.new $S (i64.const 1)))
            (drop (array.new $I64s (i64.const 3) (i32.const 7)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
        ;; one read before the collecting call, the same read after it: value numbering's pair
        (func (export "gvn") (param $n i32) (result i64)
          (i64.add
            (struct.get $S 0 (global.get $gi))
            (block (result i64)
              (call $churn (local.get $n))
              (struct.get $S 0 (global.get $gi)))))
        ;; a loop-invariant read in a loop whose body collects: LICM's
        (func (export "licm") (param $n i32) (result i64)
          (local $i i32) (local $s i64)
          (loop $l
            (call $churn (local.get $n))
            (local.set $s (i64.add (local.get $s) (struct.get $S 0 (global.get $gi))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
          (local.get $s))
        ;; writes through the global in the loop, reads back through a fresh path
        (func (export "write") (param $n i32) (param $v i64) (result i64)
          (local $i i32)
          (loop $l
            (call $churn (local.get $n))
            (struct.set $S 0 (global.get $gi) (local.get $v))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
          (call $read))
        (func $read (result i64) (struct.get $S 0 (global.get $gi)))
        ;; the forged array: a spray lands where the stale address points; the length must stay 2
        (func (export "sprayedLength") (param $n i32) (result i64)
          (local $spray (ref null $I64s)) (local $t i32) (local $sum i64)
          (loop $l
            (call $churn (local.get $n))
            (local.set $spray (array.new $I64s (i64.const 0x7fffffff7fffffff) (i32.const 8192)))
            (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (array.len (global.get $ga)))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $t) (i32.const 20))))
          (local.get $sum)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anImmutableReferenceGlobalIsReadAfterEachCollection(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(target, WAT);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(154, instance.invoke("gvn", 50_000).getFirst().bits(), "read before and after a collection");
      assertEquals(770, instance.invoke("licm", 50_000).getFirst().bits(), "10 reads across collections");
      assertEquals(5, instance.invoke("write", 50_000, 5L).getFirst().bits(), "written through the global");
      assertEquals(40, instance.invoke("sprayedLength", 50_000).getFirst().bits(), "20 lengths of 2");
      assertTrue(store.gcCollections() > 0, "the churn collected");
    }
  }
}

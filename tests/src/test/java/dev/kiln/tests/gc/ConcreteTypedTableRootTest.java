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
 * A table whose elements are a concrete struct or array type is a root the collector rewrites, slot
 * by slot, although its slots are tagged: the artifact represents such a type as a funcref, so the
 * table takes the lazy-initialisation representation (a written slot holds {@code ref | INIT_BIT},
 * {@code TableStorage}), and a relocation that left tagged words alone neither kept the object alive
 * nor followed its move. Found by the GC API fuzzer (apifuzz N1): a struct set into a {@code (ref null
 * $S)} table read a dead object after one collection, with no host involved.
 */
class ConcreteTypedTableRootTest {
  private static final String WAT = """
      (module
        (type $S (struct (field $v (mut i64))))
        (type $A (array (mut i64)))
        (table $ts 4 (ref null $S))
        (table $ta 4 (ref null $A))
        (func $churn (param $n i32)
          (local $i i32)
          (loop $l
            (drop (struct.new $S (i64.const 1)))
            (drop (array.new $A (i64.const 0x7fffffff7fffffff) (i32.const 9)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
        (func (export "run") (param $n i32) (result i64)
          (local $t i32) (local $sum i64)
          (table.set $ts (i32.const 1) (struct.new $S (i64.const 77)))
          (table.set $ta (i32.const 2) (array.new $A (i64.const 5) (i32.const 3)))
          (loop $l
            (call $churn (local.get $n))
            (local.set $sum (i64.add (local.get $sum)
              (i64.add (struct.get $S 0 (table.get $ts (i32.const 1)))
                (i64.add (i64.extend_i32_u (array.len (table.get $ta (i32.const 2))))
                  (array.get $A (table.get $ta (i32.const 2)) (i32.const 1))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $t) (i32.const 10))))
          (local.get $sum)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anObjectInAConcreteTypedTableOutlivesCollections(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(target, WAT);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(10 * (77 + 3 + 5), instance.invoke("run", 50_000).getFirst().bits(), "10 reads across collections");
      assertTrue(store.gcCollections() > 1, "the churn collected");
    }
  }
}

package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exception objects live in the store's GC heap and are reclaimed once unreachable (issue 38):
 * a guest that throws and catches in a loop runs in bounded memory, and an exnref kept anywhere
 * the collector finds roots (a global, a table, a local, a legacy catch clause's exception for
 * {@code rethrow}) is thrown again correctly, payload and all, after collections moved it.
 */
class ExceptionReclamationTest {
  /** A store's memory limit that about 43,000 objects filled when they lived until the store closed. */
  private static final long LIMIT = 2L << 20;

  private static final String CHURN_WAT = """
      (module
        (tag $e (param i32))
        (func (export "churn") (param i32) (result i32)
          (local $n i32) (local $sum i32)
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $n) (local.get 0)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (block $h (result i32)
                (try_table (catch $e $h)
                  (throw $e (local.get $n)))
                (i32.const 0))
              (local.set $sum (i32.add (local.get $sum)))
              (br $next)))
          (local.get $sum)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void throwingInALoopRunsInBoundedMemory(Target target) throws Exception {
    int throwsCount = 300_000;
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(LIMIT));
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(CHURN_WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      int expected = 0;
      for (int i = 1; i <= throwsCount; i++) {
        expected += i;
      }
      assertEquals(expected, (int) instance.invoke("churn", throwsCount).get(0).bits(), "every throw caught");
      assertTrue(store.gcCollections() > 0, "the heap collected the caught exceptions");
      long used = store.resources().memoryBytes().used();
      assertTrue(used <= LIMIT, used + " bytes used, limit " + LIMIT);
    }
  }

  /**
   * {@code $make} returns the exnref of a caught exception whose payload is an i64, a struct (a GC
   * reference) and an i32; {@code $churn} allocates 4 MiB of arrays, forcing collections under the
   * 2 MiB limit; {@code $unpack} throws the exnref again and sums the payload it catches: 2v + 8.
   */
  private static final String KEPT_WAT = """
      (module
        (type $box (struct (field i64)))
        (type $junk (array (mut i8)))
        (tag $t (param i64 (ref null $box) i32))
        (global $g (mut exnref) (ref.null exn))
        (table $tab 1 exnref)
        (func $make (param $v i64) (result exnref)
          (local $x exnref)
          (block $h (result i64 (ref null $box) i32 exnref)
            (try_table (catch_ref $t $h)
              (throw $t (local.get $v) (struct.new $box (i64.add (local.get $v) (i64.const 1))) (i32.const 7)))
            (unreachable))
          (local.set $x)
          (drop) (drop) (drop)
          (local.get $x))
        (func $churn (param $n i32)
          (loop $l
            (drop (array.new_default $junk (i32.const 65536)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func $sum (param $v i64) (param $b (ref null $box)) (param $i i32) (result i64)
          (i64.add (i64.add (local.get $v) (struct.get $box 0 (local.get $b))) (i64.extend_i32_u (local.get $i))))
        (func $unpack (param $e exnref) (result i64)
          (block $h (result i64 (ref null $box) i32)
            (try_table (catch $t $h) (throw_ref (local.get $e)))
            (unreachable))
          (call $sum))
        (func (export "global") (param $v i64) (result i64)
          (global.set $g (call $make (local.get $v)))
          (call $churn (i32.const 64))
          (call $unpack (global.get $g)))
        (func (export "table") (param $v i64) (result i64)
          (table.set $tab (i32.const 0) (call $make (local.get $v)))
          (call $churn (i32.const 64))
          (call $unpack (table.get $tab (i32.const 0))))
        (func (export "local") (param $v i64) (result i64)
          (local $e exnref)
          (local.set $e (call $make (local.get $v)))
          (call $churn (i32.const 64))
          (call $unpack (local.get $e)))
        (func $rethrowing (param $v i64)
          (try
            (do (throw $t (local.get $v) (struct.new $box (i64.add (local.get $v) (i64.const 1))) (i32.const 7)))
            (catch $t
              (drop) (drop) (drop)
              (call $churn (i32.const 64))
              (rethrow 0))))
        (func (export "rethrow") (param $v i64) (result i64)
          (block $h (result i64 (ref null $box) i32)
            (try_table (catch $t $h) (call $rethrowing (local.get $v)))
            (unreachable))
          (call $sum)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anExnrefKeptAcrossCollectionsIsThrownWithItsPayload(Target target) throws Exception {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(LIMIT));
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(KEPT_WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      long collections = 0;
      for (String where : new String[] {"global", "table", "local", "rethrow"}) {
        long v = 1000 + where.length();
        assertEquals(2 * v + 8, instance.invoke(where, v).get(0).bits(), "the exception kept in a " + where);
        assertTrue(store.gcCollections() > collections, "a collection ran while the " + where + " held it");
        collections = store.gcCollections();
      }
    }
  }

  /**
   * An instance whose only references outside its code are an exnref global: no table, no element
   * segment, no struct or array type (the heap is reserved because its code throws). It registers
   * its roots with the store all the same ({@code ModuleFacts.holdsReferences}, an exnref global's
   * kind is externref), or the collections its churn of throws causes would leave the global naming
   * the object's old place.
   */
  private static final String GLOBAL_ONLY_WAT = """
      (module
        (tag $t (param i64))
        (global $g (mut exnref) (ref.null exn))
        (func $churn (param $n i32)
          (loop $l
            (block $h (result i64)
              (try_table (catch $t $h) (throw $t (i64.extend_i32_u (local.get $n))))
              (unreachable))
            (drop)
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func (export "run") (param $v i64) (result i64)
          (block $h (result i64 exnref)
            (try_table (catch_ref $t $h) (throw $t (local.get $v)))
            (unreachable))
          (global.set $g)
          (drop)
          (call $churn (i32.const 200000))
          (block $h (result i64)
            (try_table (catch $t $h) (throw_ref (global.get $g)))
            (unreachable))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anExnrefGlobalOfAnInstanceWithNoOtherReferencesFollowsItsObject(Target target) throws Exception {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(LIMIT));
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(GLOBAL_ONLY_WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(4242L, instance.invoke("run", 4242L).get(0).bits(), "the payload of the global's exception");
      assertTrue(store.gcCollections() > 0, "collections ran while the global held it");
    }
  }
}

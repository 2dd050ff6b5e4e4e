package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A call inside a {@code try_table} that ends the function's first block keeps its handler when a
 * later loop's VMContext loads (a memory's base) are hoisted to the end of that block: the hoisted
 * loads go before the call, not between the call and its {@code unwind_edge} (red team 9 F1: the
 * call lost its {@code .kiln.handlers} entry, so its own function's catch was skipped and the
 * exception trapped as uncaught, or was caught by a caller's handler instead).
 */
class HoistedLoadHandlerTest {
  private static final String WAT = """
      (module
        (tag $e)
        (memory 1)
        (func $mayThrow (param i32) (if (local.get 0) (then (throw $e))))
        (func (export "sum") (param $flag i32) (param $n i32) (result i32)
          (local $s i32)
          (block $h
            (try_table (catch_all $h) (call $mayThrow (local.get $flag))))
          (loop $l
            (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $n) (i32.const 2)))))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (i32.ge_s (local.get $n) (i32.const 0))))
          (local.get $s))
        (func $q (param $n i32) (result i32)
          (local $x exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e))
            (unreachable))
          (local.set $x)
          (loop $l
            (block $h2
              (try_table (catch_all $h2) (throw_ref (local.get $x)))
              (unreachable))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (local.get $n)))
          (local.get $n))
        (func (export "wrapped") (result i32)
          (block $h
            (try_table (catch_all $h) (return (call $q (i32.const 3))))
            (unreachable))
          (i32.const -99)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void theFirstBlocksCallKeepsItsHandler(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(0, instance.invoke("sum", 0, 3).get(0).bits());
      assertEquals(0, instance.invoke("sum", 1, 3).get(0).bits(), "the throw is caught in sum itself");
      assertEquals(0, instance.invoke("wrapped").get(0).bits(), "q catches its own exception");
    }
  }
}

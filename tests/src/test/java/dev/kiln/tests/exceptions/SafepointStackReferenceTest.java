package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A GC reference on the operand stack below a block whose calls are safepoints: each call reloads it
 * into a new value on its own path, and where the paths meet (the block's end after a {@code br_if}
 * out of it, a {@code try_table}'s catch label, a loop header) the translator must merge those
 * values, not keep the last path's (difffuzz-gc seeds 1028 and 113676618398332 failed to compile:
 * "used where no definition reaches it"). Expected values: binaryen 132's interpreter on the same
 * module.
 */
class SafepointStackReferenceTest {
  private static final String WAT = """
      (module
        (type $s (struct))
        (type $v (func))
        (type $r (func (result i32)))
        (tag $e)
        (global $throws (mut i32) (i32.const 0))
        (func $maybe (if (global.get $throws) (then (throw $e))))
        (func $one (result i32) (i32.const 1))
        (elem declare func $maybe $one)
        ;; a struct on the stack below a try_table whose calls are safepoints, with a branch between them
        (func (export "stack-ref") (param $p i32) (param $t i32) (result i32)
          (local $f (ref null $v)) (local $g (ref null $r))
          (global.set $throws (local.get $t))
          (local.set $f (ref.func $maybe))
          (local.set $g (ref.func $one))
          (block $c
            (return (ref.eq (struct.new_default $s)
              (try_table (result (ref i31)) (catch_all $c)
                (block $b2 (result (ref i31))
                  (call_ref $v (local.get $f))
                  (drop (br_if $b2 (ref.i31 (i32.const 1)) (i32.const 0)))
                  (drop (br_if $b2 (ref.i31 (i32.const 2)) (local.get $p)))
                  (drop (call_ref $r (local.get $g)))
                  (ref.i31 (i32.const 5)))))))
          (i32.const -1))
        ;; the same reference kept across a loop whose body calls and branches back
        (func (export "loop-ref") (param $n i32) (result i32)
          (local $g (ref null $r)) (local $sum i32)
          (local.set $g (ref.func $one))
          (global.set $throws (i32.const 0))
          (ref.is_null (struct.new_default $s)
            (loop $l
              (local.set $sum (i32.add (local.get $sum) (call_ref $r (local.get $g))))
              (br_if $l (i32.lt_u (local.get $sum) (local.get $n)))))
          (drop)
          (local.get $sum))
      )
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void referencesBelowABlockMergeWherePathsMeet(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(0, instance.invoke("stack-ref", 0, 0).get(0).bits(), "fall through");
      assertEquals(0, instance.invoke("stack-ref", 1, 0).get(0).bits(), "br_if out of the block");
      assertEquals(-1, (int) instance.invoke("stack-ref", 0, 1).get(0).bits(), "caught");
      assertEquals(5, instance.invoke("loop-ref", 5).get(0).bits());
    }
  }
}

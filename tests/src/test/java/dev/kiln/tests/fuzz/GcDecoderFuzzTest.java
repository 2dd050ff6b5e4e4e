package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of decode + validate over GC modules (WebAssembly 3.0): the sightglass corpus of
 * {@link DecoderFuzzTest} has no struct, array, i31 or cast, so the new type forms (struct, array,
 * packed fields, sub), heap types and 0xFB immediates (type and field indices, cast flags, heap
 * types) are mutated here. Every mutant must load or fail with a {@link WasmException}; an
 * index taken on trust would escape as an IndexOutOfBounds, which is the bug this looks for.
 */
class GcDecoderFuzzTest {
  private static final long SEED = Long.getLong("kiln.fuzz.seed", 0x6763L);
  private static final int ITERATIONS = Integer.getInteger("kiln.fuzz.gcIterations", 6_000);

  /** Every GC instruction and type form, valid (the struct and array ones are refused after validation). */
  private static final String MODULE = """
      (module
        (rec (type $s (sub (struct (field i8) (field (mut i16)) (field (mut anyref)) (field i64))))
             (type $t (sub final $s (struct (field i8) (field (mut i16)) (field (mut anyref)) (field i64) (field f32)))))
        (type $a (array (mut i8)))
        (type $r (array (mut (ref null $s))))
        (type $f (func (param (ref null $s)) (result i32)))
        (data $d "abcdefgh")
        (elem $e (ref null $s) (ref.null $s))
        (global $g (ref i31) (ref.i31 (i32.const 5)))
        (global $x externref (extern.convert_any (ref.i31 (i32.const 6))))
        (func $fn (type $f) (param $p (ref null $s)) (result i32)
          (local $arr (ref null $a)) (local $any anyref)
          (drop (struct.new $s (i32.const 1) (i32.const 2) (ref.null any) (i64.const 3)))
          (drop (struct.new_default $t))
          (drop (struct.get_s $s 0 (local.get $p)))
          (drop (struct.get_u $s 1 (local.get $p)))
          (drop (struct.get $s 3 (local.get $p)))
          (struct.set $s 2 (local.get $p) (ref.i31 (i32.const 9)))
          (local.set $arr (array.new $a (i32.const 7) (i32.const 4)))
          (drop (array.new_default $a (i32.const 4)))
          (drop (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.const 3)))
          (drop (array.new_data $a $d (i32.const 0) (i32.const 4)))
          (drop (array.new_elem $r $e (i32.const 0) (i32.const 1)))
          (drop (array.get_s $a (local.get $arr) (i32.const 0)))
          (drop (array.get_u $a (local.get $arr) (i32.const 1)))
          (array.set $a (local.get $arr) (i32.const 0) (i32.const 5))
          (drop (array.len (local.get $arr)))
          (array.fill $a (local.get $arr) (i32.const 0) (i32.const 1) (i32.const 2))
          (array.copy $a $a (local.get $arr) (i32.const 0) (local.get $arr) (i32.const 1) (i32.const 1))
          (array.init_data $a $d (local.get $arr) (i32.const 0) (i32.const 0) (i32.const 1))
          (local.set $any (any.convert_extern (global.get $x)))
          (drop (ref.test (ref i31) (local.get $any)))
          (drop (ref.test (ref null $t) (local.get $any)))
          (drop (ref.cast (ref null eq) (local.get $any)))
          (drop (ref.eq (ref.i31 (i32.const 1)) (global.get $g)))
          (drop (block $l (result anyref)
            (drop (br_on_cast $l anyref (ref $s) (local.get $any)))
            (br_on_cast_fail $l anyref (ref null i31) (local.get $any))))
          (drop (extern.convert_any (local.get $any)))
          (i31.get_s (global.get $g))
          (i31.get_u (global.get $g))
          (i32.add)))
      """;

  @Test
  void mutantsOfAGcModuleFailOnlyWithTheTaxonomy() {
    byte[] original = Wat.toBinaryWithNames(MODULE, "gc.wat");
    // the seed module is valid and Kiln takes it whole
    Wasm.load(original);
    List<String> failures = new ArrayList<>();
    int runs = 0;
    for (; runs < ITERATIONS && failures.size() < 20; runs++) {
      long seed = SEED + runs;
      byte[] mutant = Mutator.mutate(original, new SplittableRandom(seed));
      try {
        Wasm.load(mutant);
      } catch (WasmException expected) {
        // a verdict on the input
      } catch (Throwable bug) {
        StackTraceElement[] trace = bug.getStackTrace();
        failures.add("seed " + seed + ": " + bug + " at " + (trace.length == 0 ? "?" : trace[0]));
      }
    }
    assertTrue(failures.isEmpty(), () -> "exceptions outside the taxonomy:\n" + String.join("\n", failures));
  }
}

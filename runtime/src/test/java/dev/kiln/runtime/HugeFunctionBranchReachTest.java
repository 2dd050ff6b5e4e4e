package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.OptionalInt;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A valid function larger than a short branch's reach compiles and runs right on both targets (red
 * team 5, F2: a function of 2.9 MB of AArch64 code was refused, a conditional branch at its start
 * unable to reach its veneer at its end). The function is built so that every kind of short
 * PC-relative field AArch64 code uses spans more than 1 MiB: a division's branch to its trap site
 * (placed after the code), a {@code br_if} over the whole body, a loop's back edge over the whole
 * body, a {@code br_table}'s ADR of its jump table and a vector constant's LDR (literal) (both
 * placed after the code). On x86-64, whose rel32 fields reach everything, the same module must
 * give the same results; it is the reference.
 */
class HugeFunctionBranchReachTest {
  /** Divisions in the body: 20 bytes of AArch64 code each and their trap sites, 1.3 MB in all. */
  private static final int DIVISIONS = 48_000;

  private static final byte[] MODULE = Wat.toBinaryWithNames(huge(), "huge.wat");

  /** {@code f(x)}: see the class comment; the results for each x are worked out in {@link #expected}. */
  private static String huge() {
    StringBuilder wat = new StringBuilder("""
        (module (func (export "f") (param $x i32) (result i32)
          (local $q i32) (local $k i32) (local $a i64) (local $b i64) (local $v v128)
          (local.set $a (i64.const 1234567))
          (local.set $b (i64.extend_i32_u (local.get $x)))
          (local.set $v (i32x4.add (v128.const i32x4 0x12345678 0x0fedcba9 0x13572468 0x7f00ff01)
                                   (i32x4.splat (local.get $x))))
          (local.set $q (i32.div_u (i32.const 1000) (local.get $x)))
          (block $t0 (block $t1
              (br_table $t0 $t1 $t0 $t1 $t0 $t1 $t0 $t1 $t0 $t1 $t0 $t1 (local.get $x)))
            (local.set $q (i32.add (local.get $q) (i32.const 100))))
          (block $skip
            (br_if $skip (i32.eq (local.get $x) (i32.const 7)))
            (loop $again
        """);
    for (int i = 0; i < DIVISIONS; i++) {
      wat.append("(local.set $a (i64.div_s (local.get $a) (local.get $b)))\n");
    }
    wat.append("""
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $again (i32.lt_u (local.get $k) (i32.const 2))))
            (local.set $q (i32.add (local.get $q) (i32.const 5))))
          (i32.add (i32.add (local.get $q) (i32x4.extract_lane 3 (local.get $v))) (i32.wrap_i64 (local.get $a)))))
        """);
    return wat.toString();
  }

  /**
   * q = 1000 / x, plus 100 where the table sends an odd x, plus 5 unless x is 7 (which skips the
   * body and its loop); lane 3 of the vector is 0x7f00ff01 + x; a is 1234567 divided by x twice per
   * division in the body (0 for x >= 2), or untouched for x = 7.
   */
  private static int expected(int x) {
    long a = x == 7 ? 1234567 : x == 1 ? 1234567 : 0;
    int q = 1000 / x + (x % 2 == 1 ? 100 : 0) + (x == 7 ? 0 : 5);
    return q + 0x7f00ff01 + x + (int) a;
  }

  private static OptionalInt divisionTrapOffset(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = WasmModule.compile(engine, MODULE); Store store = new Store(engine)) {
      IntUnaryOperator f = new Linker(store).instantiate(module).func("f", IntUnaryOperator.class);
      for (int x : new int[] {1, 2, 7}) {
        assertEquals(expected(x), f.applyAsInt(x), target + ", f(" + x + ")");
      }
      Trap trap = assertThrows(Trap.class, () -> f.applyAsInt(0));
      assertEquals("integer divide by zero", trap.reason(), target.toString());
      return trap.backtrace().getFirst().wasmOffset();
    }
  }

  @Test
  void everyShortFieldReachesAcrossAFunctionOfMoreThanAMebibyteOnBothTargets() {
    OptionalInt x64 = divisionTrapOffset(Target.X86_64);
    OptionalInt aarch64 = divisionTrapOffset(Target.AARCH64);
    assertTrue(x64.isPresent(), "the division's trap has a wasm offset");
    // Through its veneer, the division's branch still reaches its own trap site.
    assertEquals(x64, aarch64);
  }
}

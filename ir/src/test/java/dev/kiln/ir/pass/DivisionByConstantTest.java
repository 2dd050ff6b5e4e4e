package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Function;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Division by constants: for divisors around every power of two, small ones, the magic-number
 * corner cases (7, 641, 2^31 - 1 need the 33-bit multiplier or the largest shift) and random ones,
 * the rewritten function run by the IR interpreter gives Java's quotient and remainder (wasm's, spec
 * 4.3.2) for edge and random dividends; the rewrite removes the division where it should and
 * leaves it where it must (divisor 0, signed -1 and INT_MIN, unsigned ones with the top bit set,
 * signed i64).
 */
class DivisionByConstantTest {
  private static final long[] EDGE_DIVIDENDS = {0, 1, 2, 3, 6, 7, 9, 10, 99, 100, 641, 65535,
      65536, 0x7FFF_FFFEL, 0x7FFF_FFFFL, 0x8000_0000L, 0x8000_0001L, 0xFFFF_FFFEL, 0xFFFF_FFFFL,
      -7, -10, -641};

  private static List<Long> divisors(SplittableRandom random) {
    List<Long> ds = new ArrayList<>();
    for (int k = 0; k < 32; k++) {
      for (long delta = -2; delta <= 2; delta++) {
        ds.add((1L << k) + delta);
        ds.add(-(1L << k) + delta);
      }
    }
    for (long d : new long[] {3, 5, 6, 7, 9, 10, 11, 12, 13, 25, 60, 100, 125, 641, 1000, 3600,
        10000, 139968, 1_000_000_007, 0x7FFF_FFFFL, 6700417}) {
      ds.add(d);
      ds.add(-d);
    }
    for (int i = 0; i < 200; i++) {
      ds.add((long) random.nextInt());
      ds.add((long) random.nextInt(1, 1 << 16));
    }
    return ds;
  }

  @Test
  void quotientsAndRemaindersMatchWasmSemantics() {
    SplittableRandom random = new SplittableRandom(20261122);
    List<Long> divisors = divisors(random);
    String[] ops = {"udiv", "urem", "sdiv", "srem"};
    LongBinaryOperator[] reference = {
        (x, d) -> Integer.divideUnsigned((int) x, (int) d),
        (x, d) -> Integer.remainderUnsigned((int) x, (int) d),
        (x, d) -> (int) x / (int) d,
        (x, d) -> (int) x % (int) d};
    int rewritten = 0;
    for (long d : divisors) {
      if ((int) d == 0) {
        continue;
      }
      for (int op = 0; op < ops.length; op++) {
        int o = op;
        boolean signed = o >= 2;
        if (signed && ((int) d == -1 || (int) d == Integer.MIN_VALUE)) {
          continue;
        }
        Function f = divide(ops[o], "i32", (int) d);
        new DivisionByConstant().run(f);
        boolean divides = Printer.print(f).contains(ops[o] + ".");
        if (!divides) {
          rewritten++;
        }
        for (long x : TestOperands.edgesThenRandom(EDGE_DIVIDENDS, 40, random::nextInt)) {
          long expected = (int) reference[o].applyAsLong(x, d);
          long got = (int) Interpreter.run(f, 1_000, (int) x)[0];
          assertEquals(expected, got, () -> ops[o] + ".i32 " + (int) x + ", " + (int) d + ":\n"
              + Printer.print(f));
        }
      }
    }
    assertTrue(rewritten > divisors.size() * 3, "most divisions by constants are rewritten: " + rewritten);
  }

  @Test
  void divisionsThatTrapOrNeedA128BitProductStay() {
    assertRewritten("udiv", "i32", 0, false);
    assertRewritten("sdiv", "i32", -1, false);
    assertRewritten("srem", "i32", -1, false);
    assertRewritten("sdiv", "i32", Integer.MIN_VALUE, false);
    assertRewritten("udiv", "i32", Integer.MIN_VALUE, false); // 2^31: quotient 0 or 1
    assertRewritten("udiv", "i64", 10, true);
    assertRewritten("udiv", "i64", Long.MIN_VALUE, false); // 2^63: quotient 0 or 1
    assertRewritten("sdiv", "i64", 8, false);
    assertRewritten("udiv", "i64", 8, true);
    assertRewritten("urem", "i64", 1L << 40, true);
    assertRewritten("udiv", "i32", 10, true);
    assertRewritten("srem", "i32", -10, true);
  }

  @Test
  void unsigned64BitQuotientsAndRemaindersMatch() {
    SplittableRandom random = new SplittableRandom(64);
    List<Long> divisors = new ArrayList<>();
    for (int k = 1; k < 63; k++) {
      for (long delta = -1; delta <= 1; delta++) {
        divisors.add((1L << k) + delta);
      }
    }
    for (long d : new long[] {3, 7, 10, 100, 1000, 10000, 100000000, 10000000000000000L,
        1_000_000_007, 274177, 0x7FFF_FFFF_FFFF_FFFFL}) {
      divisors.add(d);
    }
    for (int i = 0; i < 100; i++) {
      divisors.add(random.nextLong(2, Long.MAX_VALUE));
      divisors.add(random.nextLong(2, 1L << 20));
    }
    long[] edges = {0, 1, 9, 10, 99, 100, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE,
        -1, -2, -10};
    for (long d : divisors) {
      Function div = divide("udiv", "i64", d);
      Function rem = divide("urem", "i64", d);
      new DivisionByConstant().run(div);
      new DivisionByConstant().run(rem);
      assertFalse(Printer.print(div).contains("udiv."), () -> Printer.print(div));
      for (long x : TestOperands.edgesThenRandom(edges, 40, random::nextLong)) {
        assertEquals(Long.divideUnsigned(x, d), Interpreter.run(div, 1_000, x)[0],
            () -> "udiv.i64 " + Long.toUnsignedString(x) + ", " + d + ":\n" + Printer.print(div));
        assertEquals(Long.remainderUnsigned(x, d), Interpreter.run(rem, 1_000, x)[0],
            () -> "urem.i64 " + Long.toUnsignedString(x) + ", " + d + ":\n" + Printer.print(rem));
      }
    }
  }

  @Test
  void i64PowersOfTwoAreShiftsAndMasks() {
    for (long x : new long[] {0, 1, 12345, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      Function div = divide("udiv", "i64", 1L << 40);
      new DivisionByConstant().run(div);
      assertEquals(x >>> 40, Interpreter.run(div, 100, x)[0]);
      Function rem = divide("urem", "i64", 1L << 40);
      new DivisionByConstant().run(rem);
      assertEquals(x & ((1L << 40) - 1), Interpreter.run(rem, 100, x)[0]);
    }
  }

  /** The 33-bit-multiplier path: 7 has no 32-bit magic at any shift. */
  @Test
  void sevenNeedsTheAddedDividend() {
    DivisionByConstant.Magic magic = DivisionByConstant.unsignedMagic(7, 32);
    assertTrue(magic.addDividend(), magic::toString);
    assertFalse(DivisionByConstant.unsignedMagic(10, 32).addDividend());
  }

  /**
   * The magic numbers, found in long arithmetic, are those of the theorem's definition evaluated in
   * exact integers (below): the smallest shift whose multiplier fits, else the added dividend. Every
   * divisor up to 70,000 that is no power of two, those around each power of two and 2^31 - 1 or
   * 2^63 - 1, and random ones of every width, for 32-bit and 64-bit division.
   */
  @Test
  void theMagicNumbersAreTheTheoremsFoundInExactIntegers() {
    SplittableRandom random = new SplittableRandom(0x6d61676963L);
    List<Long> divisors = new ArrayList<>();
    for (long d = 3; d <= 70_000; d++) {
      divisors.add(d);
    }
    for (int k = 2; k < 63; k++) {
      for (long delta = -3; delta <= 3; delta++) {
        divisors.add((1L << k) + delta);
      }
      for (int i = 0; i < 200; i++) {
        divisors.add((1L << k) + random.nextLong(1L << k));
      }
    }
    int checked = 0;
    for (long d : divisors) {
      if (d < 3 || Long.bitCount(d) == 1) {
        continue;
      }
      for (int bits : new int[] {32, 64}) {
        if (bits == 32 && d >= 1L << 31) {
          continue;
        }
        assertEquals(exactMagic(d, bits), DivisionByConstant.unsignedMagic(d, bits), "d = " + d + ", " + bits + " bits");
        checked++;
      }
    }
    assertTrue(checked > 150_000, "checked " + checked);
  }

  /** Granlund and Montgomery's Theorem 4.2 in BigInteger arithmetic, as unsignedMagic documents it. */
  private static DivisionByConstant.Magic exactMagic(long d, int bits) {
    BigInteger divisor = BigInteger.valueOf(d);
    BigInteger limit = BigInteger.ONE.shiftLeft(bits);
    int l = 64 - Long.numberOfLeadingZeros(d - 1);
    for (int s = 0; s <= l; s++) {
      BigInteger pow = BigInteger.ONE.shiftLeft(bits + s);
      BigInteger m = pow.add(divisor).subtract(BigInteger.ONE).divide(divisor);
      boolean exact = m.multiply(divisor).subtract(pow).compareTo(BigInteger.ONE.shiftLeft(s)) <= 0;
      if (exact && m.compareTo(limit) < 0) {
        return new DivisionByConstant.Magic(m.longValue(), s, false);
      }
    }
    BigInteger pow = BigInteger.ONE.shiftLeft(bits + l);
    BigInteger m = pow.add(divisor).subtract(BigInteger.ONE).divide(divisor);
    return new DivisionByConstant.Magic(m.subtract(limit).longValue(), l, true);
  }

  private static void assertRewritten(String op, String type, long d, boolean expected) {
    Function f = divide(op, type, d);
    new DivisionByConstant().run(f);
    assertEquals(expected, !Printer.print(f).contains(op + "."), () -> Printer.print(f));
  }

  private static Function divide(String op, String type, long d) {
    return Parser.parseFunction("""
        function u0:0(%1$s) -> %1$s {
        block0(v0: %1$s):
            @0010 v1 = iconst.%1$s %2$d
            @0012 v2 = %3$s.%1$s v0, v1
            return v2
        }
        """.formatted(type, d, op));
  }
}

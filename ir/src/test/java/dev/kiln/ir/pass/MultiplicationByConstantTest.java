package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Function;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Multiplication by constants: for every constant around a power of two (and random ones), with
 * the constant as either operand, the rewritten function run by the IR interpreter gives the
 * wrapping product (spec 4.3.2 "imul") for edge and random operands, on i32 and i64; exactly the
 * constants 2^k, 2^k + 1 and 2^k - 1 lose their multiply.
 */
class MultiplicationByConstantTest {

  @Test
  void productsMatchAndOnlyNearPowersOfTwoAreRewritten() {
    SplittableRandom random = new SplittableRandom(20261123);
    for (String type : List.of("i32", "i64")) {
      int bits = type.equals("i32") ? 32 : 64;
      List<Long> constants = new ArrayList<>();
      for (int k = 0; k < bits; k++) {
        for (long delta = -2; delta <= 2; delta++) {
          constants.add((1L << k) + delta);
        }
      }
      for (int i = 0; i < 50; i++) {
        constants.add(random.nextLong());
      }
      for (long c : constants) {
        for (boolean constantFirst : new boolean[] {false, true}) {
          Function f = multiply(type, c, constantFirst);
          new MultiplicationByConstant().run(f);
          long u = bits == 32 ? c & 0xFFFF_FFFFL : c;
          boolean near = u != 0 && u != 1 && (u != -1 && bits == 64 || u != 0xFFFF_FFFFL && bits == 32)
              && (Long.bitCount(u) == 1 || Long.bitCount(u - 1) == 1 || Long.bitCount(u + 1) == 1);
          assertEquals(near, !Printer.print(f).contains("imul."), () -> type + " * " + c + ":\n" + Printer.print(f));
          for (long x : TestOperands.edgesThenRandom(TestOperands.EDGES, 20, random::nextLong)) {
            long expected = bits == 32 ? (int) x * (int) c : x * c;
            long got = Interpreter.run(f, 100, bits == 32 ? (long) (int) x : x)[0];
            assertEquals(expected, bits == 32 ? (long) (int) got : got,
                () -> type + " " + x + " * " + c + ":\n" + Printer.print(f));
          }
        }
      }
    }
  }

  private static Function multiply(String type, long c, boolean constantFirst) {
    long imm = type.equals("i32") ? (int) c : c;
    return Parser.parseFunction("""
        function u0:0(%1$s) -> %1$s {
        block0(v0: %1$s):
            @0010 v1 = iconst.%1$s %2$d
            @0012 v2 = imul.%1$s %3$s
            return v2
        }
        """.formatted(type, imm, constantFirst ? "v1, v0" : "v0, v1"));
  }
}

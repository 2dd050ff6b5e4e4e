package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Function;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Arithmetic simplification against the IR interpreter: every binary integer operator on i32 and
 * i64, with a constant from around the identities and absorbing elements (and the shift widths)
 * as either operand, and with the same value as both operands, gives the same result after the
 * pass as before, for edge and random operands; exactly the cases the identities name lose their
 * operator; and a division by a constant zero stays, so the program still traps.
 */
class ArithmeticSimplificationTest {
  private static final List<String> OPERATORS = List.of("iadd", "isub", "imul", "band", "bor", "bxor",
      "ishl", "sshr", "ushr", "rotl", "rotr", "sdiv", "udiv", "srem", "urem");
  private static final long[] CONSTANTS = {0, 1, -1, 2, 31, 32, 33, 63, 64, 65, 96, 128,
      0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 1L << 32, Long.MIN_VALUE, Long.MAX_VALUE};

  @Test
  void aConstantOperandGivesTheSameResultsAndOnlyIdentitiesLoseTheirOperator() {
    SplittableRandom random = new SplittableRandom(20261129);
    for (String type : List.of("i32", "i64")) {
      int bits = type.equals("i32") ? 32 : 64;
      for (String op : OPERATORS) {
        for (long constant : CONSTANTS) {
          long c = bits == 32 ? (int) constant : constant;
          for (boolean constantFirst : new boolean[] {false, true}) {
            String body = "    v1 = iconst.%1$s %2$d\n    v2 = %3$s.%1$s %4$s\n"
                .formatted(type, c, op, constantFirst ? "v1, v0" : "v0, v1");
            boolean simplified = identity(op, c, bits, constantFirst);
            checkSameResults(type, body, op, simplified, random);
          }
        }
      }
    }
  }

  @Test
  void theSameValueOnBothSidesGivesTheSameResults() {
    SplittableRandom random = new SplittableRandom(2026112901);
    for (String type : List.of("i32", "i64")) {
      for (String op : OPERATORS) {
        String body = "    v2 = %2$s.%1$s v0, v0\n".formatted(type, op);
        boolean simplified = List.of("isub", "bxor", "band", "bor").contains(op);
        checkSameResults(type, body, op, simplified, random);
      }
      for (String cc : List.of("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")) {
        Function f = Parser.parseFunction("""
            function u0:0(%1$s) -> i32 {
            block0(v0: %1$s):
                v2 = icmp %2$s v0, v0
                return v2
            }
            """.formatted(type, cc));
        new ArithmeticSimplification().run(f);
        long expected = List.of("eq", "sle", "sge", "ule", "uge").contains(cc) ? 1 : 0;
        assertTrue(!Printer.print(f).contains("icmp"), () -> Printer.print(f));
        assertEquals(expected, Interpreter.run(f, 100, random.nextLong())[0], cc);
      }
    }
  }

  @Test
  void constantOperandsFoldAndADivisionThatTrapsStays() {
    Function f = Parser.parseFunction("""
        function u0:0() -> i32, i32, i32 {
        block0:
            v0 = iconst.i32 6
            v1 = iconst.i32 7
            v2 = imul.i32 v0, v1
            v3 = iconst.i32 0
            v4 = iadd.i32 v2, v3
            v5 = udiv.i32 v0, v3
            return v2, v4, v5
        }
        """);
    new ArithmeticSimplification().run(f);
    String printed = Printer.print(f);
    assertTrue(printed.contains("v2 = iconst.i32 42"), printed);
    assertTrue(printed.contains("udiv.i32"), printed);
    assertTrue(!printed.contains("imul") && !printed.contains("iadd"), printed);
    assertThrows(Interpreter.Trap.class, () -> Interpreter.run(f, 100));
  }

  /** Whether {@code op} with constant {@code c} (the first operand when {@code constantFirst}) decides its result. */
  private static boolean identity(String op, long c, int bits, boolean constantFirst) {
    return switch (op) {
      case "iadd", "bxor" -> c == 0;
      case "bor" -> c == 0 || c == -1;
      case "isub" -> c == 0 && !constantFirst;
      case "imul" -> c == 0 || c == 1;
      case "band" -> c == 0 || c == -1;
      case "ishl", "sshr", "ushr", "rotl", "rotr" -> constantFirst ? c == 0 : (c & (bits - 1)) == 0;
      default -> false;
    };
  }

  /**
   * Runs {@code body} (which defines {@code v2} from parameter {@code v0}) before and after the
   * pass on edge and random operands, and checks whether {@code op} is gone.
   */
  private static void checkSameResults(String type, String body, String op, boolean simplified,
      SplittableRandom random) {
    String text = """
        function u0:0(%1$s) -> %1$s {
        block0(v0: %1$s):
        %2$s    return v2
        }
        """.formatted(type, body);
    Function before = Parser.parseFunction(text);
    Function after = Parser.parseFunction(text);
    new ArithmeticSimplification().run(after);
    String printed = Printer.print(after);
    assertEquals(simplified, !printed.contains(" " + op + "."), () -> text + "became\n" + printed);
    for (long x : TestOperands.edgesThenRandom(TestOperands.EDGES, 10, random::nextLong)) {
      long arg = type.equals("i32") ? (int) x : x;
      Object expected = result(before, arg, type);
      assertEquals(expected, result(after, arg, type), () -> text + "became\n" + printed + "for " + arg);
    }
  }

  /** The function's result for {@code arg} (an i32 sign-extended), or "trap". */
  private static Object result(Function f, long arg, String type) {
    try {
      long r = Interpreter.run(f, 100, arg)[0];
      return type.equals("i32") ? (long) (int) r : r;
    } catch (Interpreter.Trap trap) {
      return "trap";
    }
  }
}

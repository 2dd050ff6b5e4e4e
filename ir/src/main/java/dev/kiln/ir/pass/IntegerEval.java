package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;

/**
 * Wasm integer semantics on constants (WebAssembly spec 4.3.2), shared by passes that evaluate
 * instructions. I32 operands arrive sign-extended in a long (how {@code iconst.i32} stores them).
 */
final class IntegerEval {
  private IntegerEval() {}

  /**
   * The value {@code inst} computes from constant operands {@code c}, or null when it would trap
   * or is not an integer operation this evaluator knows.
   */
  static Long evaluate(DataFlowGraph dfg, int inst, Type type, long[] c) {
    Opcode op = dfg.opcode(inst);
    boolean i32 = type == Type.I32;
    long x = c[0];
    long y = c.length > 1 ? c[1] : 0;
    return switch (op) {
      case IADD -> x + y;
      case ISUB -> x - y;
      case IMUL -> x * y;
      case UMULHI -> Math.unsignedMultiplyHigh(x, y);
      case BAND -> x & y;
      case BOR -> x | y;
      case BXOR -> x ^ y;
      case SDIV -> y == 0 || (y == -1 && x == (i32 ? Integer.MIN_VALUE : Long.MIN_VALUE))
          ? null : x / y;
      case SREM -> y == 0 ? null : (y == -1 ? 0 : x % y);
      case UDIV -> y == 0 ? null
          : i32 ? Integer.toUnsignedLong(Integer.divideUnsigned((int) x, (int) y))
              : Long.divideUnsigned(x, y);
      case UREM -> y == 0 ? null
          : i32 ? Integer.toUnsignedLong(Integer.remainderUnsigned((int) x, (int) y))
              : Long.remainderUnsigned(x, y);
      // Shift counts are taken modulo the width (spec: "ishl_N(i1, i2) ... k = i2 mod N").
      case ISHL -> i32 ? (long) ((int) x << (int) y) : x << y;
      case SSHR -> i32 ? (long) ((int) x >> (int) y) : x >> y;
      case USHR -> i32 ? (long) ((int) x >>> (int) y) : x >>> y;
      case ROTL -> i32 ? (long) Integer.rotateLeft((int) x, (int) y) : Long.rotateLeft(x, (int) y);
      case ROTR -> i32 ? (long) Integer.rotateRight((int) x, (int) y)
          : Long.rotateRight(x, (int) y);
      case CLZ -> (long) (i32 ? Integer.numberOfLeadingZeros((int) x)
          : Long.numberOfLeadingZeros(x));
      case CTZ -> (long) (i32 ? Integer.numberOfTrailingZeros((int) x)
          : Long.numberOfTrailingZeros(x));
      case POPCNT -> (long) (i32 ? Integer.bitCount((int) x) : Long.bitCount(x));
      case EQZ -> (i32 ? (int) x == 0 : x == 0) ? 1L : 0L;
      case ICMP -> dfg.intCC(inst).evaluate(type, x, y) ? 1L : 0L;
      case SEXTEND -> (long) (int) x;
      case UEXTEND -> x & 0xFFFF_FFFFL;
      case IREDUCE -> (long) (int) x;
      case EXTEND8_S -> (long) (byte) x;
      case EXTEND16_S -> (long) (short) x;
      case EXTEND32_S -> (long) (int) x;
      default -> null;
    };
  }

  /**
   * Rewrites {@code inst}, a unary, binary or comparing instruction, into the {@code iconst} of its
   * value when every operand is an {@code iconst} and the evaluation neither traps nor falls outside
   * what {@link #evaluate} knows; its result keeps its number, so no use changes. Returns whether
   * it did.
   */
  static boolean foldInPlace(DataFlowGraph dfg, int inst) {
    int n = dfg.argCount(inst);
    for (int a = 0; a < n; a++) {
      if (ConstantFolding.constDef(dfg, dfg.arg(inst, a)) < 0) {
        return false; // asked of most instructions of a function: no array for them
      }
    }
    long[] c = new long[n];
    for (int a = 0; a < n; a++) {
      c[a] = dfg.imm(ConstantFolding.constDef(dfg, dfg.arg(inst, a)));
    }
    Long folded = evaluate(dfg, inst, dfg.valueType(dfg.arg(inst, 0)), c);
    if (folded == null) {
      return false;
    }
    Type resultType = dfg.valueType(dfg.firstResult(inst));
    long bits = resultType == Type.I32 ? (int) (long) folded : folded;
    dfg.replaceInst(inst, Opcode.ICONST, resultType, bits, 0, new int[0], null);
    return true;
  }

  /** Whether {@code index + end <= bound}, unsigned and without wrapping. */
  static boolean inBounds(long index, long end, long bound) {
    long sum = index + end;
    boolean overflow = Long.compareUnsigned(sum, index) < 0;
    return !overflow && Long.compareUnsigned(sum, bound) <= 0;
  }
}

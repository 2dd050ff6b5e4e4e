package dev.kiln.ir.analysis;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;

/**
 * The unsigned values an integer SSA value can take, {@code [min, max]} with both ends compared
 * unsigned, read from the value's definition alone (no control flow, so it holds wherever the
 * value is used). Wasm code indexes lookup tables with bytes, masked and shifted values ({@code
 * table[(b >> 4) & 15]}, crc and base64 tables, ctype classes): with a constant table address their
 * whole range is known, and when it lies below a memory's minimum size no access through it can
 * be out of bounds (memories never shrink, spec 4.2.8), which is how the translator drops such
 * checks.
 *
 * <p>The rules are the unsigned ones of each operator, giving up (the whole range of the type)
 * where a result may wrap: {@code iadd} and {@code imul} of ranges whose largest result fits,
 * {@code ishl} by a constant that shifts no set bit out, {@code ushr} by a constant, {@code band}
 * (at most the smaller maximum), {@code urem} by a constant (below it), zero-extending loads and
 * {@code uextend} (the narrower type's range), compares ({@code [0, 1]}). Block parameters, and
 * definitions deeper than {@value #DEPTH_LIMIT} instructions, get the whole range.
 *
 * @param min the smallest value, unsigned
 * @param max the largest value, unsigned
 */
public record UnsignedRange(long min, long max) {
  /** How many definitions the recursion follows before it gives up. */
  static final int DEPTH_LIMIT = 8;

  // The ranges every walk ends in, made once: a memory access's walk visits up to 2^DEPTH_LIMIT
  // definitions (two operands per step), most of them ending in a whole type's range.
  private static final UnsignedRange FULL_I32 = new UnsignedRange(0, 0xFFFF_FFFFL);
  private static final UnsignedRange FULL_I64 = new UnsignedRange(0, -1L);
  private static final UnsignedRange BOOLEAN = new UnsignedRange(0, 1);
  private static final UnsignedRange BYTE = new UnsignedRange(0, 0xFF);
  private static final UnsignedRange HALFWORD = new UnsignedRange(0, 0xFFFF);

  /** The range of {@code value}, an {@code i32} or {@code i64}, from its definition. */
  public static UnsignedRange of(DataFlowGraph dfg, int value) {
    return of(dfg, dfg.resolveAliases(value), DEPTH_LIMIT);
  }

  /** Every value of {@code type}. */
  public static UnsignedRange full(Type type) {
    return type == Type.I32 ? FULL_I32 : FULL_I64;
  }

  private static long mask(Type type) {
    return type == Type.I32 ? 0xFFFF_FFFFL : -1L;
  }

  private static UnsignedRange of(DataFlowGraph dfg, int value, int depth) {
    Type type = dfg.valueType(value);
    UnsignedRange full = full(type);
    if (depth == 0 || dfg.valueKind(value) != DataFlowGraph.VALUE_RESULT) {
      return full;
    }
    int inst = dfg.valueDef(value);
    Opcode op = dfg.opcode(inst);
    long mask = mask(type);
    return switch (op) {
      case ICONST -> new UnsignedRange(dfg.imm(inst) & mask, dfg.imm(inst) & mask);
      case ICMP, EQZ -> BOOLEAN;
      case ULOAD8 -> BYTE;
      case ULOAD16 -> HALFWORD;
      case ULOAD32 -> FULL_I32;
      case UEXTEND -> of(dfg, dfg.resolveAliases(dfg.arg(inst, 0)), depth - 1);
      case IADD -> {
        UnsignedRange a = operand(dfg, inst, 0, depth);
        UnsignedRange b = operand(dfg, inst, 1, depth);
        long max = a.max + b.max;
        boolean wraps = Long.compareUnsigned(max, a.max) < 0
            || Long.compareUnsigned(max, mask) > 0;
        yield wraps ? full : new UnsignedRange(a.min + b.min, max);
      }
      case IMUL -> {
        UnsignedRange a = operand(dfg, inst, 0, depth);
        UnsignedRange b = operand(dfg, inst, 1, depth);
        boolean wraps = Math.unsignedMultiplyHigh(a.max, b.max) != 0
            || Long.compareUnsigned(a.max * b.max, mask) > 0;
        yield wraps ? full : new UnsignedRange(a.min * b.min, a.max * b.max);
      }
      case BAND -> new UnsignedRange(0, unsignedMin(operand(dfg, inst, 0, depth).max,
          operand(dfg, inst, 1, depth).max));
      case USHR, ISHL -> {
        UnsignedRange amount = operand(dfg, inst, 1, depth);
        if (amount.min != amount.max) {
          yield full;
        }
        // Wasm shifts count modulo the width (spec 4.3.2 ishl, ishr_u).
        int shift = (int) (amount.min & (type.bits() - 1));
        UnsignedRange a = operand(dfg, inst, 0, depth);
        if (op == Opcode.USHR) {
          yield new UnsignedRange(a.min >>> shift, a.max >>> shift);
        }
        boolean shiftsOut = ((a.max << shift) & mask) >>> shift != a.max;
        yield shiftsOut ? full : new UnsignedRange(a.min << shift, a.max << shift);
      }
      case UREM -> {
        UnsignedRange divisor = operand(dfg, inst, 1, depth);
        // A zero divisor traps (spec 4.3.2 irem_u), so a result exists only below the divisor.
        yield divisor.max == 0 ? full : new UnsignedRange(0, unsignedMin(
            divisor.max - 1, operand(dfg, inst, 0, depth).max));
      }
      default -> full;
    };
  }

  private static UnsignedRange operand(DataFlowGraph dfg, int inst, int index, int depth) {
    return of(dfg, dfg.resolveAliases(dfg.arg(inst, index)), depth - 1);
  }

  private static long unsignedMin(long a, long b) {
    return Long.compareUnsigned(a, b) <= 0 ? a : b;
  }

  /**
   * Whether every access of {@code end} bytes at an index in this range ends at or below {@code
   * bound}: {@code max + end <= bound}, unsigned and without overflow (the test of {@code
   * bounds_check}).
   */
  public boolean endsWithin(long end, long bound) {
    long last = max + end;
    return Long.compareUnsigned(last, max) >= 0 && Long.compareUnsigned(last, bound) <= 0;
  }
}

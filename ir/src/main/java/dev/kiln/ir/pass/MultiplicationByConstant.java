package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.Set;

/**
 * Integer multiplication by a constant next to a power of two as a shift and an add or subtract:
 * a multiply costs 3 cycles of latency on x86-64 and 3-4 on AArch64 cores, a shift and an add 1
 * each, and a multiply by a constant often sits on a loop's critical path (a hash or a linear
 * recurrence such as {@code acc = acc * 31 + i}, which gcc -O2 compiles the same way). Decided once
 * here, for every ISA: {@code x * (2^k + 1)} becomes {@code x + (x << k)}, which both backends fold
 * into one instruction (x86-64 {@code lea} for k up to 3, AArch64 {@code add} with a shifted
 * register), {@code x * (2^k - 1)} becomes {@code (x << k) - x}, and {@code x * 2^k} a shift.
 *
 * <p>Wasm's {@code i32.mul} and {@code i64.mul} wrap (spec 4.3.2 "imul": the product modulo
 * 2^N), as do the shift ({@code ishl}, modulo 2^N for k below N) and the add and subtract, so the
 * identities hold for every operand and every constant read as an unsigned N-bit number. Left alone:
 * 0 and 1 ({@link ArithmeticSimplification}'s), all ones (a negation), and every other constant.
 */
public final class MultiplicationByConstant extends InstructionRewrite {
  /** The pass has no configuration. */
  public MultiplicationByConstant() {
    super(Set.of(Opcode.IMUL));
  }

  @Override
  public String name() {
    return "mulconst";
  }

  /** Rewrites {@code inst} if it multiplies by a constant it handles. */
  @Override
  void rewrite(DataFlowGraph dfg, Layout layout, int inst) {
    int x = dfg.arg(inst, 0);
    int constDef = ConstantFolding.constDef(dfg, dfg.arg(inst, 1));
    if (constDef < 0) {
      x = dfg.arg(inst, 1);
      constDef = ConstantFolding.constDef(dfg, dfg.arg(inst, 0));
      if (constDef < 0) {
        return;
      }
    }
    Type type = dfg.valueType(dfg.firstResult(inst));
    int bits = type == Type.I64 ? 64 : 32;
    long c = type == Type.I64 ? dfg.imm(constDef) : dfg.imm(constDef) & 0xFFFF_FFFFL;
    InsertionPoint e = new InsertionPoint(dfg, layout, inst);
    int result;
    if (isPowerOfTwo(c - 1, 1, bits)) {
      // 2^k + 1: x + (x << k), the shifted operand second, where the backends fold it.
      result = e.op(Opcode.IADD, type, x, shift(e, type, x, c - 1));
    } else if (isPowerOfTwo(c + 1, 2, bits)) {
      // 2^k - 1: (x << k) - x.
      result = e.op(Opcode.ISUB, type, shift(e, type, x, c + 1), x);
    } else if (isPowerOfTwo(c, 1, bits)) {
      result = shift(e, type, x, c);
    } else {
      return;
    }
    replace(dfg, layout, inst, result);
  }

  /** Whether {@code v} is 2^k for {@code min <= k < bits}. */
  private static boolean isPowerOfTwo(long v, int min, int bits) {
    int k = Long.numberOfTrailingZeros(v);
    return Long.bitCount(v) == 1 && k >= min && k < bits;
  }

  /** {@code x << log2(power)}. */
  private static int shift(InsertionPoint e, Type type, int x, long power) {
    return e.op(Opcode.ISHL, type, x, e.iconst(type, Long.numberOfTrailingZeros(power)));
  }
}

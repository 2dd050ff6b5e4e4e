package dev.kiln.codegen.regalloc;

import java.util.List;

/**
 * Every instruction's operands in flat arrays, read once from {@link RegAllocFunction#instOperands}:
 * instruction {@code i}'s operands are {@code operands[start[i]]} to {@code operands[start[i + 1] - 1]},
 * in the function's order, and {@code vregs[k]} is the vreg index of {@code operands[k]}.
 *
 * <p>Why: the allocator walks the operands in about ten passes (validation, liveness twice, interval
 * building twice, the reuse and move hints, resolution twice, the redundant-move walk). Through the
 * {@code List<Operand>} views each read was an interface call to the function, then to an immutable
 * list (two list classes, so no inline cache holds) and its {@code Objects.checkIndex}; the compiler
 * runs under C1, which inlines none of them (about 6.5% of a large module's compile samples). An
 * array read is a bounds-checked load.
 */
final class InstOperands {
  /** Where instruction {@code i}'s operands begin; {@code start[numInsts]} is the total. */
  final int[] start;
  /** All operands, instruction by instruction. */
  final Operand[] operands;
  /** {@code operands[k].vreg().index()}, the field most passes want. */
  final int[] vregs;
  /**
   * {@code operands[k].kind() == DEF}: the passes that only sort reads from writes (liveness's three,
   * resolution's, the redundant-move walk's) scan this array instead of loading every operand record.
   */
  final boolean[] isDef;

  private InstOperands(int[] start, Operand[] operands, int[] vregs, boolean[] isDef) {
    this.start = start;
    this.operands = operands;
    this.vregs = vregs;
    this.isDef = isDef;
  }

  static InstOperands of(RegAllocFunction f) {
    int n = f.numInsts();
    int[] start = new int[n + 1];
    int total = 0;
    for (int i = 0; i < n; i++) {
      start[i] = total;
      total += f.instOperands(i).size();
    }
    start[n] = total;
    Operand[] operands = new Operand[total];
    int[] vregs = new int[total];
    boolean[] isDef = new boolean[total];
    for (int i = 0; i < n; i++) {
      List<Operand> ops = f.instOperands(i);
      int base = start[i];
      for (int k = 0; k < ops.size(); k++) {
        Operand o = ops.get(k);
        operands[base + k] = o;
        vregs[base + k] = o.vreg().index();
        isDef[base + k] = o.kind() == OperandKind.DEF;
      }
    }
    return new InstOperands(start, operands, vregs, isDef);
  }

  /** How many operands instruction {@code inst} has. */
  int count(int inst) {
    return start[inst + 1] - start[inst];
  }
}

package dev.kiln.codegen.regalloc;

/**
 * Position arithmetic shared by liveness, the scan and resolution. Instruction {@code i} occupies
 * EARLY point {@code 2i} and LATE point {@code 2i+1}; a block of instructions {@code [f, e)} covers
 * positions {@code [2f, 2e)}. Moves only happen in the gap before an EARLY point, so a piece that gets
 * a register from a split starts at an even position; a piece that moves to the vreg's own spill slot
 * may start at an odd one (the store goes in the gap before the instruction, and nobody else writes
 * that slot).
 */
final class Positions {
  private Positions() {}

  static int early(int inst) {
    return 2 * inst;
  }

  static int late(int inst) {
    return 2 * inst + 1;
  }

  static int inst(int pos) {
    return pos >> 1;
  }

  /** The gap position at or before {@code pos}: where a move serving {@code pos} goes. */
  static int evenFloor(int pos) {
    return pos == Integer.MAX_VALUE ? pos : pos & ~1;
  }

  static int of(int inst, OperandKind kind, OperandPos pos, OperandConstraint c) {
    // A reused output is written over its input, so it is live from the EARLY point.
    if (kind == OperandKind.DEF && c instanceof OperandConstraint.Reuse) {
      return early(inst);
    }
    return pos == OperandPos.EARLY ? early(inst) : late(inst);
  }
}

package dev.kiln.compiler.translate;

/**
 * What one function's GC references may cost around its safepoints while they are spilled ({@link
 * SafepointSpills}): a store before and a load after each safepoint for each reference live across
 * it (reference locals, references on the operand stack below the call's operands, the exceptions
 * legacy {@code catch} clauses hold), and a merge parameter at each join that a reloaded value
 * reaches. Spilled, N references live across M safepoints cost N x M, and N references reloaded
 * inside D nested constructs cost N x D parameters, where N can be a thousand references that one
 * two-byte {@code call} left on the stack (red team 19 F5, red team 29 F2). Past the budget, or
 * past the IR it allows ({@link #irAllowance}), the function is translated again with every such
 * reference frame-resident instead ({@link GcSafepoints}: a fixed slot each, no code per
 * safepoint), whose cost is linear in the body.
 *
 * <p>The budget is {@link #PER_BODY_BYTE} per byte of the body, and at least {@link #MIN}: what real
 * code spends stays well below it (bench/gc's programs and the GC and exception spec scripts compile
 * as they did), so only a function whose references outnumber what its bytes pay for gets the
 * frame-resident form.
 */
final class SpillBudget {
  /** The least budget, whatever the body's size. */
  static final long MIN = 1024;
  /** The budget per byte of the body. */
  static final long PER_BODY_BYTE = 4;

  /**
   * Thrown by {@link #charge} once the function has spent its budget: its translation is abandoned
   * and begun again in the frame-resident form. No stack trace: it is control flow, not an error.
   */
  static final class Passed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Passed() {
      super("the function's GC references cost more spills than its budget", null, false, false);
    }
  }

  private final long limit;
  private long spent;

  SpillBudget(long bodyBytes) {
    this.limit = limitFor(bodyBytes);
  }

  /** The budget of a body of {@code bodyBytes} bytes. */
  static long limitFor(long bodyBytes) {
    return Math.max(MIN, PER_BODY_BYTE * Math.max(bodyBytes, 0));
  }

  /**
   * More IR than a spill brings with it (a store before the safepoint and a load after it, each
   * with its slot's address, and the merge parameters of the joins after it: 20-23 units in the
   * frame-resident tests' allocation-heavy functions, with their allocation code), so a spilled
   * form within its budget stays under this many units a spill of the budget.
   */
  static final long IR_UNITS_PER_SPILL = 32;

  /**
   * The IR a spilled form of a body of {@code bodyBytes} bytes may make before it is taken for one
   * past its budget: {@link #IR_UNITS_PER_SPILL} for each spill of the budget, and at least the
   * module's share of IR for the function ({@link IrSizeLimit#moduleShare}).
   */
  static long irAllowance(long bodyBytes) {
    return Math.max(IrSizeLimit.moduleShare(bodyBytes), IR_UNITS_PER_SPILL * limitFor(bodyBytes));
  }

  /** The spills spent so far. */
  long spent() {
    return spent;
  }

  /** Spends {@code spills} more; throws {@link Passed} when the total passes the budget. */
  void charge(long spills) {
    spent += spills;
    if (spent > limit) {
      throw new Passed();
    }
  }
}

package dev.kiln.codegen.regalloc;

/**
 * What register allocation left in a function's code, counted statically: stores of a register into
 * a spill slot, reloads from a slot, and register-to-register copies (the allocator's own moves plus
 * the lowering's copies it could not coalesce). Each also counted for instructions inside a loop
 * (loop depth at least 1, natural loops as {@link LoopNest} finds them), where a move runs once per
 * iteration: those are the ones that cost time. The numbers are deterministic, so an allocator change
 * can be compared A/B on the same module without a clock.
 *
 * @param spillStores register-to-slot moves
 * @param reloads slot-to-register moves
 * @param copies register-to-register moves
 * @param loopSpillStores spill stores inside a loop
 * @param loopReloads reloads inside a loop
 * @param loopCopies copies inside a loop
 */
public record MoveCounts(int spillStores, int reloads, int copies, int loopSpillStores, int loopReloads,
    int loopCopies) {
  /** No moves: trampolines and other code that is not register-allocated. */
  public static final MoveCounts NONE = new MoveCounts(0, 0, 0, 0, 0, 0);

  /** The sum of both counts, field by field (a module's total). */
  public MoveCounts plus(MoveCounts o) {
    return new MoveCounts(spillStores + o.spillStores, reloads + o.reloads, copies + o.copies,
        loopSpillStores + o.loopSpillStores, loopReloads + o.loopReloads, loopCopies + o.loopCopies);
  }

  /**
   * Whether every count is zero. Field by field, not {@code equals(NONE)}: a record's {@code equals}
   * goes through {@code ObjectMethods}' method-handle chain, which C1 (all that compiles a small
   * module's {@code kiln compile}) does not inline; asked once per compiled function, it was 11% of
   * the CPU of compiling 50,000 one-line functions.
   */
  public boolean isEmpty() {
    return spillStores == 0 && reloads == 0 && copies == 0 && loopSpillStores == 0 && loopReloads == 0
        && loopCopies == 0;
  }

  /**
   * One line of text, e.g. {@code "spill stores 12 (in loops 3), reloads 20 (5), copies 40 (9)"}, the
   * form {@code kiln compile -v} and the benchmarks print.
   */
  public String describe() {
    return "spill stores " + spillStores + " (in loops " + loopSpillStores + "), reloads " + reloads
        + " (" + loopReloads + "), copies " + copies + " (" + loopCopies + ")";
  }
}

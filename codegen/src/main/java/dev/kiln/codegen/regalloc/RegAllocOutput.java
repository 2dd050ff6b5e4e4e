package dev.kiln.codegen.regalloc;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The allocator's result (regalloc2's {@code Output}).
 *
 * <p>The lowering emits, for each instruction {@code i} in order: the edits at
 * {@code ProgPoint.before(i)}, the instruction with {@code allocations(i)} substituted for its
 * operands (same order as {@link RegAllocFunction#instOperands}), then the edits at
 * {@code ProgPoint.after(i)}. Edits at one point run in list order.
 *
 * @param allocations per instruction, one allocation per operand
 * @param edits inserted moves, sorted by program point
 * @param spillSlotCounts number of spill slots per class (indices {@code 0..count-1})
 * @param calleeSavedUsed callee-saved registers written anywhere (operands, edits, scratch use)
 * @param loopHeaders the blocks that head a natural loop (the target of an edge from a block it
 *     dominates), which the emitter aligns; a block that a cold block laid out later jumps back to
 *     (an allocation's slow path, a lazy table slot's initialisation) is no loop and is not padded
 * @param stats counts for tests and tuning
 */
public record RegAllocOutput(
    List<List<Allocation>> allocations,
    List<Edit> edits,
    Map<RegClass, Integer> spillSlotCounts,
    PRegSet calleeSavedUsed,
    BitSet loopHeaders,
    Stats stats) {

  /**
   * Counters describing how much work the allocation took and left in the code.
   *
   * @param intervals vregs with a lifetime
   * @param splits pieces cut off by splitting
   * @param spilledPieces pieces living in a spill slot
   * @param spilledVRegs vregs with a spill slot (they share {@code spillSlots} slots)
   * @param moves edits inserted
   * @param moveCounts the stores, reloads and copies the code will execute, by kind and in loops
   * @param livenessVisits the liveness walks' steps, one per edge per vreg live into the edge's
   *     target block: the work that grows with live values times edges
   * @param slotHoldingWords the 64-bit words of the spill-store analysis's per-block sets (blocks x
   *     spilled vregs, bounded: 0 past the bound)
   * @param intersectionSteps the steps the linear scan's questions took asking where a piece meets
   *     the pieces a register holds ({@code RegisterOccupancy})
   * @param scanVisits the active and inactive pieces the linear scan's steps looked at
   * @param locateSteps the pieces looked at finding a vreg's piece by position (the scan's hints,
   *     resolution, splits)
   * @param blockedSteps the steps the linear scan took finding where a piece first meets a
   *     register's blocked ranges (fixed operands, clobbers): the ranges it looked at and the
   *     searches it made
   * @param registerQuestions the registers the linear scan asked where they stop being free for the
   *     piece it placed: every allocatable register for a piece that must evict or be split, for
   *     one that fits whole, the registers tried up to the one it got
   * @param crossingSearches the control-flow edges whose vregs that may change location across them
   *     resolution searched for ({@code EdgeCrossings}): each edge once, for the spill-store analysis
   *     and the edge moves alike
   * @param scans the register classes the linear scan ran for: those the function has pieces of
   */
  public record Stats(int intervals, int splits, int spilledPieces, int spilledVRegs, int moves,
      MoveCounts moveCounts, long livenessVisits, long slotHoldingWords, long intersectionSteps,
      long scanVisits, long locateSteps, long blockedSteps, long registerQuestions, long crossingSearches,
      int scans) {}

  public RegAllocOutput {
    if (!(allocations instanceof OperandAllocations)) {
      allocations = immutableLists(allocations);
    }
    edits = List.copyOf(edits);
    spillSlotCounts = Map.copyOf(spillSlotCounts);
    loopHeaders = (BitSet) loopHeaders.clone();
  }

  /**
   * {@code lists} and each of its lists as immutable lists (the allocator's own, {@link
   * OperandAllocations}, are not asked). Immutable ones are kept without a copy (List.copyOf returns
   * such a list itself): copying one list per instruction into a new outer list was 1% of the
   * allocator's samples on yosys's compile.
   */
  private static List<List<Allocation>> immutableLists(List<List<Allocation>> lists) {
    List<List<Allocation>> outer = List.copyOf(lists);
    // A loop, not a stream: one list per instruction, and C1 inlines no stream stage.
    for (int i = 0; i < outer.size(); i++) {
      List<Allocation> inner = outer.get(i);
      if (List.copyOf(inner) != inner) {
        List<List<Allocation>> copied = new java.util.ArrayList<>(outer.size());
        for (int k = 0; k < outer.size(); k++) {
          copied.add(List.copyOf(outer.get(k)));
        }
        return List.copyOf(copied);
      }
    }
    return outer;
  }

  @Override
  public BitSet loopHeaders() {
    return (BitSet) loopHeaders.clone();
  }

  /** Whether {@code block} heads a natural loop. */
  public boolean isLoopHeader(int block) {
    return loopHeaders.get(block);
  }

  public List<Allocation> allocations(int inst) {
    return allocations.get(inst);
  }

  /** Each instruction's allocations, asked for in turn ({@link #allocationsInTurn}). */
  @FunctionalInterface
  public interface InTurn {
    /**
     * Instruction {@code inst}'s allocations, which the next call may replace: a walk over the
     * instructions reads each one's before it asks for the next's, and keeps none.
     */
    List<Allocation> of(int inst);
  }

  /**
   * The allocations for a walk over the instructions that is done with each one's before it asks for
   * the next's (emission): one list for the walk, where {@link #allocations(int)} makes one per
   * instruction.
   */
  public InTurn allocationsInTurn() {
    return OperandAllocations.inTurn(allocations);
  }

  public Allocation allocation(int inst, int operandIndex) {
    return allocations.get(inst).get(operandIndex);
  }

  public int spillSlots(RegClass c) {
    return spillSlotCounts.getOrDefault(c, 0);
  }
}

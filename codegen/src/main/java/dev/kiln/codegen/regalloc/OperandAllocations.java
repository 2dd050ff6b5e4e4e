package dev.kiln.codegen.regalloc;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Resolution's operand allocations, every instruction's in the one array it filled for the function,
 * instruction {@code i}'s from {@code start[i]} to {@code start[i + 1]} (the layout of {@link
 * InstOperands}). {@link RegAllocOutput} keeps them as they are: immutable through and through by
 * construction, where a list of unknown kind costs a check of every instruction's list ({@code
 * List.copyOf}), and making the array a {@code List.of} a copy of it: per function, a load of every
 * instruction's list header and the copy (0.3% of the samples of yosys's compile).
 *
 * <p>An instruction's list is made when it is asked for ({@link #get}); the walks over every
 * instruction (emission, the redundant-move walk) read them through one {@link Window} instead, moved
 * from instruction to instruction ({@link #inTurn}): a list made per instruction was 2.3% of yosys's
 * sampled allocation.
 */
final class OperandAllocations extends AbstractList<List<Allocation>> implements RandomAccess {
  private final Allocation[] allocations;
  private final int[] start;

  /**
   * Takes {@code allocations}, one per operand and none null (resolution gives every operand one),
   * and {@code start}, where each instruction's begin and at the end their total: arrays their caller
   * no longer changes.
   */
  OperandAllocations(Allocation[] allocations, int[] start) {
    this.allocations = allocations;
    this.start = start;
  }

  @Override
  public List<Allocation> get(int inst) {
    return new Window(allocations).at(start, Objects.checkIndex(inst, size()));
  }

  @Override
  public int size() {
    return start.length - 1;
  }

  /**
   * Each instruction's allocations of {@code lists} in turn, through one list when they are the
   * allocator's own; else {@code lists}' own.
   */
  static RegAllocOutput.InTurn inTurn(List<List<Allocation>> lists) {
    if (lists instanceof OperandAllocations own) {
      Window window = new Window(own.allocations);
      return inst -> window.at(own.start, Objects.checkIndex(inst, own.size()));
    }
    return lists::get;
  }

  /**
   * A window of the function's array: one instruction's allocations, until it is moved to another's.
   * Read-only to its readers (what they read changes when it moves on). {@code List.of} of the array
   * copied it, checking each element for null on the way, for every instruction of three operands or
   * more; and the emitters' reads of an operand's allocation met two list classes ({@code List.of}'s
   * for up to two elements and for more), where they meet this one.
   */
  private static final class Window extends AbstractList<Allocation> implements RandomAccess {
    private final Allocation[] allocations;
    private int base;
    private int count;

    Window(Allocation[] allocations) {
      this.allocations = allocations;
    }

    /** This window moved to instruction {@code inst}'s allocations. */
    Window at(int[] start, int inst) {
      base = start[inst];
      count = start[inst + 1] - base;
      return this;
    }

    @Override
    public Allocation get(int operand) {
      return allocations[base + Objects.checkIndex(operand, count)];
    }

    @Override
    public int size() {
      return count;
    }
  }
}

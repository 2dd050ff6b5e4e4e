package dev.kiln.codegen.regalloc;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Resolution's operand allocations, an immutable list per instruction, held in the array they were
 * made in. {@link RegAllocOutput} keeps such a list as it is: it is immutable through and through
 * by construction, where a list of unknown kind costs a check of every instruction's list ({@code
 * List.copyOf}), and making the array a {@code List.of} a copy of it: per function, a load of every
 * instruction's list header and the copy (0.3% of the samples of yosys's compile).
 */
final class OperandAllocations extends AbstractList<List<Allocation>> implements RandomAccess {
  private final List<Allocation>[] perInst;

  /** Takes {@code perInst}, whose lists are immutable, and which its caller no longer changes. */
  OperandAllocations(List<Allocation>[] perInst) {
    this.perInst = perInst;
  }

  @Override
  public List<Allocation> get(int inst) {
    return perInst[inst];
  }

  @Override
  public int size() {
    return perInst.length;
  }

  /**
   * One instruction's allocations, a window of the array resolution filled for the whole function.
   * {@code List.of} of that array copied it, checking each element for null on the way, for every
   * instruction of three operands or more; and the emitters' reads of an operand's allocation met two
   * list classes ({@code List.of}'s for up to two elements and for more), where they meet this one.
   * An array per instruction was 2% of yosys's sampled allocation: its header outweighs two or three
   * operands' entries.
   */
  static final class OfInst extends AbstractList<Allocation> implements RandomAccess {
    private final Allocation[] allocations;
    private final int base;
    private final int count;

    /**
     * Takes {@code count} allocations of {@code allocations} from index {@code base}, one per operand
     * and none null (resolution gives every operand one), which its caller no longer changes.
     */
    OfInst(Allocation[] allocations, int base, int count) {
      this.allocations = allocations;
      this.base = base;
      this.count = count;
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

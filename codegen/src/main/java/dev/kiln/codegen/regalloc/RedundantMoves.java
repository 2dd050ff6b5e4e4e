package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Removes the allocator's moves whose destination already holds the value, and reads a reload's
 * value from a register that holds it instead of from the slot (regalloc2's redundant move
 * eliminator, {@code ion/redundant_moves.rs}, over a whole block). Resolution places each
 * piece's moves independently, so a value stored into its slot is often reloaded into the same
 * register in the same gap (a REUSE input split there: {@code movq %r12, (%rsp); movq (%rsp), %r12}),
 * or a slot is written through the scratch register and then read back into another register.
 *
 * <p>One forward walk per block tracks which locations hold the same value: a move makes its
 * destination equal to its source; an instruction gives each location it defines a new value, and
 * forgets every register it clobbers and the scratch registers (an emitter may use them inside an
 * instruction). A block starts knowing nothing. A lowering copy ({@link RegAllocFunction#isMove})
 * counts as a new value although its output equals its input, and no state crosses a block boundary,
 * because the {@link Checker}, which re-verifies the result like any allocation, tracks vregs
 * symbolically: to it a copy's output and a block parameter are other values than their sources.
 * Spill slots are compared by what they hold, so slots shared between vregs need no special case.
 *
 * <p>A block's walk runs from its first move to its last: before the first move every location the
 * block's instructions wrote holds a value of its own, as good as unknown to a move (only moves make
 * two locations hold one value), and after the last nothing reads what they write. Most blocks
 * have no move at all and are not walked.
 */
final class RedundantMoves {
  /** Register locations: class ordinal x {@link PReg#MAX_PER_CLASS} + encoding; slots follow. */
  private static final int REGISTER_LOCATIONS = RegClass.values().length * PReg.MAX_PER_CLASS;
  /** The number of register classes, read per slot operand: {@code values()} copies its array per call. */
  private static final int CLASSES = RegClass.values().length;
  private static final RegClass[] CLASS_BY_ORDINAL = RegClass.values();

  static {
    // A register location's class is location >>> 6 and its bit 1L << location (a shift count is
    // taken modulo 64, JLS 15.19): one long of bits per class.
    if (PReg.MAX_PER_CLASS != 64) {
      throw new ExceptionInInitializerError("RedundantMoves assumes 64 registers per class");
    }
  }

  private final RegAllocFunction f;
  private final InstOperands operands;
  /**
   * What each location holds, as a value number: a register's when its bit in {@link #knownRegs} is
   * set, a slot's where {@link #known} equals the current block's {@link #epoch}. Starting a block
   * forgets everything by clearing the registers' bits and moving to the next epoch.
   */
  private int[] valueIn = new int[REGISTER_LOCATIONS + 64];
  private int[] known = new int[REGISTER_LOCATIONS + 64];
  /**
   * Per class, a bit per register encoding whose value is known: an instruction forgets the
   * registers it clobbers and the scratch registers with one mask per class, where a loop over a
   * call's clobbered registers (two dozen) ran for every call.
   */
  private final long[] knownRegs = new long[CLASSES];
  /** Per class, the scratch registers (an emitter may use them inside any instruction). */
  private final long[] scratchRegs = new long[CLASSES];
  private int epoch;
  private int nextValue;
  /** Instructions walked: the work, for tests. */
  long instructionsWalked;
  /** Edits whose point the walk read: for tests. */
  long pointReads;

  RedundantMoves(RegAllocFunction f, MachineEnv env, InstOperands operands) {
    this.f = f;
    this.operands = operands;
    for (PReg r : env.scratch()) {
      scratchRegs[r.regClass().ordinal()] |= 1L << r.hwEnc();
    }
  }

  /** {@code edits} (sorted by point) without the redundant moves, reloads rerouted from registers. */
  static List<Edit> remove(RegAllocFunction f, MachineEnv env, InstOperands operands,
      List<List<Allocation>> allocations, List<Edit> edits) {
    return new RedundantMoves(f, env, operands).walk(allocations, edits);
  }

  List<Edit> walk(List<List<Allocation>> allocations, List<Edit> edits) {
    RegAllocOutput.InTurn inTurn = OperandAllocations.inTurn(allocations);
    List<Edit> kept = new ArrayList<>(edits.size());
    int count = edits.size();
    // The next edit's point as 2 x instruction + side (BEFORE 0, AFTER 1), or past every instruction
    // once none is left: read once per edit, where each instruction's three tests read the edit's
    // point again.
    int e = 0;
    long next = count == 0 ? Long.MAX_VALUE : pointKey(edits.get(0));
    for (int b = 0; b < f.numBlocks() && e < count; b++) {
      InstRange r = f.blockInsts(b);
      long blockEnd = 2L * r.end();
      if (next >= blockEnd) {
        continue;
      }
      epoch++;
      java.util.Arrays.fill(knownRegs, 0);
      for (int i = Math.max(r.first(), (int) (next >> 1)); i < r.end() && next < blockEnd; i++) {
        instructionsWalked++;
        while (next <= 2L * i) {
          move(edits.get(e++), kept);
          next = e == count ? Long.MAX_VALUE : pointKey(edits.get(e));
        }
        instruction(i, inTurn.of(i));
        while (next <= 2L * i + 1) {
          move(edits.get(e++), kept);
          next = e == count ? Long.MAX_VALUE : pointKey(edits.get(e));
        }
      }
    }
    while (e < count) {
      kept.add(edits.get(e++));
    }
    return kept;
  }

  /** {@code edit}'s point as 2 x instruction + side: the order of points. */
  private long pointKey(Edit edit) {
    pointReads++;
    ProgPoint point = edit.point();
    return 2L * point.inst() + point.side().ordinal();
  }

  /**
   * A number per location, registers first (also {@link ParallelMoves}'s). instanceof, not a pattern
   * switch: C1 does not inline the switch's invokedynamic type test.
   */
  static int location(Allocation a) {
    if (a instanceof PReg p) {
      return register(p.regClass(), p.hwEnc());
    }
    SpillSlot s = (SpillSlot) a;
    return REGISTER_LOCATIONS + s.index() * CLASSES + s.regClass().ordinal();
  }

  private static int register(RegClass c, int hwEnc) {
    return c.ordinal() * PReg.MAX_PER_CLASS + hwEnc;
  }

  /** The value at {@code location}, or -1 when nothing is known of it in this block. */
  private int valueAt(int location) {
    if (location < REGISTER_LOCATIONS) {
      // location = class x MAX_PER_CLASS (64) + encoding
      return (knownRegs[location >>> 6] & (1L << location)) != 0 ? valueIn[location] : -1;
    }
    return location < known.length && known[location] == epoch ? valueIn[location] : -1;
  }

  private void set(int location, int value) {
    if (location < REGISTER_LOCATIONS) {
      knownRegs[location >>> 6] |= 1L << location;
      valueIn[location] = value;
      return;
    }
    if (location >= known.length) {
      int size = Math.max(2 * known.length, location + 1);
      known = Arrays.copyOf(known, size);
      valueIn = Arrays.copyOf(valueIn, size);
    }
    known[location] = epoch;
    valueIn[location] = value;
  }

  private void move(Edit edit, List<Edit> kept) {
    int fromLocation = location(edit.from());
    int value = valueAt(fromLocation);
    if (value < 0) {
      value = nextValue++;
      set(fromLocation, value);
    }
    int toLocation = location(edit.to());
    if (valueAt(toLocation) == value) {
      return;
    }
    Allocation from = edit.from();
    if (from instanceof SpillSlot && edit.to() instanceof PReg) {
      PReg holder = registerHolding(value, from.regClass());
      if (holder != null) {
        from = holder;
      }
    }
    kept.add(from == edit.from() ? edit : new Edit(edit.point(), from, edit.to()));
    set(toLocation, value);
  }

  /** The lowest-numbered register of class {@code c} known to hold {@code value}, or null. */
  private PReg registerHolding(int value, RegClass c) {
    for (long bits = knownRegs[c.ordinal()]; bits != 0; bits &= bits - 1) {
      int enc = Long.numberOfTrailingZeros(bits);
      if (valueIn[register(c, enc)] == value) {
        return PReg.of(c, enc);
      }
    }
    return null;
  }

  private void instruction(int i, List<Allocation> allocs) {
    PRegSet clobbers = f.instClobbers(i);
    for (int c = 0; c < CLASSES; c++) {
      knownRegs[c] &= ~(clobbers.bits(CLASS_BY_ORDINAL[c]) | scratchRegs[c]);
    }
    int[] shapes = operands.shapes;
    int base = operands.start[i];
    for (int k = 0; k < operands.count(i); k++) {
      if ((shapes[base + k] & InstOperands.DEF) != 0) {
        set(location(allocs.get(k)), nextValue++);
      }
    }
  }
}

package dev.kiln.codegen.regalloc;

import java.util.List;

/**
 * Every instruction's operands in flat arrays, read once from {@link RegAllocFunction#instOperands}:
 * instruction {@code i}'s operands are {@code operands[start[i]]} to {@code operands[start[i + 1] - 1]},
 * in the function's order, and {@code vregs[k]} is the vreg index of {@code operands[k]}.
 *
 * <p>Why: the allocator walks the operands in several passes (validation, interval building twice,
 * the reuse and move hints, resolution twice, the redundant-move walk). Through the
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
   * {@code operands[k].vreg().regClass()}: the validator checks every operand's class, and the vreg
   * records are scattered over the heap, where the operand arrays are read in order.
   */
  final RegClass[] classes;
  /**
   * Per operand, its kind, its point and its constraint's kind as bits ({@link #DEF}, {@link #LATE},
   * {@link #REG}, {@link #FIXED}, {@link #STACK}, {@link #REUSE} with the reused operand's index from
   * {@link #REUSE_INDEX_SHIFT} on; no bit for ANY): the validator, the interval walk (twice),
   * resolution and the redundant-move walk go over every operand and need no more of most than
   * this, where each operand record, and its constraint's behind it, is a load from wherever the
   * lowering left it (an int array read in order). Its kind is a bit here, not an array of its own:
   * each walk that loads an operand's shape then tells a read from a write without a second load.
   */
  final int[] shapes;
  /**
   * Per register (class ordinal x {@link PReg#MAX_PER_CLASS} + encoding), how many FIXED operands
   * name it: the interval walk blocks an allocatable register once per such operand, and sizes each
   * register's array of blocked ranges by this, where an array grown as they came and copied to its
   * length at the end was 1.7% of yosys's sampled allocation.
   */
  final int[] fixedPerRegister;
  /**
   * A bit per instruction that reads an operand at its LATE point or has an output that reuses an
   * input: the interval walk takes the reads of the others as it meets them, in its one walk over
   * their operands ({@link IntervalBuilder}).
   */
  final long[] lateReadOrReuse;

  static final int LATE = 1;
  static final int REG = 1 << 1;
  static final int FIXED = 1 << 2;
  static final int REUSE = 1 << 3;
  static final int STACK = 1 << 4;
  static final int DEF = 1 << 5;
  static final int REUSE_INDEX_SHIFT = 8;
  private static final int MAX_REUSE_INDEX = (1 << (31 - REUSE_INDEX_SHIFT)) - 1;

  /**
   * Each instruction's list, asked for once by {@link #listed}, until {@link #read} reads it into the
   * arrays (then null: read once).
   */
  private final List<Operand>[] lists;

  private InstOperands(List<Operand>[] lists, int[] start) {
    this.lists = lists;
    this.start = start;
    int total = start[lists.length];
    operands = new Operand[total];
    vregs = new int[total];
    classes = new RegClass[total];
    shapes = new int[total];
    fixedPerRegister = new int[RegClass.values().length * PReg.MAX_PER_CLASS];
    lateReadOrReuse = new long[(lists.length + 63) >>> 6];
  }

  /** Every instruction's operands, read. */
  static InstOperands of(RegAllocFunction f) {
    InstOperands operands = listed(f);
    for (int i = 0; i < f.numInsts(); i++) {
      operands.read(i);
    }
    return operands;
  }

  /**
   * The arrays, made at their length, with no instruction's operands read yet: the validator's walk
   * reads each instruction's as it comes to it ({@link #read}) and checks them while they are at
   * hand, where a pass of their own read every operand record first and the validator read the
   * arrays again.
   */
  static InstOperands listed(RegAllocFunction f) {
    int n = f.numInsts();
    int[] start = new int[n + 1];
    // Each instruction's list asked for once (an interface call to the function, then to the
    // instruction) and kept for read, which fills the arrays once their length is known: asking every
    // list twice, its size first, cost a second pass of calls over every instruction.
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Operand>[] lists = new List[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      start[i] = total;
      lists[i] = f.instOperands(i);
      total += lists[i].size();
    }
    start[n] = total;
    return new InstOperands(lists, start);
  }

  /** Reads instruction {@code inst}'s operands into the arrays; each instruction once. */
  void read(int inst) {
    List<Operand> ops = lists[inst];
    if (ops == null) {
      throw new IllegalStateException("instruction " + inst + "'s operands read twice");
    }
    lists[inst] = null;
    int base = start[inst];
    int count = start[inst + 1] - base;
    for (int k = 0; k < count; k++) {
      Operand o = ops.get(k);
      VReg v = o.vreg();
      operands[base + k] = o;
      vregs[base + k] = v.index();
      classes[base + k] = v.regClass();
      int shape = shapeOf(o);
      shapes[base + k] = shape;
      if ((shape & FIXED) != 0) {
        PReg p = ((OperandConstraint.FixedReg) o.constraint()).preg();
        fixedPerRegister[p.regClass().ordinal() * PReg.MAX_PER_CLASS + p.hwEnc()]++;
      }
      if ((shape & (DEF | LATE)) == LATE || (shape & REUSE) != 0) {
        Liveness.set(lateReadOrReuse, inst);
      }
    }
  }

  /** {@code o}'s {@link #shapes} entry. */
  private static int shapeOf(Operand o) {
    int shape = (o.kind() == OperandKind.DEF ? DEF : 0) | (o.pos() == OperandPos.LATE ? LATE : 0);
    OperandConstraint c = o.constraint();
    if (c instanceof OperandConstraint.Reg) {
      return shape | REG;
    } else if (c instanceof OperandConstraint.FixedReg) {
      return shape | FIXED;
    } else if (c instanceof OperandConstraint.Reuse(int u)) {
      // An index past the bits names no operand either way: the validator rejects it from the record.
      return shape | REUSE | Math.min(u, MAX_REUSE_INDEX) << REUSE_INDEX_SHIFT;
    } else if (c instanceof OperandConstraint.Stack) {
      return shape | STACK;
    }
    return shape;
  }

  /** The operand index a REUSE shape names. */
  static int reuseIndex(int shape) {
    return shape >>> REUSE_INDEX_SHIFT;
  }

  /**
   * The position of an operand of instruction {@code inst} ({@link Positions#of}): a reused output is
   * written over its input, so it is live from the EARLY point.
   */
  static int position(int inst, boolean def, int shape) {
    if (def && (shape & REUSE) != 0) {
      return Positions.early(inst);
    }
    return (shape & LATE) != 0 ? Positions.late(inst) : Positions.early(inst);
  }

  /** How many operands instruction {@code inst} has. */
  int count(int inst) {
    return start[inst + 1] - start[inst];
  }
}

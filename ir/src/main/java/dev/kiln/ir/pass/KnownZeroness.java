package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import java.util.Arrays;

/**
 * The values known to be non-zero, or zero, at a point of a function, from what dominates it: a
 * passed {@code trapz v} (v is non-zero after it), a passed {@code trapnz v} (v is zero), and the
 * {@code brif} edge that is a block's only way in (its condition non-zero into the first target and
 * zero into the second; and where the condition is {@code icmp eq x, 0} or {@code icmp ne x, 0},
 * what that says of {@code x}). {@link GlobalValueNumbering} keeps them as it walks the dominator
 * tree, and a {@code trapz} of a value known non-zero, or a {@code trapnz} of one known zero, can
 * never trap and is removed, whatever its trap code.
 *
 * <p>Why: every wasm GC access checks its reference for null ({@code trapz ref}, spec 3.0 4.4.7
 * "struct.get": "if ref is null, trap"), so two field reads of one reference checked it twice, and
 * {@code ref.as_non_null} in the branch where {@code ref.is_null} said the reference is not null
 * checked it again. A value is one SSA value, so what was true of it where the check passed is true
 * wherever that point dominates.
 */
final class KnownZeroness {
  private static final byte NON_ZERO = 1;
  private static final byte ZERO = 2;

  /** Per value: 0 (unknown), {@link #NON_ZERO} or {@link #ZERO}; made at the first fact. */
  private byte[] facts;
  private final int valueCount;
  /** The values whose fact was set, in order, so that leaving a block clears what it added. */
  private int[] set = new int[16];
  private int setCount;

  KnownZeroness(int valueCount) {
    this.valueCount = valueCount;
  }

  /** The undo log's length, to {@link #leave} back to. */
  int mark() {
    return setCount;
  }

  /** Forgets every fact learned since {@code mark} (the block being left and those it dominates). */
  void leave(int mark) {
    while (setCount > mark) {
      facts[set[--setCount]] = 0;
    }
  }

  /**
   * Whether {@code inst}, its operands resolved, is a {@code trapz} or {@code trapnz} that cannot trap
   * here; when it is one that can, what it proves from here on is recorded.
   */
  boolean isRedundantTrap(DataFlowGraph dfg, Opcode op, int inst) {
    byte proves = op == Opcode.TRAPZ ? NON_ZERO : ZERO;
    int value = dfg.arg(inst, 0);
    if (facts != null && facts[value] == proves) {
      return true;
    }
    learn(value, proves);
    return false;
  }

  /**
   * Records what entering {@code block} from {@code pred} says, when {@code pred} is its only
   * predecessor and ends in a {@code brif} with {@code block} as one target and another block as
   * the other.
   */
  void enter(DataFlowGraph dfg, Layout layout, int pred, int block) {
    int branch = layout.lastInst(pred);
    if (branch < 0 || dfg.opcode(branch) != Opcode.BRIF) {
      return;
    }
    int taken = dfg.blockCallBlock(dfg.dest(branch, 0));
    int notTaken = dfg.blockCallBlock(dfg.dest(branch, 1));
    if (taken == notTaken || block != taken && block != notTaken) {
      return; // one edge for both outcomes, or not an edge of this branch: nothing learned
    }
    boolean conditionNonZero = block == taken;
    int condition = dfg.arg(branch, 0);
    learn(condition, conditionNonZero ? NON_ZERO : ZERO);
    if (dfg.valueKind(condition) != DataFlowGraph.VALUE_RESULT) {
      return;
    }
    int compare = dfg.valueDef(condition);
    if (dfg.opcode(compare) != Opcode.ICMP) {
      return;
    }
    IntCC cc = dfg.intCC(compare);
    if (cc != IntCC.EQ && cc != IntCC.NE) {
      return;
    }
    int left = dfg.arg(compare, 0);
    int right = dfg.arg(compare, 1);
    int x = isZero(dfg, right) ? left : isZero(dfg, left) ? right : -1;
    if (x >= 0) {
      // x == 0 holds exactly when (cc is EQ) equals (the condition is non-zero)
      learn(x, (cc == IntCC.EQ) == conditionNonZero ? ZERO : NON_ZERO);
    }
  }

  private static boolean isZero(DataFlowGraph dfg, int value) {
    return dfg.valueKind(value) == DataFlowGraph.VALUE_RESULT
        && dfg.opcode(dfg.valueDef(value)) == Opcode.ICONST && dfg.imm(dfg.valueDef(value)) == 0;
  }

  private void learn(int value, byte fact) {
    if (facts == null) {
      facts = new byte[valueCount];
    }
    if (facts[value] != 0) {
      return; // known already (a value known zero is not learned non-zero on a path that cannot run)
    }
    facts[value] = fact;
    if (setCount == set.length) {
      set = Arrays.copyOf(set, 2 * setCount);
    }
    set[setCount++] = value;
  }
}

package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import java.util.Arrays;

/**
 * Value numbering's table: instructions by what they compute (opcode, controlling type, immediate,
 * aux field and arguments, which the caller resolved), each mapped to the value the first of them
 * defined. Identity is read from the data-flow graph at each probe, so no key object is made per
 * instruction (a key record with an argument array per candidate instruction was a tenth of the
 * pass's time in compile profiles). Open addressing with linear probing; removal shifts the probe
 * run back (Knuth, TAOCP vol. 3, 6.4 Algorithm R), so entries can leave in any order.
 *
 * <p>The caller hashes an instruction once ({@link #hash}) for both its {@link #find} and its {@link
 * #add}: the hash reads the instruction and each of its arguments. A table gets its slots
 * at its first add: the pass makes one per block for the VMContext loads it may share, and most
 * blocks have none.
 */
final class ValueTable {
  private static final int MIN_CAPACITY = 16;
  private static final int[] NO_SLOTS = new int[0];

  private final DataFlowGraph dfg;
  /** Per slot the instruction + 1, 0 for an empty slot. */
  private int[] insts = NO_SLOTS;
  private int[] values = NO_SLOTS;
  private int[] hashes = NO_SLOTS;
  private int size;

  ValueTable(DataFlowGraph dfg) {
    this.dfg = dfg;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * The value of an instruction computing what {@code inst} computes, or -1 when there is none;
   * {@code hash} is {@link #hash hash(inst)}.
   */
  int find(int inst, int hash) {
    if (size == 0) {
      return -1;
    }
    int mask = insts.length - 1;
    for (int s = hash & mask; insts[s] != 0; s = (s + 1) & mask) {
      if (hashes[s] == hash && dfg.sameComputation(insts[s] - 1, inst)) {
        return values[s];
      }
    }
    return -1;
  }

  /**
   * Records that {@code inst}, which computes nothing in the table yet, defines {@code value};
   * {@code hash} is {@link #hash hash(inst)}.
   */
  void add(int inst, int value, int hash) {
    if (2 * (size + 1) > insts.length) {
      grow();
    }
    place(inst, value, hash);
    size++;
  }

  /** Forgets {@code inst}, which {@link #add} recorded with {@code hash}. */
  void remove(int inst, int hash) {
    if (size == 0) {
      throw new IllegalStateException("inst" + inst + " is not in the table");
    }
    int mask = insts.length - 1;
    int s = hash & mask;
    while (insts[s] != inst + 1) {
      if (insts[s] == 0) {
        throw new IllegalStateException("inst" + inst + " is not in the table");
      }
      s = (s + 1) & mask;
    }
    // Algorithm R: move later entries of the probe run into the hole unless their home slot lies
    // cyclically in (hole, entry], where the probe for them would stop before reaching the hole.
    int hole = s;
    for (int j = (hole + 1) & mask; insts[j] != 0; j = (j + 1) & mask) {
      int home = hashes[j] & mask;
      boolean staysPut = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!staysPut) {
        insts[hole] = insts[j];
        values[hole] = values[j];
        hashes[hole] = hashes[j];
        hole = j;
      }
    }
    insts[hole] = 0;
    size--;
  }

  void clear() {
    if (size > 0) {
      Arrays.fill(insts, 0);
      size = 0;
    }
  }

  ValueTable copy() {
    ValueTable c = new ValueTable(dfg);
    if (size > 0) {
      c.insts = insts.clone();
      c.values = values.clone();
      c.hashes = hashes.clone();
      c.size = size;
    }
    return c;
  }

  private void place(int inst, int value, int hash) {
    int mask = insts.length - 1;
    int s = hash & mask;
    while (insts[s] != 0) {
      s = (s + 1) & mask;
    }
    insts[s] = inst + 1;
    values[s] = value;
    hashes[s] = hash;
  }

  private void grow() {
    int[] oldInsts = insts;
    int[] oldValues = values;
    int[] oldHashes = hashes;
    insts = new int[Math.max(MIN_CAPACITY, oldInsts.length * 2)];
    values = new int[insts.length];
    hashes = new int[insts.length];
    for (int s = 0; s < oldInsts.length; s++) {
      if (oldInsts[s] != 0) {
        place(oldInsts[s] - 1, oldValues[s], oldHashes[s]);
      }
    }
  }

  /**
   * The hash of what {@code inst} computes, which {@link #find}, {@link #add} and {@link #remove}
   * take. The table compares operands as they stand ({@link DataFlowGraph#sameComputation}): the
   * caller resolves an instruction's operands before it hashes it, as value numbering does for
   * each instruction it meets, and an entry's operands stay resolved, since SSA defines each of
   * them (and value numbering meets it, and makes any alias of it) before the entry.
   */
  int hash(int inst) {
    int h = dfg.computationHash(inst);
    // Spread the high bits into the low ones the mask keeps.
    return h ^ (h >>> 16);
  }
}

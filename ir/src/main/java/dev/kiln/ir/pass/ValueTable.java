package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Type;
import java.util.Arrays;

/**
 * Value numbering's table: instructions by what they compute (opcode, controlling type, immediate,
 * aux field and arguments with aliases resolved), each mapped to the value the first of them
 * defined. Identity is read from the data-flow graph at each probe, so no key object is made per
 * instruction (a key record with an argument array per candidate instruction was a tenth of the
 * pass's time in compile profiles). Open addressing with linear probing; removal shifts the probe
 * run back (Knuth, TAOCP vol. 3, 6.4 Algorithm R), so entries can leave in any order.
 */
final class ValueTable {
  private static final int MIN_CAPACITY = 16;

  private final DataFlowGraph dfg;
  /** Per slot the instruction + 1, 0 for an empty slot. */
  private int[] insts;
  private int[] values;
  private int[] hashes;
  private int size;

  ValueTable(DataFlowGraph dfg) {
    this(dfg, MIN_CAPACITY);
  }

  private ValueTable(DataFlowGraph dfg, int capacity) {
    this.dfg = dfg;
    insts = new int[capacity];
    values = new int[capacity];
    hashes = new int[capacity];
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The value of an instruction computing what {@code inst} computes, or -1 when there is none. */
  int find(int inst) {
    int hash = hash(inst);
    int mask = insts.length - 1;
    for (int s = hash & mask; insts[s] != 0; s = (s + 1) & mask) {
      if (hashes[s] == hash && sameComputation(insts[s] - 1, inst)) {
        return values[s];
      }
    }
    return -1;
  }

  /**
   * Records that {@code inst}, which computes nothing in the table yet, defines {@code value};
   * returns the hash {@link #remove} takes.
   */
  int add(int inst, int value) {
    if (2 * (size + 1) > insts.length) {
      grow();
    }
    int hash = hash(inst);
    place(inst, value, hash);
    size++;
    return hash;
  }

  /** Forgets {@code inst}, which {@link #add} recorded and hashed to {@code hash}. */
  void remove(int inst, int hash) {
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
    ValueTable c = new ValueTable(dfg, insts.length);
    System.arraycopy(insts, 0, c.insts, 0, insts.length);
    System.arraycopy(values, 0, c.values, 0, values.length);
    System.arraycopy(hashes, 0, c.hashes, 0, hashes.length);
    c.size = size;
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
    insts = new int[oldInsts.length * 2];
    values = new int[insts.length];
    hashes = new int[insts.length];
    for (int s = 0; s < oldInsts.length; s++) {
      if (oldInsts[s] != 0) {
        place(oldInsts[s] - 1, oldValues[s], oldHashes[s]);
      }
    }
  }

  private int hash(int inst) {
    int h = dfg.opcode(inst).ordinal();
    Type type = dfg.ctrlType(inst);
    h = 31 * h + (type == null ? -1 : type.ordinal());
    h = 31 * h + Long.hashCode(dfg.imm(inst));
    h = 31 * h + dfg.aux(inst);
    int n = dfg.argCount(inst);
    for (int a = 0; a < n; a++) {
      h = 31 * h + dfg.resolveAliases(dfg.arg(inst, a));
    }
    // Spread the high bits into the low ones the mask keeps.
    return h ^ (h >>> 16);
  }

  private boolean sameComputation(int a, int b) {
    int n = dfg.argCount(a);
    if (dfg.opcode(a) != dfg.opcode(b) || dfg.ctrlType(a) != dfg.ctrlType(b) || dfg.imm(a) != dfg.imm(b)
        || dfg.aux(a) != dfg.aux(b) || dfg.argCount(b) != n) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (dfg.resolveAliases(dfg.arg(a, k)) != dfg.resolveAliases(dfg.arg(b, k))) {
        return false;
      }
    }
    return true;
  }
}

package dev.kiln.ir.analysis;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;

/**
 * How many times each value is used by the instructions in the layout, counting operands and
 * branch arguments, with aliases resolved. Lowering asks it whether a value has a single use
 * (so a compare can merge into its branch); dead-code elimination starts from it.
 */
public final class ValueUses {
  private final int[] counts;

  private ValueUses(int[] counts) {
    this.counts = counts;
  }

  public static ValueUses compute(Function f) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    int[] counts = new int[dfg.valueCount()];
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      for (int i = layout.firstInst(b); i >= 0; i = layout.nextInst(i)) {
        dfg.countOperandUses(i, counts);
      }
    }
    return new ValueUses(counts);
  }

  /** Uses of {@code v} (0 for values created after the count was taken). */
  public int count(int v) {
    return v < counts.length ? counts[v] : 0;
  }

  /** A copy of the counts indexed by value id, for passes that update them as they go. */
  public int[] toArray() {
    return counts.clone();
  }
}

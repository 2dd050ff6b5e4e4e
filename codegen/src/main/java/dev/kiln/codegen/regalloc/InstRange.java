package dev.kiln.codegen.regalloc;

/**
 * The instructions of one block: indices {@code first} (inclusive) to {@code end} (exclusive).
 * Blocks are contiguous and appear in block order, so block b+1 starts where block b ends.
 */
public record InstRange(int first, int end) {
  public InstRange {
    if (first < 0 || end <= first) {
      throw new IllegalArgumentException("a block needs at least one instruction: [" + first + ", " + end + ")");
    }
  }

  public int last() {
    return end - 1;
  }

  public int length() {
    return end - first;
  }
}

package dev.kiln.artifact.index;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.internal.ByteSink;
import java.util.Arrays;

/**
 * Writes {@code .kiln.funcs} from compiled functions given in FuncKey order with their place in
 * {@code .text}. It enforces the invariant the whole artifact relies on: text order equals key order
 * (keys strictly increasing, each function starting at or after the end of the previous one, no
 * empty functions). A function's extent in the index runs to the next function's start, so any
 * alignment padding after a function is attributed to it; the last one ends at its own end.
 */
public final class FunctionIndexBuilder {
  private long[] keys = new long[64];
  private int[] starts = new int[64];
  private int count;
  private int lastEnd;

  /** An empty builder. */
  public FunctionIndexBuilder() {}

  /**
   * Adds the function named {@code key} occupying {@code [start, start + length)} of {@code .text}.
   *
   * @throws IllegalArgumentException if the key does not follow the previous key, the function starts
   *     before the previous one ends, or the range is empty or negative
   */
  public FunctionIndexBuilder add(FuncKey key, int start, int length) {
    if (length <= 0 || start < 0 || (long) start + length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + ": bad text range start=" + start + " length=" + length);
    }
    if (count > 0) {
      FuncKey previous = FuncKey.fromRaw(keys[count - 1]);
      if (previous.compareTo(key) >= 0) {
        throw new IllegalArgumentException(
            "keys must be added in increasing FuncKey order: " + key + " after " + previous);
      }
      if (start < lastEnd) {
        throw new IllegalArgumentException("text order must equal FuncKey order: " + key + " starts at 0x"
            + Integer.toHexString(start) + " before " + previous + " ends at 0x" + Integer.toHexString(lastEnd));
      }
    }
    if (count == keys.length) {
      keys = Arrays.copyOf(keys, count * 2);
      starts = Arrays.copyOf(starts, count * 2);
    }
    keys[count] = key.raw();
    starts[count] = start;
    count++;
    lastEnd = start + length;
    return this;
  }

  /** Number of functions added. */
  public int size() {
    return count;
  }

  /** The end of the last function added (0 when empty): the least {@code .text} size that fits. */
  public int textEnd() {
    return lastEnd;
  }

  /** The encoded section (layout in {@link IndexLayout} and docs/cwasm-format.md). */
  public byte[] build() {
    ByteSink namespaces = new ByteSink();
    ByteSink runs = new ByteSink();
    ByteSink slots = new ByteSink();
    int namespaceCount = 0;
    int runCount = 0;
    int slotCount = 0;
    int currentNamespace = 0;
    long nextIndexInRun = -1; // unsigned index one past the current run's last slot; -1 = no run yet
    for (int i = 0; i < count; i++) {
      int namespace = (int) (keys[i] >>> 32);
      long index = keys[i] & 0xFFFF_FFFFL;
      boolean sameNamespace = runCount > 0 && namespace == currentNamespace;
      long gap = sameNamespace ? index - nextIndexInRun : Long.MAX_VALUE;
      if (gap > IndexLayout.MAX_HOLES) {
        if (!sameNamespace) {
          namespaces.u32(namespace).u32(runCount);
          namespaceCount++;
          currentNamespace = namespace;
        }
        runs.u32((int) index).u32(slotCount);
        runCount++;
      } else {
        for (long h = 0; h < gap; h++) {
          slots.u32(starts[i]); // an empty slot: it starts where the next function starts
          slotCount++;
        }
      }
      slots.u32(starts[i]);
      slotCount++;
      nextIndexInRun = index + 1;
    }
    slots.u32(lastEnd);
    ByteSink out = new ByteSink();
    out.u32(namespaceCount).u32(runCount).u32(slotCount);
    out.bytes(namespaces.toByteArray()).bytes(runs.toByteArray()).bytes(slots.toByteArray());
    return out.toByteArray();
  }
}

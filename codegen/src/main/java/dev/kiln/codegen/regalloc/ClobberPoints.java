package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * Where the instructions of a function clobber allocatable registers of one class: one entry per
 * clobbering instruction, its LATE point and the registers it clobbers there (bits by encoding),
 * in order of position. A call clobbers every caller-saved register, some 25 on x86-64: a blocked
 * range per register per call (what {@link IntervalBuilder} made before) cost each call 25
 * appends, a fifth of the interval walk's samples in a profile of yosys's compile. A clobber blocks
 * a register at its LATE point only, for anyone, and the scan asks the entries beside each
 * register's FIXED operands' ranges ({@link LinearScan}).
 */
final class ClobberPoints {
  /** A class's where nothing clobbers its registers: shared, never added to. */
  static final ClobberPoints NONE = new ClobberPoints();

  private int[] positions = new int[0];
  private long[] masks = new long[0];
  private int count;
  /** Every register some entry clobbers: a register outside it is asked about none. */
  private long union;

  /** Adds {@code mask}'s registers clobbered at {@code pos}, which follows every earlier entry's. */
  void add(int pos, long mask) {
    if (count == positions.length) {
      positions = Arrays.copyOf(positions, Math.max(8, 2 * count));
      masks = Arrays.copyOf(masks, positions.length);
    }
    positions[count] = pos;
    masks[count++] = mask;
    union |= mask;
  }

  int count() {
    return count;
  }

  /** The entries' positions, in order (the array may be longer than {@link #count}). */
  int[] positions() {
    return positions;
  }

  /** The registers entry {@code k} clobbers, bits by encoding. */
  long mask(int k) {
    return masks[k];
  }

  /** Whether some entry clobbers a register of {@code bits} (by encoding). */
  boolean mayClobber(long bits) {
    return (union & bits) != 0;
  }
}

package dev.kiln.codegen.lower;

import dev.kiln.ir.DataFlowGraph;

/**
 * The 16 byte indexes of an IR {@code vshuffle}, byte i of the result being byte {@code index(i)} of
 * the 32 bytes of the first operand (0-15) then the second (16-31), and the permutations both ISAs
 * have single instructions for: interleaving the low or high halves' lanes (x86 PUNPCKL/PUNPCKH,
 * AArch64 ZIP1/ZIP2), de-interleaving even or odd lanes (UZP1/UZP2), transposing lane pairs
 * (TRN1/TRN2), 16 consecutive bytes of the concatenation (PALIGNR, EXT). Each backend asks for the
 * patterns it has and picks its instructions; the mask itself is ISA-neutral.
 *
 * @param low byte indexes 0-7, index i in bits 8i..8i+7
 * @param high byte indexes 8-15
 */
public record ShuffleMask(long low, long high) {
  private static final long BIT4 = 0x1010_1010_1010_1010L;

  /**
   * The mask of shuffle {@code inst}; when both operands are the same value, every index is taken
   * into the first (one input, whichever half it named).
   */
  public static ShuffleMask of(DataFlowGraph dfg, int inst) {
    DataFlowGraph.VectorConstant c = dfg.vectorConstantAt((int) dfg.imm(inst));
    ShuffleMask m = new ShuffleMask(c.low(), c.high());
    boolean sameInput = dfg.resolveAliases(dfg.arg(inst, 0)) == dfg.resolveAliases(dfg.arg(inst, 1));
    return sameInput ? new ShuffleMask(c.low() & ~BIT4, c.high() & ~BIT4) : m;
  }

  /** The mask whose byte i is {@code index[i]}. */
  public static ShuffleMask of(int... index) {
    if (index.length != 16) {
      throw new IllegalArgumentException(index.length + " byte indexes, not 16");
    }
    long[] halves = new long[2];
    for (int i = 0; i < 16; i++) {
      if (index[i] < 0 || index[i] > 31) {
        throw new IllegalArgumentException("byte index " + index[i] + " outside 0..31");
      }
      halves[i / 8] |= (long) index[i] << (8 * (i % 8));
    }
    return new ShuffleMask(halves[0], halves[1]);
  }

  /** The index of result byte {@code i}. */
  public int index(int i) {
    return (int) ((i < 8 ? low : high) >>> (8 * (i % 8))) & 0xFF;
  }

  /** Whether every byte comes from the first operand. */
  public boolean firstOnly() {
    return ((low | high) & BIT4) == 0;
  }

  /** Whether every byte comes from the second operand. */
  public boolean secondOnly() {
    return (low & high & BIT4) == BIT4;
  }

  /** The same shuffle with the operands exchanged. */
  public ShuffleMask swapped() {
    return new ShuffleMask(low ^ BIT4, high ^ BIT4);
  }

  /** The mask with every index taken modulo 16: one input, whichever operand it is. */
  public ShuffleMask oneInput() {
    return new ShuffleMask(low & ~BIT4, high & ~BIT4);
  }

  /**
   * The source lane (0 to 2n-1 over both operands) of each of the n result lanes of {@code
   * laneBytes} bytes, or null when some result lane is not one whole, aligned source lane.
   */
  public int[] lanes(int laneBytes) {
    int[] lanes = new int[16 / laneBytes];
    for (int k = 0; k < lanes.length; k++) {
      int first = index(k * laneBytes);
      if (first % laneBytes != 0) {
        return null;
      }
      for (int b = 1; b < laneBytes; b++) {
        if (index(k * laneBytes + b) != first + b) {
          return null;
        }
      }
      lanes[k] = first / laneBytes;
    }
    return lanes;
  }

  /**
   * The offset n when byte i is byte n + i of the concatenation of the operands for every i (n
   * 0-16), else -1.
   */
  public int concatOffset() {
    int n = index(0);
    for (int i = 1; i < 16; i++) {
      if (index(i) != n + i) {
        return -1;
      }
    }
    return n;
  }

  /**
   * The offset n when byte i is byte (n + i) mod 16 of the first operand for every i (a rotation
   * of one input; 0 is the identity), else -1.
   */
  public int rotation() {
    int n = index(0);
    for (int i = 1; i < 16; i++) {
      if (index(i) != (n + i & 15)) {
        return -1;
      }
    }
    return n < 16 ? n : -1;
  }

  /**
   * Lanes of the low ({@code high} false) or high half of the operands interleaved, the first's
   * lane first: x86 PUNPCKL/PUNPCKH, AArch64 ZIP1/ZIP2.
   */
  public static ShuffleMask interleave(int laneBytes, boolean high) {
    int n = 16 / laneBytes;
    return byLanes(laneBytes, k -> (k % 2 == 0 ? 0 : n) + (high ? n / 2 : 0) + k / 2);
  }

  /** The even ({@code odd} false) or odd lanes of the concatenation: AArch64 UZP1/UZP2. */
  public static ShuffleMask deinterleave(int laneBytes, boolean odd) {
    return byLanes(laneBytes, k -> 2 * k + (odd ? 1 : 0));
  }

  /**
   * The even ({@code odd} false) or odd lanes of each pair of the first operand's, each followed
   * by the second's at the same position: AArch64 TRN1/TRN2.
   */
  public static ShuffleMask transpose(int laneBytes, boolean odd) {
    int n = 16 / laneBytes;
    return byLanes(laneBytes, k -> (k % 2 == 0 ? k + (odd ? 1 : 0) : n + k - 1 + (odd ? 1 : 0)));
  }

  private static ShuffleMask byLanes(int laneBytes, java.util.function.IntUnaryOperator source) {
    int[] index = new int[16];
    for (int i = 0; i < 16; i++) {
      index[i] = source.applyAsInt(i / laneBytes) * laneBytes + i % laneBytes;
    }
    return of(index);
  }
}

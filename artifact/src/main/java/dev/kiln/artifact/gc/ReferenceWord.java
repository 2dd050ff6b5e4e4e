package dev.kiln.artifact.gc;

/**
 * The encoding of an any- or extern-hierarchy reference in one 64-bit word (this package's
 * documentation explains the choice): 0 null, bit 0 set an i31, an 8-aligned address inside the
 * store's GC heap a struct or array object, anything else a host reference.
 */
public final class ReferenceWord {
  /** The word of a null reference. */
  public static final long NULL = 0;
  /** The tag bit of an i31 (spec 3.0 2.3.4, "i31"): set in every i31 word, clear in every other. */
  public static final long I31_TAG = 1;
  /** How far an i31's value is shifted up in its word. */
  public static final int I31_SHIFT = 1;

  private ReferenceWord() {}

  /** {@code ref.i31 value} (spec 4.4.x): the low 31 bits of {@code value}, tagged. */
  public static long i31(int value) {
    return (Integer.toUnsignedLong(value & 0x7FFF_FFFF) << I31_SHIFT) | I31_TAG;
  }

  /** Whether {@code word} is an i31. */
  public static boolean isI31(long word) {
    return (word & I31_TAG) != 0;
  }

  /**
   * Whether {@code word} is an i31 as {@link #i31} makes it: tagged, its high half zero. Compiled
   * code compares i31s by their bits ({@code ref.eq}), so only this form may come from outside.
   */
  public static boolean isCanonicalI31(long word) {
    return isI31(word) && (word >>> 32) == 0;
  }

  /** {@code i31.get_u} of an i31 word: its value, zero-extended. */
  public static int i31Unsigned(long word) {
    return (int) (word >>> I31_SHIFT) & 0x7FFF_FFFF;
  }

  /** {@code i31.get_s} of an i31 word: its value, sign-extended from bit 30. */
  public static int i31Signed(long word) {
    return (int) word >> I31_SHIFT;
  }
}

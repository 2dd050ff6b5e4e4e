package dev.kiln.codegen;

/**
 * One kind of PC-relative field that refers to a {@link Label}, supplied per ISA (Cranelift's
 * {@code MachInstLabelUse}). The buffer asks it whether a target is in reach and how to write the
 * field; it never interprets instruction bits itself.
 *
 * <p>Ranges are measured from the offset of the use (the first byte of the patched field) to the
 * label: {@code delta = labelOffset - useOffset}, in reach when
 * {@code -maxNegativeRange() <= delta <= maxPositiveRange()}. An x86-64 rel8 field, for example, holds
 * {@code label - (use + 1)} and so reaches {@code delta} in [-127, 128].
 *
 * <p>The veneer hooks serve ISAs with short branches (AArch64 {@code b.cond}: +-1 MiB): when a target
 * is out of reach, the buffer appends a veneer, a longer-range jump, points the short use at it and
 * records the veneer's own use of the label. x86-64 needs none: rel32 reaches the whole function.
 */
public interface LabelUse {

  /** Largest forward distance (label after use) this field can express. */
  long maxPositiveRange();

  /** Largest backward distance (label before use), as a positive number. */
  long maxNegativeRange();

  /** Number of bytes of the field at the use offset that {@link #patch} rewrites. */
  int patchSize();

  /**
   * Writes the reference to {@code labelOffset} into {@code code} at {@code useOffset}. Bytes already
   * in the field may carry an addend the encoder placed there (x86-64 RIP-relative operands followed
   * by an immediate do); implementations document whether they read it.
   *
   * @throws IllegalArgumentException if the target is out of this field's reach
   */
  void patch(byte[] code, int useOffset, int labelOffset);

  /** True if an out-of-range use of this kind can be bridged by a veneer. */
  default boolean supportsVeneer() {
    return false;
  }

  /** Size in bytes of the veneer {@link #generateVeneer} writes; 0 when none is supported. */
  default int veneerSize() {
    return 0;
  }

  /** Alignment the veneer's start offset needs (4 on AArch64, whose instructions are words). */
  default int veneerAlignment() {
    return 1;
  }

  /**
   * Writes a veneer at {@code veneerOffset} (the buffer has reserved {@link #veneerSize()} bytes there)
   * and returns the veneer's own use of the label, which the buffer resolves like any other.
   *
   * @throws UnsupportedOperationException if {@link #supportsVeneer()} is false
   */
  default VeneerUse generateVeneer(byte[] code, int veneerOffset) {
    throw new UnsupportedOperationException(this + " has no veneer");
  }

  /**
   * The use a veneer makes of the original label.
   *
   * @param offset offset of the veneer's patchable field in the buffer
   * @param use the kind of that field (normally longer-range than the one it bridges)
   */
  record VeneerUse(int offset, LabelUse use) {}
}

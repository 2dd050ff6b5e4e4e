package dev.kiln.ir;

/**
 * Facts about one memory access that passes may rely on. Stored in the instruction as {@link
 * #bits()}; printed before the address, e.g. {@code load.i64 vmctx readonly v0+8}.
 *
 * @param region which memory is accessed (accesses to different regions do not alias)
 * @param readonly the location does not change while the function runs (a vmctx field such as a
 *     non-growable memory's base): loads may be hoisted and merged freely
 * @param aligned the address is a multiple of the access width
 * @param traps the access itself is the bounds check: outside the memory it faults in the guard
 *     region and the fault is a {@code heap_out_of_bounds} trap (artifact.vm.MemoryGuard), so
 *     passes must keep it, and keep it in order with other traps and side effects, even when its
 *     result is unused
 */
public record MemFlags(MemRegion region, boolean readonly, boolean aligned, boolean traps) {
  private static final int REGION_MASK = 0b111;
  private static final int READONLY = 1 << 3;
  private static final int ALIGNED = 1 << 4;
  private static final int TRAPS = 1 << 5;

  public static final MemFlags NONE = new MemFlags(MemRegion.OTHER, false, false);
  public static final MemFlags HEAP = new MemFlags(MemRegion.HEAP, false, false);
  /** A linear-memory access that no explicit check precedes: the guard region checks it. */
  public static final MemFlags HEAP_GUARDED = new MemFlags(MemRegion.HEAP, false, false, true);
  public static final MemFlags VMCTX = new MemFlags(MemRegion.VMCTX, false, true);
  public static final MemFlags VMCTX_READONLY = new MemFlags(MemRegion.VMCTX, true, true);
  public static final MemFlags RUNTIME = new MemFlags(MemRegion.RUNTIME, false, true);

  /** An access that never traps. */
  public MemFlags(MemRegion region, boolean readonly, boolean aligned) {
    this(region, readonly, aligned, false);
  }

  public MemFlags {
    java.util.Objects.requireNonNull(region, "region");
  }

  public int bits() {
    return region.ordinal() | (readonly ? READONLY : 0) | (aligned ? ALIGNED : 0) | (traps ? TRAPS : 0);
  }

  /**
   * The flags of every bit pattern of a valid region, made once: passes decode an access's flags
   * each time they look at it.
   */
  private static final MemFlags[] BY_BITS = new MemFlags[TRAPS << 1];

  static {
    for (int bits = 0; bits < BY_BITS.length; bits++) {
      if ((bits & REGION_MASK) < MemRegion.values().length) {
        BY_BITS[bits] = decode(bits);
      }
    }
  }

  public static MemFlags ofBits(int bits) {
    if (bits >= 0 && bits < BY_BITS.length && BY_BITS[bits] != null) {
      return BY_BITS[bits];
    }
    return decode(bits);
  }

  private static MemFlags decode(int bits) {
    return new MemFlags(
        MemRegion.ofOrdinal(bits & REGION_MASK), (bits & READONLY) != 0, (bits & ALIGNED) != 0,
        (bits & TRAPS) != 0);
  }

  /** The words the text format prints before the address, each followed by a space. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    if (region != MemRegion.OTHER) {
      sb.append(region.text()).append(' ');
    }
    if (readonly) {
      sb.append("readonly ");
    }
    if (aligned) {
      sb.append("aligned ");
    }
    if (traps) {
      sb.append("traps ");
    }
    return sb.toString();
  }
}

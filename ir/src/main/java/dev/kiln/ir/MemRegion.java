package dev.kiln.ir;

/**
 * Which kind of memory a load or store touches. Accesses to different regions never alias, which
 * is what lets GVN and LICM keep a {@code vmctx} load across a {@code heap} store.
 */
public enum MemRegion {
  /** Not classified: may alias anything. Printed as nothing. */
  OTHER(""),
  /** Wasm linear memory. */
  HEAP("heap"),
  /**
   * The instance's VMContext (memory bases and lengths, globals, function records), and fields of
   * the store context that, like them, change only through a call (the epoch deadline).
   */
  VMCTX("vmctx"),
  /** Table storage (funcref slots). */
  TABLE("table"),
  /**
   * Runtime state that changes under the function's feet or that the function keeps for the
   * runtime: the engine's epoch counter (another thread increments it) and the store's fuel (this
   * function writes it back at calls and returns). Its loads are never merged or moved (the value
   * may differ from one load to the next), and its stores do not write the VMContext.
   */
  RUNTIME("runtime");

  private static final MemRegion[] VALUES = values();
  private final String text;

  MemRegion(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static MemRegion ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  /** The region spelled {@code text} (never {@link #OTHER}, which has no spelling), or null. */
  public static MemRegion byText(String text) {
    for (MemRegion r : VALUES) {
      if (r != OTHER && r.text.equals(text)) {
        return r;
      }
    }
    return null;
  }
}

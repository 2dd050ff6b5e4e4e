package dev.kiln.artifact.index;

/**
 * Byte layout of {@code .kiln.funcs}, shared by the builder and the reader (docs/cwasm-format.md):
 *
 * <pre>
 *   header      u32 namespaceCount, u32 runCount, u32 slotCount
 *   namespaces  namespaceCount x { u32 namespace, u32 firstRun }   sorted by namespace (unsigned)
 *   runs        runCount x { u32 firstIndex, u32 firstSlot }       sorted by (namespace, firstIndex)
 *   starts      (slotCount + 1) x u32                              text offsets, non-decreasing
 * </pre>
 *
 * A run's slot count is the next run's {@code firstSlot} (or {@code slotCount}) minus its own, and a
 * namespace's runs end where the next namespace's begin, so no count is stored twice. Slot {@code s}
 * covers {@code [starts[s], starts[s+1])}; an empty range is a hole (an absent key inside a run).
 */
final class IndexLayout {
  static final int HEADER_BYTES = 12;
  static final int NAMESPACE_BYTES = 8;
  static final int RUN_BYTES = 8;
  static final int SLOT_BYTES = 4;
  /**
   * The longest gap of absent indices the builder fills with holes rather than starting a run:
   * holes cost {@code SLOT_BYTES} each, a run {@code RUN_BYTES}; on a tie holes win because fewer
   * runs make the binary search shorter.
   */
  static final int MAX_HOLES = RUN_BYTES / SLOT_BYTES;

  static final String SECTION = ".kiln.funcs";

  private IndexLayout() {}

  static long namespacesOffset() {
    return HEADER_BYTES;
  }

  static long runsOffset(long namespaceCount) {
    return HEADER_BYTES + namespaceCount * NAMESPACE_BYTES;
  }

  static long startsOffset(long namespaceCount, long runCount) {
    return runsOffset(namespaceCount) + runCount * RUN_BYTES;
  }

  static long totalBytes(long namespaceCount, long runCount, long slotCount) {
    return startsOffset(namespaceCount, runCount) + (slotCount + 1) * SLOT_BYTES;
  }
}

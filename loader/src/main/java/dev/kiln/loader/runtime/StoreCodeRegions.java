package dev.kiln.loader.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The code regions registered in a store for backtraces ({@link NativeStore#registerCode}): a
 * trap's return addresses are resolved against every region of the store, since wasm frames of
 * several modules can be on the stack (imports calling into other instances). {@link NativeStore}
 * calls it under its lock; traps and the collector's frame walk read the {@link #snapshot()}
 * without one.
 */
final class StoreCodeRegions {
  /**
   * The registered regions in order of registration and how many instances registered each, the
   * first {@link #regionCount} of the arrays (made at the first registration): a store holds one
   * module's code or a few, and a map per store was half a dozen objects per instance per request.
   */
  private CodeRegion[] regions;
  private int[] regionUses;
  private int regionCount;
  /** The registered regions as an immutable list, replaced on each change, shared by traps. */
  private volatile List<CodeRegion> regionSnapshot = List.of();

  /** The registered regions, an immutable list replaced on each change. */
  List<CodeRegion> snapshot() {
    return regionSnapshot;
  }

  /**
   * Registers {@code region} once more (once per instance). Everything that allocates (the grown
   * arrays, the new snapshot) is made first into locals and the fields are written after it, with
   * nothing between that can throw: an OutOfMemoryError or StackOverflowError inside leaves the
   * store's regions as they were (red team 23 F2: the arrays grown one after the other left
   * {@code regionUses} null, and every later instantiation of the store failed).
   */
  void register(CodeRegion region) {
    Objects.requireNonNull(region, "region");
    int at = regionIndex(region);
    if (at >= 0) {
      regionUses[at]++;
      return;
    }
    CodeRegion[] grownRegions = regions;
    int[] grownUses = regionUses;
    if (regions == null) {
      grownRegions = new CodeRegion[2];
      grownUses = new int[2];
    } else if (regionCount == regions.length) {
      grownRegions = Arrays.copyOf(regions, 2 * regionCount);
      grownUses = Arrays.copyOf(regionUses, 2 * regionCount);
    }
    CodeRegion[] listed = Arrays.copyOf(grownRegions, regionCount + 1);
    listed[regionCount] = region;
    List<CodeRegion> snapshot = List.of(listed);
    regions = grownRegions;
    regionUses = grownUses;
    regions[regionCount] = region;
    regionUses[regionCount++] = 1;
    regionSnapshot = snapshot;
  }

  /** Undoes one {@link #register} of {@code region}; the new snapshot is made before any field changes. */
  void unregister(CodeRegion region) {
    int at = regionIndex(region);
    if (at < 0) {
      return;
    }
    if (regionUses[at] > 1) {
      regionUses[at]--;
      return;
    }
    List<CodeRegion> snapshot = List.of();
    if (regionCount > 1) {
      CodeRegion[] listed = new CodeRegion[regionCount - 1];
      System.arraycopy(regions, 0, listed, 0, at);
      System.arraycopy(regions, at + 1, listed, at, regionCount - 1 - at);
      snapshot = List.of(listed);
    }
    regionUses[at] = 0;
    regionCount--;
    System.arraycopy(regions, at + 1, regions, at, regionCount - at);
    System.arraycopy(regionUses, at + 1, regionUses, at, regionCount - at);
    regions[regionCount] = null;
    regionSnapshot = snapshot;
  }

  /** Where {@code region} is among the registered regions (by equality, as a map key), or -1. */
  private int regionIndex(CodeRegion region) {
    for (int i = 0; i < regionCount; i++) {
      if (regions[i].equals(region)) {
        return i;
      }
    }
    return -1;
  }
}

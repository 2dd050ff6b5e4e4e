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

  /** Registers {@code region} once more (once per instance). */
  void register(CodeRegion region) {
    Objects.requireNonNull(region, "region");
    int at = regionIndex(region);
    if (at >= 0) {
      regionUses[at]++;
      return;
    }
    if (regions == null) {
      regions = new CodeRegion[2];
      regionUses = new int[2];
    } else if (regionCount == regions.length) {
      regions = Arrays.copyOf(regions, 2 * regionCount);
      regionUses = Arrays.copyOf(regionUses, 2 * regionCount);
    }
    regions[regionCount] = region;
    regionUses[regionCount++] = 1;
    regionSnapshot = List.of(Arrays.copyOf(regions, regionCount));
  }

  /** Undoes one {@link #register} of {@code region}. */
  void unregister(CodeRegion region) {
    int at = regionIndex(region);
    if (at < 0 || --regionUses[at] > 0) {
      return;
    }
    regionCount--;
    System.arraycopy(regions, at + 1, regions, at, regionCount - at);
    System.arraycopy(regionUses, at + 1, regionUses, at, regionCount - at);
    regions[regionCount] = null;
    regionSnapshot = regionCount == 0 ? List.of() : List.of(Arrays.copyOf(regions, regionCount));
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

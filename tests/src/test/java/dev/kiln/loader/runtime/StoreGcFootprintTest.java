package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.IdentityHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a store's GC part costs a store that never holds GC roots of an instance (issue 41: every
 * instance-per-request cycle makes one). The owner map of {@link StoreGc} waits for the first
 * owned roots: an empty {@link IdentityHashMap} is a 64-slot table, more than the rest of the part.
 * Bytes from HotSpot's per-thread allocation counter; the objects escape into a field, so no JIT
 * removes them and the count does not depend on compilation.
 */
class StoreGcFootprintTest {
  private Object sink;

  @Test
  void aStoreGcWithoutOwnedRootsCostsLessThanOneEmptyIdentityMap() {
    long storeGc = bytesOf(() -> new StoreGc(null, null, null, null, null));
    long identityMap = bytesOf(IdentityHashMap::new);
    assertTrue(storeGc < identityMap, "a StoreGc allocates " + storeGc + " bytes, an empty IdentityHashMap "
        + identityMap + ": the owner map is made before any roots have an owner");
  }

  /** The fewest bytes one {@code make} allocated over many tries (the first ones load classes). */
  private long bytesOf(Supplier<?> make) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long fewest = Long.MAX_VALUE;
    for (int i = 0; i < 1_000; i++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      long empty = threads.getCurrentThreadAllocatedBytes() - before;
      before = threads.getCurrentThreadAllocatedBytes();
      sink = make.get();
      long made = threads.getCurrentThreadAllocatedBytes() - before;
      fewest = Math.min(fewest, made - empty);
    }
    return fewest;
  }
}

package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.loader.sys.NativeHeap;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exception objects are cut from a few growing C-heap chunks, not one {@code calloc} per throw
 * (issue 38: a throw loop's objects each cost a C-heap call to make and one to free), counted by
 * the C-heap blocks the store holds: 10,000 objects take a dozen blocks, and closing gives them all
 * back. Each object is still its own: distinct, aligned, zeroed past the header the runtime writes,
 * and an object larger than any chunk gets a block of its own size.
 */
class StoreExceptionsChunkTest {
  @Test
  void tenThousandObjectsTakeAFewChunksAndAllGoBack() {
    try (NativeStore store = new NativeStore()) {
      StoreExceptions exceptions = new StoreExceptions(MemorySegment.NULL, List::of, store.resources().memoryBytes(),
          new TagRegistry());
      long blocksBefore = NativeHeap.liveBlocks();
      Set<Long> addresses = new HashSet<>();
      for (int i = 0; i < 10_000; i++) {
        long object = exceptions.allocate(0, 7, 1, 0, 0);
        assertTrue(object != 0 && object % NativeHeap.ALIGNMENT == 0, "object " + i + " at " + object);
        assertTrue(addresses.add(object), "object " + i + " is new");
        MemorySegment bytes = MemorySegment.ofAddress(object).reinterpret(ExceptionLayout.size(1));
        assertEquals(7, bytes.get(java.lang.foreign.ValueLayout.JAVA_LONG, ExceptionLayout.TAG));
        assertEquals(1, bytes.get(java.lang.foreign.ValueLayout.JAVA_INT, ExceptionLayout.COUNT));
        assertEquals(0, bytes.get(java.lang.foreign.ValueLayout.JAVA_LONG, ExceptionLayout.value(0)), "zeroed");
        bytes.set(java.lang.foreign.ValueLayout.JAVA_LONG, ExceptionLayout.value(0), -1); // the payload compiled code writes
      }
      long chunks = NativeHeap.liveBlocks() - blocksBefore;
      // 10,000 x 32 bytes in chunks of 1, 2, 4 ... 64 KiB: 7 chunks hold 127 KiB, then 64 KiB each
      assertTrue(chunks <= 12, chunks + " C-heap blocks for 10,000 objects");
      long big = exceptions.allocate(0, 7, 65_535, 0, 0);
      assertTrue(big != 0, "an object larger than a chunk");
      assertEquals(chunks + 1, NativeHeap.liveBlocks() - blocksBefore, "its own block");
      assertTrue(exceptions.allocate(0, 7, 1, 0, 0) != 0, "and small ones after it");
      exceptions.free();
      assertEquals(blocksBefore, NativeHeap.liveBlocks(), "every chunk freed with the store");
    }
  }
}

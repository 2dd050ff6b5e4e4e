package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An {@code OutOfMemoryError} making the segment over memory a native call just made leaves none of
 * that memory behind (issue 35): {@link NativeHeap#allocate} frees the {@code calloc(3)} block and
 * counts nothing, {@link ImageFile#create} unmaps its view. Seen from the kernel: the block is one
 * the C library maps by itself (far past glibc's and musl's mmap thresholds), so {@code
 * /proc/self/maps} shows whether it was given back, and an image file's mappings carry its name.
 */
class SegmentAfterTheNativeCallTest {
  /** Past the largest mmap threshold glibc's malloc moves to (32 MiB on 64-bit) and musl's. */
  private static final long MAPPED_BLOCK = 64L << 20;

  @Test
  void aBlockWhoseSegmentFailsIsFreedAndNotCounted() throws IOException {
    // The kernel shows such a block while it lives: what the check after a failure relies on
    MemorySegment live = NativeHeap.allocate(MAPPED_BLOCK);
    try {
      assertTrue(StackEndSweeps.mapped(live.address()), "a block this large is not a mapping of its own");
    } finally {
      NativeHeap.free(live);
    }
    long before = NativeHeap.liveBlocks();
    SegmentsThatRunOut segments = new SegmentsThatRunOut(1);
    assertThrows(OutOfMemoryError.class, () -> NativeHeap.allocate(MAPPED_BLOCK, segments));
    assertTrue(segments.ranOut(), "no segment was made");
    assertFalse(StackEndSweeps.mapped(segments.failedAddress()), "the block whose segment failed is still allocated");
    assertEquals(before, NativeHeap.liveBlocks(), "the block whose segment failed is counted");
  }

  /** Each segment create makes, failed in turn (the writable mapping's, then the read-only view's). */
  @Test
  void anImageFileWhoseSegmentFailsLeavesNoMapping() throws IOException {
    long size = 4 * VirtualMemory.pageSize();
    int failed = 0;
    for (int failing = 1; ; failing++) {
      String name = "kiln-segment-fails-" + failing;
      SegmentsThatRunOut segments = new SegmentsThatRunOut(failing);
      try {
        ImageFile image = ImageFile.create(name, size, bytes -> bytes.fill((byte) 1), segments);
        assertEquals(1, mappingsOf(name), "the image file's view");
        image.close();
        break;
      } catch (OutOfMemoryError injected) {
        failed++;
        assertEquals(0, mappingsOf(name), "mappings left by a create whose segment " + failing + " failed");
      }
    }
    assertEquals(2, failed, "the segments create makes");
  }

  /** How many of this process's mappings map the memfd named {@code name} (proc(5): its path is {@code /memfd:NAME (deleted)}). */
  private static long mappingsOf(String name) throws IOException {
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(line -> line.endsWith(" /memfd:" + name + " (deleted)")).count();
    }
  }
}

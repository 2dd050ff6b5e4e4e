package dev.kiln.wasi.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GuestIovecs#slice}: a chunked transfer moves the buffers one slice at a time, so the
 * slices must name exactly the bytes the whole list names, in order, whatever the entries' lengths
 * (empty ones included) and wherever a slice starts and ends.
 */
class GuestIovecsSliceTest {
  /** The guest addresses the entries name, byte by byte, in order. */
  private static List<Long> addresses(GuestIovecs v) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < v.count(); i++) {
      for (long b = 0; b < v.length(i); b++) {
        out.add(v.buffer(i) + b);
      }
    }
    return out;
  }

  @Test
  void slicesNameTheWholeListsBytesInOrder() {
    SplittableRandom random = new SplittableRandom(35);
    MemorySegment memory = Arena.ofAuto().allocate(1 << 16, 8);
    GuestMemory m = new GuestMemory(memory);
    for (int round = 0; round < 200; round++) {
      int entries = 1 + random.nextInt(12);
      for (int i = 0; i < entries; i++) {
        m.putI32(8L * i, 4096 + random.nextInt(4096));
        m.putI32(8L * i + 4, random.nextInt(4) == 0 ? 0 : random.nextInt(40));
      }
      GuestIovecs whole = m.iovecs(0, entries);
      List<Long> expected = addresses(whole);
      int piece = 1 + random.nextInt(50);
      List<Long> got = new ArrayList<>();
      for (long from = 0; from < whole.total(); from += piece) {
        GuestIovecs slice = whole.slice(from, piece);
        assertEquals(Math.min(piece, whole.total() - from), slice.total());
        got.addAll(addresses(slice));
      }
      assertEquals(expected, got, "round " + round + ", slices of " + piece);
      assertEquals(0, whole.slice(whole.total(), piece).total());
    }
  }
}

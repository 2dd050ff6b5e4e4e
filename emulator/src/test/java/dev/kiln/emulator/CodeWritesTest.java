package dev.kiln.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The log of rewritten code keeps the latest ranges and says when an engine fell behind it. */
class CodeWritesTest {
  @Test
  void keepsTheLatestRangesAndReportsALaggingReader() {
    long start = CodeWrites.count();
    for (int i = 0; i <= CodeWrites.RETAINED; i++) {
      CodeWrites.record(0x10_0000L + 16L * i, 0x10_0000L + 16L * i + 8);
    }
    assertEquals(start + CodeWrites.RETAINED + 1, CodeWrites.count());
    assertTrue(CodeWrites.since(start).isEmpty(), "the oldest of these ranges is no longer kept");
    List<long[]> lastTwo = CodeWrites.since(CodeWrites.count() - 2).orElseThrow();
    assertEquals(2, lastTwo.size());
    long last = 0x10_0000L + 16L * CodeWrites.RETAINED;
    assertArrayEquals(new long[] {last - 16, last - 8}, lastTwo.get(0));
    assertArrayEquals(new long[] {last, last + 8}, lastTwo.get(1));
    assertEquals(List.of(), CodeWrites.since(CodeWrites.count()).orElseThrow());
  }
}

package dev.kiln.codegen.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared frame shape with both ISAs' save areas: 8 bytes a pushed register (x86-64) leaves the
 * locals to restore the 16-byte alignment, 16 bytes a pair (AArch64) is aligned already.
 */
class FrameTest {
  @Test
  void localsArePaddedSoTheStackPointerIsAlignedBelowTheSaveArea() {
    Frame<String> pushed = new Frame<>(List.of("rbx"), 8, 4, 16);
    assertEquals(8, pushed.allocatedLocalBytes());
    assertEquals(16, pushed.sizeBelowFramePointer());
    Frame<String> paired = new Frame<>(List.of("x19", "x20", "x21"), 32, 24, 16);
    assertEquals(32, paired.allocatedLocalBytes());
    assertEquals(64, paired.sizeBelowFramePointer());
    assertEquals(0, new Frame<String>(List.of(), 0, 0, 16).sizeBelowFramePointer());
  }

  @Test
  void aFrameThatCannotHoldWhatItSavesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Frame<>(List.of("rbx", "rbx"), 16, 0, 16));
    assertThrows(IllegalArgumentException.class, () -> new Frame<>(List.of("rbx", "r12"), 8, 0, 16));
    assertThrows(IllegalArgumentException.class, () -> new Frame<>(List.of(), 0, -8, 16));
    assertThrows(IllegalArgumentException.class, () -> new Frame<>(List.of(), 0, 0, 12));
  }
}

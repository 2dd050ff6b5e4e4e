package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.tables.StackMapTable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The work of one collector frame walk ({@link WasmFrameRoots}), counted on a frame-pointer chain
 * laid out in native memory the way compiled code leaves it: a walk finds each frame's region by a
 * containment check and looks up one stack map per frame; it names no frame ({@link
 * CodeRegion#framesAt} builds frame and name objects, which binary-trees' profile spent its
 * collector time in, issue 39). Frames are only named for the message of a walk that fails.
 */
class WasmFrameRootsWorkTest {
  /** A region of fake code addresses [start, end) that counts what the walk asks of it. */
  private static final class CountingRegion implements CodeRegion {
    final long start;
    final long end;
    final StackMapTable.StackMap map;
    int framesAt;
    int contains;
    int stackMaps;

    CountingRegion(long start, long end, StackMapTable.StackMap map) {
      this.start = start;
      this.end = end;
      this.map = map;
    }

    @Override
    public List<WasmFrame> framesAt(long pc) {
      framesAt++;
      return List.of();
    }

    @Override
    public boolean contains(long pc) {
      contains++;
      return pc - 1 >= start && pc - 1 < end;
    }

    @Override
    public StackMapTable.StackMap stackMap(long returnAddress) {
      stackMaps++;
      return map;
    }
  }

  @Test
  void aWalkLooksUpOneMapPerFrameAndNamesNoFrame() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment stack = arena.allocate(4096, 16);
      long base = stack.address();
      // the slow path's trampoline frame, then five wasm frames 256 bytes apart, then the entry's
      int frames = 5;
      long[] fps = new long[frames + 1];
      for (int i = 0; i <= frames; i++) {
        fps[i] = base + 256L * i;
      }
      long entryFp = base + 256L * (frames + 1);
      CountingRegion other = new CountingRegion(0x10_0000, 0x20_0000, null);
      CountingRegion code = new CountingRegion(0x40_0000, 0x50_0000, new StackMapTable.StackMap(64, new int[] {0, 8}));
      for (int i = 0; i <= frames; i++) {
        long callerFp = i < frames ? fps[i + 1] : entryFp;
        stack.set(JAVA_LONG, fps[i] - base, callerFp);
        stack.set(JAVA_LONG, fps[i] - base + 8, 0x40_0000 + 0x100L * (i + 1));
      }

      WasmFrameRoots roots = WasmFrameRoots.walk(List.of(new WasmFrameRoots.Chain(fps[0], entryFp)), List.of(other, code));

      assertEquals(2 * frames, roots.count(), "two slots in each wasm frame");
      assertEquals(frames, code.stackMaps, "one stack map lookup per frame");
      assertEquals(0, other.stackMaps, "no lookup in a region the frame is not in");
      assertEquals(frames, code.contains, "one containment check per frame in its region");
      assertEquals(frames, other.contains, "one in each region before it");
      assertEquals(0, code.framesAt + other.framesAt, "the walk named no frame");
    }
  }

  /** A return address in no region still refuses the walk (the containment check is the defence the frame lookup was). */
  @Test
  void aReturnAddressOutsideEveryRegionStillFailsTheWalk() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment stack = arena.allocate(1024, 16);
      long base = stack.address();
      long entryFp = base + 512;
      // the trampoline's record at base returns into the one wasm frame, whose record (base + 256)
      // links to the entry's frame
      stack.set(JAVA_LONG, 0, base + 256);
      stack.set(JAVA_LONG, 256, entryFp);
      // the region's last byte holds the call: its return address is one past the region
      stack.set(JAVA_LONG, 8, 0x40_0010);
      CountingRegion code = new CountingRegion(0x40_0000, 0x40_0010, new StackMapTable.StackMap(64, new int[] {0}));
      List<WasmFrameRoots.Chain> chains = List.of(new WasmFrameRoots.Chain(base, entryFp));
      assertEquals(1, WasmFrameRoots.walk(chains, List.of(code)).count());
      // a return address whose call lies one byte past the region: no region holds it
      stack.set(JAVA_LONG, 8, 0x40_0011);
      FrameWalkException e = assertThrows(FrameWalkException.class, () -> WasmFrameRoots.walk(chains, List.of(code)));
      assertEquals(true, e.getMessage().contains("outside every module's code"), e.getMessage());
    }
  }
}

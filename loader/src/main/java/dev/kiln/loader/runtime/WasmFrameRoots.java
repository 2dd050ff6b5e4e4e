package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.tables.StackMapTable;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The GC roots in the wasm frames of the innermost activation, found by walking the frame-pointer
 * chain from the GC heap's slow path up to the entry from the host: the same chain the exception
 * unwinder walks ({@link StoreExceptions}; on both targets a frame's record holds the caller's frame
 * pointer at {@code fp} and the return address into the caller at {@code fp + 8}). Each return
 * address is looked up in its module's stack map table ({@code .kiln.stackmaps}, {@link
 * CodeRegion#stackMap}): the safepoint's slots are the words at {@code fp - frame + slot}, where the
 * frame keeps its GC references while the call is under way.
 *
 * <p><b>What the walk trusts.</b> The start, {@code trap_fp}, is written by the slow path's own
 * trampoline (not the guest), and the entry frame pointer by the entry trampoline. The chain itself
 * lies in the wasm stack, which guest code cannot address (linear memory is a separate region), but
 * the walk still checks it: each caller's frame pointer must lie above the one before and at most
 * at the entry's, and each return address must be inside a registered module's code; otherwise the
 * walk is refused as a whole ({@link IllegalStateException}) before any word is rewritten. A stack
 * map's slots were checked when its table was decoded (every slot inside its frame, between the
 * stack pointer and the frame record: {@link StackMapTable}), so a damaged artifact cannot make the
 * collector write outside the frame the map describes.
 */
final class WasmFrameRoots implements GcRoots {
  private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
  /** More frames than any wasm stack holds ({@code max_wasm_stack} / the smallest frame record). */
  private static final int MAX_FRAMES = 1 << 24;

  private final long[] slots;

  private WasmFrameRoots(long[] slots) {
    this.slots = slots;
  }

  /**
   * Walks from the frame record at {@code startFp} (the slow path trampoline's, whose caller is the
   * allocating wasm frame) up to the frame whose caller's frame pointer is {@code entryFp}.
   *
   * @throws IllegalStateException if the chain is not what compiled code leaves (the walk is refused)
   */
  static WasmFrameRoots walk(long startFp, long entryFp, List<CodeRegion> regions) {
    long[] found = new long[16];
    int count = 0;
    long fp = startFp;
    for (int frames = 0; ; frames++) {
      long callerFp = ALL.get(JAVA_LONG, fp);
      long returnAddress = ALL.get(JAVA_LONG, fp + 8);
      if (callerFp == entryFp) {
        // fp is the outermost wasm frame: its caller is the entry trampoline
        if (fp != startFp) {
          break;
        }
        throw new IllegalStateException("the slow path was not called from a wasm frame");
      }
      if (Long.compareUnsigned(callerFp, fp) <= 0 || Long.compareUnsigned(callerFp, entryFp) > 0
          || (callerFp & 0xF) != 0 || frames >= MAX_FRAMES) {
        throw new IllegalStateException("a frame pointer chain the compiled code did not leave, at 0x"
            + Long.toHexString(fp));
      }
      StackMapTable.StackMap map = null;
      boolean inCode = false;
      for (CodeRegion region : regions) {
        if (!region.framesAt(returnAddress).isEmpty()) {
          inCode = true;
          map = region.stackMap(returnAddress);
          break;
        }
      }
      if (!inCode) {
        throw new IllegalStateException("a return address outside every module's code");
      }
      if (map != null) {
        long sp = callerFp - map.frameBelowFp();
        for (int i = 0; i < map.count(); i++) {
          if (count == found.length) {
            found = java.util.Arrays.copyOf(found, count * 2);
          }
          found[count++] = sp + map.slotOffset(i);
        }
      }
      fp = callerFp;
    }
    return new WasmFrameRoots(java.util.Arrays.copyOf(found, count));
  }

  /** How many slots the walk found. */
  int count() {
    return slots.length;
  }

  @Override
  public void relocate(LongUnaryOperator relocate) {
    for (long slot : slots) {
      ALL.set(JAVA_LONG, slot, relocate.applyAsLong(ALL.get(JAVA_LONG, slot)));
    }
  }
}

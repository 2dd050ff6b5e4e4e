package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.tables.StackMapTable;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The GC roots in the wasm frames of a store's activations, found by walking each one's
 * frame-pointer chain: the running activation's from the GC heap's slow path up to its entry, and
 * each activation suspended in a host call ({@link SuspendedActivations}) from its wasm-to-array
 * trampoline up to its own entry. It is the chain the exception unwinder walks ({@link
 * StoreExceptions}; on both targets a frame's record holds the caller's frame pointer at {@code fp}
 * and the return address into the caller at {@code fp + 8}). Each return address is looked up in
 * its module's stack map table ({@code .kiln.stackmaps}, {@link CodeRegion#stackMap}): the
 * safepoint's slots are the words at {@code fp - frame + slot}, where the frame keeps its GC
 * references while the call is under way.
 *
 * <p><b>What the walk trusts.</b> Each chain's start is written by a trampoline (the slow path's
 * {@code trap_fp}, a host call's {@code exit_fp}), not the guest, and its end by the entry
 * trampoline. The chains lie in the wasm stack, which guest code cannot address (linear memory is
 * a separate region), but the walk still checks them and refuses the whole walk ({@link
 * FrameWalkException}) before any word is rewritten: each caller's frame pointer must lie above the
 * one before, 16-aligned, and at most at its entry's; an outer activation's frames must lie above
 * the inner one's entry; each return address must be inside a registered module's code; and a map's
 * frame must not reach below the frame record of the frame it called (its slots would lie in that
 * frame). A return address without a map is a call across which its frame holds no GC reference:
 * the compiler records no entry there ({@link StackMapTable}), so a table that lost an entry cannot
 * be told from it; the seal and the signing key are what keep such a table out. A stack map's slots were checked when its table was decoded (every slot
 * inside its frame, between the stack pointer and the frame record), so a damaged artifact cannot
 * make the collector write outside the frame the map describes.
 */
final class WasmFrameRoots implements GcRoots {
  private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
  /** More frames than any wasm stack holds ({@code max_wasm_stack} / the smallest frame record). */
  private static final int MAX_FRAMES = 1 << 24;

  /**
   * One activation's chain: from the frame record at {@code startFp} (a trampoline's, whose caller
   * is a wasm frame) up to the frame whose caller's frame pointer is {@code entryFp}.
   */
  record Chain(long startFp, long entryFp) {}

  private final long[] slots;

  private WasmFrameRoots(long[] slots) {
    this.slots = slots;
  }

  /**
   * Walks {@code chains}, innermost first.
   *
   * @throws FrameWalkException naming what compiled code does not leave (nothing is rewritten)
   */
  static WasmFrameRoots walk(List<Chain> chains, List<CodeRegion> regions) {
    long[] found = new long[16];
    int count = 0;
    int frames = 0;
    long innerEntry = 0;
    for (Chain chain : chains) {
      if (innerEntry != 0 && Long.compareUnsigned(chain.startFp(), innerEntry) <= 0) {
        throw new FrameWalkException("a suspended activation's frames at 0x" + Long.toHexString(chain.startFp())
            + " lie below the activation it called");
      }
      innerEntry = chain.entryFp();
      long fp = chain.startFp();
      if ((fp & 0xF) != 0) {
        throw new FrameWalkException("a frame pointer chain the compiled code did not leave, at 0x" + Long.toHexString(fp));
      }
      while (true) {
        long callerFp = ALL.get(JAVA_LONG, fp);
        long returnAddress = ALL.get(JAVA_LONG, fp + 8);
        if (callerFp == chain.entryFp()) {
          // fp is the outermost wasm frame: its caller is the entry trampoline
          if (fp != chain.startFp()) {
            break;
          }
          throw new FrameWalkException("the trampoline at 0x" + Long.toHexString(fp) + " was not called from a wasm frame");
        }
        if (Long.compareUnsigned(callerFp, fp) <= 0 || Long.compareUnsigned(callerFp, chain.entryFp()) > 0
            || (callerFp & 0xF) != 0 || ++frames >= MAX_FRAMES) {
          throw new FrameWalkException("a frame pointer chain the compiled code did not leave, at 0x"
              + Long.toHexString(fp));
        }
        CodeRegion region = regionOf(returnAddress, regions);
        if (region == null) {
          throw new FrameWalkException("a return address outside every module's code, in the frame at 0x"
              + Long.toHexString(callerFp));
        }
        // No map: the frame holds no GC reference across this call (the compiler records none
        // there), which a damaged table that lost the entry cannot be told from.
        StackMapTable.StackMap map = region.stackMap(returnAddress);
        if (map != null) {
          long sp = callerFp - map.frameBelowFp();
          if (Long.compareUnsigned(sp, fp + 16) < 0) {
            throw new FrameWalkException("the stack map of the call returning to " + where(region, returnAddress)
                + " gives a frame of " + map.frameBelowFp() + " bytes, which reaches below the frame it called:"
                + " its slots would lie outside the frame");
          }
          for (int i = 0; i < map.count(); i++) {
            if (count == found.length) {
              found = Arrays.copyOf(found, count * 2);
            }
            found[count++] = sp + map.slotOffset(i);
          }
        }
        fp = callerFp;
      }
    }
    return new WasmFrameRoots(Arrays.copyOf(found, count));
  }

  /** The region whose code {@code returnAddress} returns into: a containment check per region, no frame is named. */
  private static CodeRegion regionOf(long returnAddress, List<CodeRegion> regions) {
    for (CodeRegion region : regions) {
      if (region.contains(returnAddress)) {
        return region;
      }
    }
    return null;
  }

  /** The function and wasm offset of a return address, for a message (never the address itself). */
  private static String where(CodeRegion region, long returnAddress) {
    return region.framesAt(returnAddress).getLast().toString();
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

package dev.kiln.loader.runtime;

import dev.kiln.artifact.tables.StackMapTable;
import java.util.List;

/**
 * Mapped code a {@link NativeStore} can resolve trap addresses against: a loaded module's {@code .text}
 * with its function index, names and address map. A store keeps every region its instances run
 * from, so a backtrace through several modules names each frame.
 */
public interface CodeRegion {
  /**
   * The frames of return address (or trap pc) {@code pc}, innermost first: one per function whose
   * code runs there, so more than one where calls were inlined; empty when {@code pc} lies outside
   * this region.
   */
  List<WasmFrame> framesAt(long pc);

  /**
   * Whether return address (or trap pc) {@code pc} lies in this region's code, for a caller that
   * only needs to know which region a frame belongs to (the collector's frame walk asks for every
   * frame): a region should answer it without making the frames {@link #framesAt} makes.
   */
  default boolean contains(long pc) {
    return !framesAt(pc).isEmpty();
  }

  /**
   * Where the frame of the call whose return address is {@code returnAddress} resumes when an
   * exception unwinds through it (the handler table, {@code .kiln.handlers}), or null when this
   * region has no entry there.
   */
  default Resume landingPad(long returnAddress) {
    return null;
  }

  /**
   * The stack map of the safepoint call whose return address is {@code returnAddress} (the stack map
   * table, {@code .kiln.stackmaps}): where that frame keeps its GC references while the call is under
   * way; null when this region has no entry there.
   */
  default StackMapTable.StackMap stackMap(long returnAddress) {
    return null;
  }

  /**
   * A frame's landing: the pad's address, and how far below the frame's own frame pointer its stack
   * pointer belongs.
   */
  record Resume(long pc, int frameBelowFp) {}
}

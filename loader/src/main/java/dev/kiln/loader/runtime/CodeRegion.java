package dev.kiln.loader.runtime;

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
   * The landing pad of the call whose return address is {@code returnAddress} when an exception
   * unwinds through it (the handler table, {@code .kiln.handlers}), or 0 when this region has none
   * there.
   */
  default long landingPad(long returnAddress) {
    return 0;
  }
}

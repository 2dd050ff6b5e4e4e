package dev.kiln.loader.runtime;

import java.util.Optional;

/**
 * Mapped code a {@link Store} can resolve trap addresses against: a loaded module's {@code .text}
 * with its function index, names and address map. A store keeps every region its instances run
 * from, so a backtrace through several modules names each frame.
 */
public interface CodeRegion {
  /** The frame containing return address (or trap pc) {@code pc}, if it lies in this region. */
  Optional<WasmFrame> frameAt(long pc);
}

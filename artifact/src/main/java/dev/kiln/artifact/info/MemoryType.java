package dev.kiln.artifact.info;

import java.util.Objects;

/**
 * A memory type (WebAssembly 2.0 section 2.3.8): limits in 64 KiB pages.
 *
 * @param is64 whether addresses are i64 (memory64 proposal)
 * @param shared whether the memory is shared (threads proposal)
 */
public record MemoryType(Limits limits, boolean is64, boolean shared) {
  /** Bytes per wasm page (spec 4.2.8). */
  public static final long PAGE_SIZE = 65536;

  public MemoryType {
    Objects.requireNonNull(limits);
  }
}

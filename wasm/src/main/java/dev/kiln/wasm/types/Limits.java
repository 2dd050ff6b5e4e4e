package dev.kiln.wasm.types;

import java.util.OptionalLong;

/**
 * Size limits of a memory (in 64 KiB pages) or a table (in elements), spec 2.3.7. Values are u64
 * because memory64 allows them; 32-bit limits simply never exceed 2^32-1.
 */
public record Limits(long min, OptionalLong max) {
  public static Limits of(long min) {
    return new Limits(min, OptionalLong.empty());
  }

  public static Limits of(long min, long max) {
    return new Limits(min, OptionalLong.of(max));
  }
}

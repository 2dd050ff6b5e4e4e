package dev.kiln.artifact.info;

import java.util.OptionalLong;

/**
 * The size limits of a memory (in pages) or table (in elements), WebAssembly 2.0 section 2.3.4.
 * Values are unsigned 64-bit: a 64-bit table's limits may use the whole range up to 2^64-1
 * (WebAssembly 3.0, validation of table types), so every comparison of them is unsigned; a
 * memory's stay below 2^48 pages (validation, and the artifact reader for a memory's).
 *
 * @param min the initial size
 * @param max the maximum size, if declared
 */
public record Limits(long min, OptionalLong max) {
  public Limits {
    if (max.isPresent() && Long.compareUnsigned(max.getAsLong(), min) < 0) {
      throw new IllegalArgumentException("limits maximum " + Long.toUnsignedString(max.getAsLong())
          + " below minimum " + Long.toUnsignedString(min));
    }
  }

  public static Limits of(long min) {
    return new Limits(min, OptionalLong.empty());
  }

  public static Limits of(long min, long max) {
    return new Limits(min, OptionalLong.of(max));
  }
}

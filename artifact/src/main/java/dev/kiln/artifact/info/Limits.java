package dev.kiln.artifact.info;

import java.util.OptionalLong;

/**
 * The size limits of a memory (in pages) or table (in elements), WebAssembly 2.0 section 2.3.4.
 * Values are unsigned 64-bit so 64-bit memories and tables fit; Kiln keeps them below 2^63.
 *
 * @param min the initial size
 * @param max the maximum size, if declared
 */
public record Limits(long min, OptionalLong max) {
  public Limits {
    if (min < 0) {
      throw new IllegalArgumentException("limits minimum must be below 2^63: " + Long.toUnsignedString(min));
    }
    if (max.isPresent() && (max.getAsLong() < min)) {
      throw new IllegalArgumentException("limits maximum " + Long.toUnsignedString(max.getAsLong())
          + " below minimum " + min);
    }
  }

  public static Limits of(long min) {
    return new Limits(min, OptionalLong.empty());
  }

  public static Limits of(long min, long max) {
    return new Limits(min, OptionalLong.of(max));
  }
}

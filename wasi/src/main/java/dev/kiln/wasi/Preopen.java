package dev.kiln.wasi;

import java.nio.file.Path;

/**
 * A host directory the guest may use, under the name it sees ({@code --dir HOST[::GUEST]}; the
 * guest name defaults to the host path as written, e.g. "." for {@code --dir .}).
 */
public record Preopen(Path host, String guestName) {
  public Preopen {
    if (guestName.isEmpty()) {
      throw new IllegalArgumentException("a preopen needs a guest name");
    }
  }

  /** Parses {@code HOST[::GUEST]}. */
  public static Preopen parse(String spec) {
    int sep = spec.indexOf("::");
    if (sep < 0) {
      return new Preopen(Path.of(spec), spec);
    }
    return new Preopen(Path.of(spec.substring(0, sep)), spec.substring(sep + 2));
  }
}
